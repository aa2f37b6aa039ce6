import type { Rule } from '../types';
import { siteOfText } from '../types';
import { statePath, validVolumes } from '../facts';

export const statePathOwner: Rule = {
  id: 'state-path-owner',
  severity: 'warning',
  summary: "A state path belongs to another container's directory (state mixed between containers).",
  checkContainer(container, ctx) {
    for (const { value, volume } of validVolumes(container, ctx.resolver)) {
      const state = statePath(volume.host, ctx.config.stateRoot);
      if (!state || state.owner === null || !ctx.config.categories.includes(state.category)) continue;
      if (state.owner === container.name || state.owner === container.moduleFolder) continue;
      // The owner segment decides: the finding sits on the literal that wrote it (v2 §3).
      const ownerAt = ctx.config.stateRoot.replace(/\/+$/, '').length + state.category.length + 2;
      ctx.report({
        ...siteOfText(value, ownerAt),
        message: `${container.name} mounts \`${volume.host}\`, the state directory of \`${state.owner}\`, not of ${container.name}; keep each container's state in \`${ctx.config.stateRoot}/${state.category}/${container.name}\``,
      });
    }
  },
};
