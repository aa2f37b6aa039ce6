// database-port-exposed / port-all-interfaces → "Bind to 127.0.0.1": only the host address
// of the mapping changes (`5432:5432` → `127.0.0.1:5432:5432`, `[::]:53:53/udp` → `[::1]:53:53/udp`).
// Unsafe: whoever reached the port over the network no longer can.
import { bindsAllInterfaces, parsePortMapping } from '../rules/docker';
import { literalAt, str, withFile } from './common';
import { replaceInLiteral } from './syntax';
import { editsIn } from './text';
import type { Fix } from './types';

/** The mapping bound to loopback, or null when it is not a valid all-interfaces mapping. */
export function loopbackMapping(mapping: string): { text: string; address: string } | null {
  const parsed = parsePortMapping(mapping);
  if ('error' in parsed || mapping !== mapping.trim() || !bindsAllInterfaces(parsed)) return null;
  let text: string;
  let address = '127.0.0.1';
  if (parsed.hostIp === null) text = parsed.hostPort === null ? `127.0.0.1::${mapping}` : `127.0.0.1:${mapping}`;
  else if (mapping.startsWith(`${parsed.hostIp}:`)) {
    if (parsed.hostIp !== '0.0.0.0') address = '[::1]';
    text = address + mapping.slice(parsed.hostIp.length);
  } else return null;
  const check = parsePortMapping(text);
  return 'error' in check || bindsAllInterfaces(check) ? null : { text, address };
}

export const bindLoopback: Fix = {
  id: 'bind-loopback',
  rules: ['database-port-exposed', 'port-all-interfaces'],
  safety: 'unsafe',
  summary: 'Bind the published port to 127.0.0.1 ([::1] for IPv6 mappings), keeping the rest of the mapping.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const mapping = str(data, 'mapping');
    const bound = mapping ? loopbackMapping(mapping) : null;
    if (!mapping || !bound) return [];
    const edit = withFile(ctx, src.file, (_text, tree) => {
      const lit = literalAt(tree, src);
      return lit ? replaceInLiteral(lit, mapping, bound.text) : null;
    });
    if (!edit) return [];
    return [{ fix: this.id, title: `Bind to ${bound.address} (\`${bound.text}\`)`, safety: 'unsafe', autoApply: true, preferred: true, edits: editsIn(src.file, edit) }];
  },
};
