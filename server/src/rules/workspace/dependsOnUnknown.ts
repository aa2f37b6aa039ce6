import type { Rule } from '../types';
import { siteOf } from '../types';
import { closest } from '../suggest';

/**
 * Suggestions are edit distances over every container name: remember them for as long as
 * the set of names is the same (an edit that keeps the names keeps the suggestions).
 */
let remembered: { names: Set<string>; closest: Map<string, string | null> } = { names: new Set(), closest: new Map() };

function sameNames(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const name of a) if (!b.has(name)) return false;
  return true;
}

export const dependsOnUnknown: Rule = {
  id: 'depends-on-unknown',
  severity: 'error',
  summary: 'A `dependsOn` entry names a container that no module defines.',
  checkWorkspace(ctx) {
    const containers = ctx.index.containers();
    const names = new Set(containers.map((c) => c.name));
    if (!sameNames(names, remembered.names)) remembered = { names, closest: new Map() };
    const known = remembered;
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
