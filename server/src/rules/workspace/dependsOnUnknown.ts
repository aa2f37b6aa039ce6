import type { Rule } from '../types';
import { siteOf } from '../types';
import { closest } from '../suggest';
import type { ContainerModel } from '../../model/summary';

/**
 * Suggestions are edit distances over every container name: remember them for as long as
 * the set of containers is the same (the index keeps the same array until it changes).
 */
const suggestions = new WeakMap<ContainerModel[], { names: Set<string>; closest: Map<string, string | null> }>();

export const dependsOnUnknown: Rule = {
  id: 'depends-on-unknown',
  severity: 'error',
  summary: 'A `dependsOn` entry names a container that no module defines.',
  checkWorkspace(ctx) {
    const containers = ctx.index.containers();
    let known = suggestions.get(containers);
    if (!known) suggestions.set(containers, (known = { names: new Set(containers.map((c) => c.name)), closest: new Map() }));
    const { names } = known;
    for (const container of containers) {
      for (const dependency of ctx.resolver.strings(container.fields.dependsOn)) {
        if (dependency.text === null || names.has(dependency.text)) continue;
        let suggestion = known.closest.get(dependency.text);
        if (suggestion === undefined) known.closest.set(dependency.text, (suggestion = closest(dependency.text, names)));
        ctx.report({
          ...siteOf(dependency),
          message: `${container.name} depends on \`${dependency.text}\`, but no container of that name is defined${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; podman-${container.name}.service would wait for a unit that does not exist`,
          data: { name: dependency.text, suggestion },
        });
      }
    }
  },
};
