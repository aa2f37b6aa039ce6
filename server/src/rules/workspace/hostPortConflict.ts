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

function sameLiteral(a: ResolvedPort, b: ResolvedPort): boolean {
  const r1 = a.value.src.range.start;
  const r2 = b.value.src.range.start;
  return a.value.src.file === b.value.src.file && r1.line === r2.line && r1.character === r2.character;
}

interface Published {
  container: string;
  port: ResolvedPort;
}

// Facts: every mapping under each host port it publishes (`port:8080/tcp`), and once more
// under its literal (`literal:<file>:<line>:<column>`), where it is judged: a literal is
// one finding, on the first port that clashes, however many ports or containers share it.
export const hostPortConflict: Rule = {
  id: 'host-port-conflict',
  severity: 'error',
  summary: 'Two mappings publish the same host port and protocol on overlapping addresses.',
  join: joinCheck<Published>({
    *containerFacts(container, ctx) {
      for (const port of validPorts(container, ctx.resolver)) {
        const fact = { container: container.name, port };
        for (const hostPort of port.mapping.hostPorts) yield [`port:${hostPort}/${port.mapping.protocol}`, fact];
        const at = port.value.src.range.start;
        yield [`literal:${port.value.src.file}:${at.line}:${at.character}`, fact];
      }
    },
    judge(key, facts, ctx) {
      if (!key.startsWith('literal:')) return;
      for (const m of facts) {
        for (const hostPort of m.port.mapping.hostPorts) {
          const portKey = `${hostPort}/${m.port.mapping.protocol}`;
          const mappings = ctx.lookup<Published>(`port:${portKey}`);
          if (mappings.length < 2) continue;
          // Two values of one literal, or two branches of one `if`, never run together.
          const { found: clashes, more } = boundedMatches(mappings, (o) => o !== m && !sameLiteral(o.port, m.port) && !mutuallyExclusive(o.port.value, m.port.value) && overlaps(o.port, m.port));
          if (clashes.length === 0) continue;
          const others = [...new Set(clashes.map((o) => o.container))];
          ctx.report({
            src: m.port.value.src,
            related: clashes.slice(0, MAX_RELATED).map((o) => ({ src: o.port.value.src, message: `${o.container} publishes ${portKey} here` })),
            message: `${m.container} publishes host port ${portKey.replace('/tcp', '')} which ${listNames(others, more ? 1 : 0)} also publish${others.length === 1 && !more ? 'es' : ''}${clashes.every((c) => c.container === m.container) && !more ? ' in another mapping' : ''}; only one can bind it, the other fails to start`,
          });
          return;
        }
      }
    },
  }),
};
