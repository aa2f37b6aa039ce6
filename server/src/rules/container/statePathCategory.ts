import type { Rule } from '../types';
import { siteOfText } from '../types';
import { statePath, validVolumes } from '../facts';

export const statePathCategory: Rule = {
  id: 'state-path-category',
  severity: 'warning',
  summary: 'A state path under /opt is not in a configured category (media, services, databases, monitoring, business).',
  checkContainer(container, ctx) {
    for (const { value, volume } of validVolumes(container, ctx.resolver)) {
      const state = statePath(volume.host, ctx.config.stateRoot);
      if (!state || ctx.config.categories.includes(state.category)) continue;
      const root = ctx.config.stateRoot.replace(/\/+$/, '');
      const where =
        state.owner === null
          ? `sits directly in \`${root}\`, without a category; use \`${root}/<category>/${state.category}\` with one of`
          : `is in \`${root}/${state.category}\`, which is not a state category; use one of`;
      // The category segment decides: the finding sits on the literal that wrote it (v2 §3).
      ctx.report({
        ...siteOfText(value, root.length + 1),
        message: `${container.name}: \`${volume.host}\` ${where} ${ctx.config.categories.map((c) => `\`${root}/${c}\``).join(', ')}`,
        data: { host: volume.host, category: state.category, owner: state.owner },
      });
    }
  },
};
