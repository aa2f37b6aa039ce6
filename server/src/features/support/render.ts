// Values as Nix-looking text for completion details and hovers.
import type { OptionDecl } from '../../model/summary';
import type { Value } from '../../model/values';
import type { Resolver } from '../../workspace/resolve';

const MAX = 60;

export function renderValue(value: Value | undefined, depth = 0): string {
  if (!value) return '…';
  switch (value.k) {
    case 'str': {
      const text = value.parts.map((p) => (typeof p === 'string' ? p : 'ref' in p ? `\${${p.ref.join('.')}}` : '${…}')).join('');
      return JSON.stringify(text);
    }
    case 'int':
    case 'bool':
      return String(value.v);
    case 'null':
      return 'null';
    case 'path':
      return value.v;
    case 'list': {
      if (value.items.length === 0) return '[ ]';
      if (depth > 1) return '[ … ]';
      const items = value.items.slice(0, 3).map((item) => renderValue(item, depth + 1));
      return clip(`[ ${items.join(' ')}${value.items.length > 3 ? ' …' : ''} ]`);
    }
    case 'attrs':
      return value.entries.length === 0 ? '{ }' : '{ … }';
    case 'ref':
      return `config.${value.path.join('.')}`;
    case 'guard':
      return renderValue(value.body, depth);
    default:
      return '…';
  }
}

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

/** `port · default 8989` (type and resolved default, as far as they are known). */
export function optionDetail(decl: OptionDecl, resolver: Resolver): string {
  const parts: string[] = [];
  if (decl.type) parts.push(decl.type);
  parts.push(decl.default ? `default ${renderValue(resolver.value(decl.default))}` : 'no default');
  return parts.join(' · ');
}
