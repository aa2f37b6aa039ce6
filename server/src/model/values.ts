// The static evaluator's value domain. Values are plain data (no tree nodes), so a file's
// summary can outlive its tree and references to other files (`config.<path>`) stay
// symbolic until the workspace index resolves them.
import type { Src } from './source';
import { intern } from './intern';

/** A piece of a string: literal text, a reference to an option, or something unknown. */
export type StrPart = string | RefHole | UnknownHole;
export interface RefHole {
  ref: string[];
  src: Src;
  fallback?: Value;
}
export interface UnknownHole {
  unknown: true;
  src: Src;
  /** Why the evaluator or resolver could not know it (`option a.b has no default`), when it can say. */
  why?: string;
}

export interface AttrEntry {
  /** The key when it is known; null for a dynamic key (`"${cfg.domain}" = …`). */
  key: string | null;
  /** A dynamic key as a string value (may hold references). */
  dynamicKey?: StrValue;
  keySrc: Src;
  /** The whole attribute path of the binding that made this entry (`a.b.c`). */
  pathSrc?: Src;
  /** Made by a dotted path rather than written as `{ … }`: later dotted paths merge into it. */
  implicit?: boolean;
  /** Written as an attrset literal (`a = { … };`): Nix merges dotted paths (`a.b = …;`) into it too. */
  literal?: boolean;
  value: Value;
}

export interface StrValue {
  k: 'str';
  parts: StrPart[];
  src: Src;
  /** Set by resolution: the reference through which this literal (an option default) is used. */
  via?: Src;
  /** Set by resolution of a composed string: which literal elsewhere supplied which characters. */
  origins?: TextOrigin[];
}

/** Characters [from, to) of a resolved string's text came from the literal at `src` (an option default, a `let`). */
export interface TextOrigin {
  from: number;
  to: number;
  src: Src;
}

export type Value =
  | StrValue
  | { k: 'int'; v: number; src: Src }
  | { k: 'bool'; v: boolean; src: Src }
  | { k: 'null'; src: Src }
  | { k: 'path'; v: string; src: Src }
  | { k: 'list'; items: Value[]; src: Src }
  | { k: 'attrs'; entries: AttrEntry[]; src: Src }
  /** `config.<path>` (possibly through `cfg`), resolved later against option defaults. */
  | { k: 'ref'; path: string[]; src: Src; fallback?: Value }
  /** One of several values (both branches of an `if`). */
  | { k: 'alt'; options: Value[]; src: Src }
  /** All of several definitions (`lib.mkMerge`). */
  | { k: 'merge'; items: Value[]; src: Src }
  /** `lib.mkIf cond body`; enable is true when cond reads an `enable` option. */
  | { k: 'guard'; body: Value; enable: boolean; src: Src }
  /** An option declaration (`mkOption`, `mkEnableOption`). */
  | { k: 'option'; default?: Value; type?: string; description?: string; src: Src }
  /** A library function, possibly partly applied. */
  | { k: 'fn'; name: string; args: Value[]; src: Src }
  /** Something the engine cannot know; `why` says where resolution gave up (shown by `hwc containers`). */
  | { k: 'unknown'; src: Src; why?: string };

export type ValueKind = Value['k'];

export function unknown(src: Src, why?: string): Value {
  return why === undefined ? { k: 'unknown', src } : { k: 'unknown', src, why: intern(why) };
}

export function strLiteral(text: string, src: Src): StrValue {
  return { k: 'str', parts: [text], src };
}

/** The text of a string whose every part is literal, else null. */
export function knownText(parts: StrPart[]): string | null {
  let text = '';
  for (const part of parts) {
    if (typeof part !== 'string') return null;
    text += part;
  }
  return text;
}

/**
 * Normalises parts: joins adjacent literals and drops empty ones. The result is a new array
 * of exactly its length (summaries keep many) holding flat strings.
 */
export function joinParts(parts: StrPart[]): StrPart[] {
  if (parts.length === 1) return parts[0] === '' ? [] : [parts[0]];
  const out: StrPart[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) out.push(run.length === 1 ? run[0] : run.join(''));
    run = [];
  };
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part !== '') run.push(part);
    } else {
      flush();
      out.push(part);
    }
  }
  flush();
  return out.length === 1 ? [out[0]] : out.slice();
}

export function entryKey(entry: AttrEntry): string | null {
  return entry.key;
}

/** Looks up every definition of `key` in an attrset (a key may be defined through several paths). */
export function attrValues(value: Value, key: string): Value[] {
  if (value.k !== 'attrs') return [];
  const found: Value[] = [];
  for (const entry of value.entries) if (entry.key === key) found.push(entry.value);
  return found;
}

const VALUE_IN_STRING: Partial<Record<ValueKind, string>> = {
  list: 'a list interpolated into a string',
  attrs: 'an attrset interpolated into a string',
  fn: 'a function value interpolated into a string',
  bool: 'a boolean interpolated into a string',
  null: 'null interpolated into a string',
  alt: 'a conditional value interpolated into a string',
  merge: 'merged definitions interpolated into a string',
  option: 'an option declaration interpolated into a string',
};

/**
 * What `"${./traefik.toml}"` becomes: Nix copies an interpolated path into the store, so the
 * text is an absolute `/nix/store/<hash>-<name>` path, never relative and never state (rules.md
 * v2 §11). The hash is unknowable statically: `…` stands for it (the text stays readable in messages).
 */
export function storePathOf(nixPath: string): string {
  const name = nixPath.replace(/\/+$/, '').split('/').pop() ?? '';
  return `/nix/store/${STORE_HASH_PLACEHOLDER}-${name === '' || name === '.' || name === '..' ? 'source' : name}`;
}
const STORE_HASH_PLACEHOLDER = '…';

/** The parts a value contributes when interpolated into a string. */
export function interpolate(value: Value, at: Src): StrPart[] {
  switch (value.k) {
    case 'str':
      return value.parts;
    case 'int':
      return [String(value.v)];
    case 'path':
      return [value.v.startsWith('<') ? value.v : storePathOf(value.v)];
    case 'ref':
      return [{ ref: value.path, src: value.src, fallback: value.fallback }];
    case 'guard':
      return interpolate(value.body, at);
    case 'unknown':
      return [value.why === undefined ? { unknown: true, src: at } : { unknown: true, src: at, why: value.why }];
    default:
      return [{ unknown: true, src: at, why: VALUE_IN_STRING[value.k] }];
  }
}
