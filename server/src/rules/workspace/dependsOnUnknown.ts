import type { Rule } from '../types';
import { joinCheck, siteOf } from '../types';
import type { ResolvedString } from '../../workspace/resolve';
import { closest } from '../suggest';

type Fact = { defined: true } | { container: string; dependency: ResolvedString };
const DEFINED: Fact = { defined: true };

/**
 * Suggestions are edit distances over every container name: remember them for as long as
 * the set of names is the same (an edit that keeps the names keeps the suggestions). `keys`
 * is the lint state's list the names came from: the same array until a name comes or goes,
 * so most judgements compare one reference, not every name.
 */
let remembered: { keys: readonly string[]; names: string[]; closest: Map<string, string | null> } = { keys: [], names: [], closest: new Map() };

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => b[i] === name);
}

// Facts: `defined:<name>` for every container, `uses:<name>` for every dependsOn entry.
export const dependsOnUnknown: Rule = {
  id: 'depends-on-unknown',
  severity: 'error',
  summary: 'A `dependsOn` entry names a container that no module defines.',
  join: joinCheck<Fact>({
    *containerFacts(container, ctx) {
      yield [`defined:${container.name}`, DEFINED];
      for (const dependency of ctx.resolver.strings(container.fields.dependsOn)) {
        if (dependency.text !== null) yield [`uses:${dependency.text}`, { container: container.name, dependency }];
      }
    },
    judge(key, facts, ctx) {
      if (!key.startsWith('uses:')) return;
      const name = key.slice('uses:'.length);
      if (ctx.lookup(`defined:${name}`).length > 0) return;
      const keys = ctx.keys('defined:');
      if (keys !== remembered.keys) {
        const names = keys.map((k) => k.slice('defined:'.length));
        if (sameNames(names, remembered.names)) remembered.keys = keys;
        else remembered = { keys, names, closest: new Map() };
      }
      const names = remembered.names;
      let suggestion = remembered.closest.get(name);
      if (suggestion === undefined) remembered.closest.set(name, (suggestion = closest(name, names)));
      for (const fact of facts) {
        if (!('container' in fact)) continue;
        ctx.report({
          ...siteOf(fact.dependency),
          message: `${fact.container} depends on \`${name}\`, but no container of that name is defined${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; podman-${fact.container}.service would wait for a unit that does not exist`,
          data: { name, suggestion },
        });
      }
    },
  }),
};
