// Operations on values the evaluator builds: attribute paths inserted into attrsets the way
// Nix merges them, selection through references and attrsets, the parts of interpolated and
// indented strings, the items of a list expression.
import type { Src } from './source';
import { libValue } from './libFunctions';
import { AttrEntry, StrPart, StrValue, Value, unknown } from './values';

export type Attrs = Value & { k: 'attrs' };

export function attrsValue(src: Src): Attrs {
  return { k: 'attrs', entries: [], src };
}

export interface PathKey {
  key: string | null;
  dynamicKey: StrValue | undefined;
  keySrc: Src;
}

/** Inserts `path = value` into an attrset, merging dotted prefixes into one nested attrset. */
export function insertPath(target: Attrs, keys: PathKey[], value: Value, pathSrc: Src, literal: boolean): void {
  let current = target;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (i === keys.length - 1) {
      // `a.c = 2; a = { b = 1; };`: the literal joins what the dotted paths made.
      const earlier = literal && value.k === 'attrs' && key.key !== null ? current.entries.find((e) => e.key === key.key && e.implicit && e.value.k === 'attrs') : undefined;
      if (earlier && earlier.value.k === 'attrs' && value.k === 'attrs') mergeEntries(earlier.value, value.entries);
      else current.entries.push({ key: key.key, dynamicKey: key.dynamicKey, keySrc: key.keySrc, value, pathSrc, literal: literal || undefined });
      return;
    }
    // Nix merges `a = { b = 1; }; a.c = 2;` (in either order) when `a` is written as an attrset.
    let next = key.key !== null ? current.entries.find((e) => e.key === key.key && e.value.k === 'attrs' && (e.implicit || e.literal)) : undefined;
    if (!next) {
      next = { key: key.key, dynamicKey: key.dynamicKey, keySrc: key.keySrc, value: attrsValue(key.keySrc), implicit: true, pathSrc };
      current.entries.push(next);
    } else if (!next.implicit) {
      // Copy before adding to it: the literal's value may be shared.
      const literalValue = next.value as Attrs;
      next.value = { ...literalValue, entries: [...literalValue.entries] };
      next.implicit = true;
    }
    current = next.value as Attrs;
  }
}

/** Adds entries to an attrset made by dotted paths, merging nested attrset literals key by key. */
function mergeEntries(target: Attrs, entries: AttrEntry[]): void {
  for (const entry of entries) {
    const same = entry.key !== null && entry.value.k === 'attrs' ? target.entries.find((e) => e.key === entry.key && e.implicit && e.value.k === 'attrs') : undefined;
    if (same && same.value.k === 'attrs' && entry.value.k === 'attrs') mergeEntries(same.value, entry.value.entries);
    else target.entries.push(entry);
  }
}

/** Selects `keys` from a value: references grow, attrsets are looked up, the rest is unknown. */
export function selectKeys(base: Value, keys: string[], here: Src): Value {
  let current: Value = base;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    switch (current.k) {
      case 'ref':
        return { k: 'ref', path: current.path.concat(i === 0 ? keys : keys.slice(i)), src: here };
      case 'fn':
        if (current.name === 'lib' || current.name === 'builtins' || current.name === 'types') {
          current = libValue(key === 'types' ? 'types' : current.name === 'types' ? `types.${key}` : key, here);
          continue;
        }
        return unknown(here);
      case 'attrs': {
        const found = current.entries.filter((e) => e.key === key);
        if (found.length === 0) return unknown(here);
        current = found.length === 1 ? found[0].value : { k: 'merge', items: found.map((e) => e.value), src: here };
        continue;
      }
      case 'guard':
        current = current.body;
        i--;
        continue;
      case 'merge': {
        const rest = keys.slice(i);
        const picked = current.items.map((item) => selectKeys(item, rest, here)).filter((v) => v.k !== 'unknown');
        return picked.length === 0 ? unknown(here) : picked.length === 1 ? picked[0] : { k: 'merge', items: picked, src: here };
      }
      default:
        return unknown(here);
    }
  }
  return current;
}

/**
 * What Nix does to `'' … ''`: drops a first line that holds only spaces and removes the
 * smallest indentation of the lines that hold something (an interpolation counts).
 */
export function stripIndentation(parts: StrPart[]): StrPart[] {
  const lines: StrPart[][] = [[]];
  for (const part of parts) {
    if (typeof part !== 'string') {
      lines[lines.length - 1].push(part);
      continue;
    }
    part.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece !== '') lines[lines.length - 1].push(piece);
    });
  }
  const leading = (line: StrPart[]) => (typeof line[0] === 'string' ? /^ */.exec(line[0])![0].length : 0);
  const blank = (line: StrPart[]) => line.every((p) => typeof p === 'string' && /^ *$/.test(p));
  let indent = Infinity;
  for (const line of lines) if (!blank(line)) indent = Math.min(indent, leading(line));
  if (indent === Infinity) indent = 0;
  if (lines.length > 1 && blank(lines[0])) lines.shift();
  const out: StrPart[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push('\n');
    line.forEach((p, j) => out.push(j === 0 && typeof p === 'string' ? p.slice(Math.min(indent, leading(line))) : p));
  });
  return out;
}

export function decodeEscape(text: string): string {
  const c = text.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

export function decodeIndentedEscape(text: string): string {
  // ''$ → $, ''' → '', ''\n → newline
  if (text === "'''") return "''";
  if (text.startsWith("''\\")) return decodeEscape(text.slice(2));
  if (text.startsWith("''")) return text.slice(2);
  return text;
}

/** The items a list-valued expression contributes; unknown parts become one unknown item. */
export function listItems(value: Value): Value[] {
  if (value.k === 'list') return value.items;
  if (value.k === 'alt') return [value];
  if (value.k === 'guard') return listItems(value.body);
  return [value];
}
