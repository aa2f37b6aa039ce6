import type { Rule } from '../types';
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

export const hostPortConflict: Rule = {
  id: 'host-port-conflict',
  severity: 'error',
  summary: 'Two mappings publish the same host port and protocol on overlapping addresses.',
  checkWorkspace(ctx) {
    const byPort = new Map<string, Array<{ container: string; port: ResolvedPort }>>();
    for (const container of ctx.index.containers()) {
      for (const port of validPorts(container, ctx.resolver)) {
        for (const hostPort of port.mapping.hostPorts) {
          const key = `${hostPort}/${port.mapping.protocol}`;
          const list = byPort.get(key) ?? [];
          list.push({ container: container.name, port });
          byPort.set(key, list);
        }
      }
    }
    const reported = new Set<string>();
    for (const [key, mappings] of byPort) {
      if (mappings.length < 2) continue;
      for (const m of mappings) {
        // Two values of one literal, or two branches of one `if`, never run together.
        const { found: clashes, more } = boundedMatches(mappings, (o) => o !== m && !sameLiteral(o.port, m.port) && !mutuallyExclusive(o.port.value, m.port.value) && overlaps(o.port, m.port));
        if (clashes.length === 0) continue;
        const id = `${m.port.value.src.file}:${m.port.value.src.range.start.line}:${m.port.value.src.range.start.character}`;
        if (reported.has(id)) continue;
        reported.add(id);
        const others = [...new Set(clashes.map((o) => o.container))];
        ctx.report({
          src: m.port.value.src,
          related: clashes.slice(0, MAX_RELATED).map((o) => ({ src: o.port.value.src, message: `${o.container} publishes ${key} here` })),
          message: `${m.container} publishes host port ${key.replace('/tcp', '')} which ${listNames(others, more ? 1 : 0)} also publish${others.length === 1 && !more ? 'es' : ''}${clashes.every((c) => c.container === m.container) && !more ? ' in another mapping' : ''}; only one can bind it, the other fails to start`,
        });
      }
    }
  },
};
