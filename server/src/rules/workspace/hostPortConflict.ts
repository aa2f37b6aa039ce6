import type { Rule } from '../types';
import { joinCheck } from '../types';
import { bindsAllInterfaces } from '../docker';
import { mutuallyExclusive, validPorts, ResolvedPort } from '../facts';
import { MAX_RELATED, boundedMatches, listNames } from '../related';

function overlaps(a: ResolvedPort, b: ResolvedPort): boolean {
  if (a.mapping.protocol !== b.mapping.protocol) return false;
  if (bindsAllInterfaces(a.mapping) || bindsAllInterfaces(b.mapping)) return true;
  return a.mapping.hostIp === b.mapping.hostIp;
}

interface Published {
  container: string;
  port: ResolvedPort;
}

function literalId(p: Published): string {
  const at = p.port.value.src.range.start;
  return `${p.port.value.src.file}:${at.line}:${at.character}`;
}

// Facts: every mapping under each host port it publishes (`8080/tcp`). A literal is one
// finding however many containers use it, and a range that clashes on several ports is
// reported on the first of them.
export const hostPortConflict: Rule = {
  id: 'host-port-conflict',
  severity: 'error',
  summary: 'Two mappings publish the same host port and protocol on overlapping addresses.',
  join: joinCheck<Published>({
    *containerFacts(container, ctx) {
      for (const port of validPorts(container, ctx.resolver)) {
        const fact = { container: container.name, port };
        for (const hostPort of port.mapping.hostPorts) yield [`${hostPort}/${port.mapping.protocol}`, fact];
      }
    },
    judge(key, mappings, ctx) {
      if (mappings.length < 2) return;
      // Each mapping's literal, worked out once: every pair of a key is compared, and a Src
      // builds its range anew at each read.
      const ids = new Map<Published, string>();
      const idOf = (p: Published) => {
        let id = ids.get(p);
        if (id === undefined) ids.set(p, (id = literalId(p)));
        return id;
      };
      // Two values of one literal, or two branches of one `if`, never run together.
      const clashesOf = (m: Published, group: Published[]) => {
        const id = idOf(m);
        return boundedMatches(group, (o) => o !== m && idOf(o) !== id && !mutuallyExclusive(o.port.value, m.port.value) && overlaps(o.port, m.port));
      };
      const reported = new Set<string>();
      for (const m of mappings) {
        const id = idOf(m);
        if (reported.has(id)) continue;
        const { found: clashes, more } = clashesOf(m, mappings);
        if (clashes.length === 0) continue;
        const earlier = m.port.mapping.hostPorts.slice(0, m.port.mapping.hostPorts.indexOf(Number(key.split('/')[0])));
        if (earlier.some((p) => clashesOf(m, ctx.lookup<Published>(`${p}/${m.port.mapping.protocol}`)).found.length > 0)) continue;
        reported.add(id);
        const others = [...new Set(clashes.map((o) => o.container))];
        ctx.report({
          src: m.port.value.src,
          related: clashes.slice(0, MAX_RELATED).map((o) => ({ src: o.port.value.src, message: `${o.container} publishes ${key} here` })),
          message: `${m.container} publishes host port ${key.replace('/tcp', '')} which ${listNames(others, more ? 1 : 0)} also publish${others.length === 1 && !more ? 'es' : ''}${clashes.every((c) => c.container === m.container) && !more ? ' in another mapping' : ''}; only one can bind it, the other fails to start`,
        });
      }
    },
  }),
};
