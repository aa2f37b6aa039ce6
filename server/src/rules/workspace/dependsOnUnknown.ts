import type { Rule } from '../types';
import { siteOf } from '../types';
import { closest } from '../suggest';

export const dependsOnUnknown: Rule = {
  id: 'depends-on-unknown',
  severity: 'error',
  summary: 'A `dependsOn` entry names a container that no module defines.',
  checkWorkspace(ctx) {
    const names = new Set(ctx.index.containers().map((c) => c.name));
    for (const container of ctx.index.containers()) {
      for (const dependency of ctx.resolver.strings(container.fields.dependsOn)) {
        if (dependency.text === null || names.has(dependency.text)) continue;
        const suggestion = closest(dependency.text, names);
        ctx.report({
          ...siteOf(dependency),
          message: `${container.name} depends on \`${dependency.text}\`, but no container of that name is defined${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; podman-${container.name}.service would wait for a unit that does not exist`,
          data: { name: dependency.text, known: [...names], suggestion },
        });
      }
    }
  },
};
