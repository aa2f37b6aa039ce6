// The nixpkgs library functions the evaluator models (mkIf, mkMerge, mkDefault/mkForce,
// optional(s), mkOption, toString, concatStringsSep, map, genAttrs, mapAttrs, listToAttrs,
// mkRenamedOptionModule…): what each makes of values the evaluator already knows.
import { intern } from './intern';
import type { Src } from './source';
import { AttrEntry, Value, interpolate, knownText, unknown } from './values';

/** Arity of the library functions the evaluator models (looked up by names the repository writes: no prototype). */
export const LIB_ARITY: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  mkIf: 2, mkMerge: 1, mkDefault: 1, mkForce: 1, mkOverride: 2, mkBefore: 1, mkAfter: 1, mkOrder: 2,
  optional: 2, optionals: 2, optionalString: 2, optionalAttrs: 2, mkOption: 1, mkEnableOption: 1,
  toString: 1, mkRenamedOptionModule: 2, mkAliasOptionModule: 2, concatStringsSep: 2, mkPackageOption: 3,
  map: 2, genAttrs: 2, mapAttrs: 2, listToAttrs: 1,
  concatMap: 2, flatten: 1, concatLists: 1, mapAttrsToList: 2, attrNames: 1, attrValues: 1, concatStrings: 1,
  concatMapStrings: 2, concatMapStringsSep: 3, forEach: 2, import: 1,
});

/** Applies a function value to one argument (the evaluator's, which knows lambdas). */
export type Apply = (fn: Value, argument: Value, here: Src) => Value;

export function libValue(name: string, source: Src): Value {
  return { k: 'fn', name, args: [], src: source };
}

export function isEnableCondition(cond: Value): boolean {
  return cond.k === 'ref' && cond.path[cond.path.length - 1] === 'enable';
}

function stringList(value: Value): string[] | null {
  if (value.k !== 'list') return null;
  const out: string[] = [];
  for (const item of value.items) {
    if (item.k !== 'str') return null;
    const text = knownText(item.parts);
    if (text === null) return null;
    out.push(text);
  }
  return out;
}

/**
 * `import <path>`: a Nix file (or a directory's default.nix) becomes an `imported` function
 * value (the evaluator records what it is called with: a part file's arguments, v2 §5, and
 * an import target); anything else (`import ./secrets.json`, an `.age` file, a computed path)
 * is unknown, never guessed (a non-Nix file: issue 21, item 5).
 */
function importOf(target: Value, here: Src): Value {
  if (target.k !== 'path' || target.v.startsWith('<')) return unknown(here);
  const last = target.v.replace(/\/+$/, '').split('/').pop() ?? '';
  const isNix = last.endsWith('.nix') || last === '.' || last === '..' || !last.includes('.');
  return isNix ? { k: 'fn', name: IMPORTED, args: [target], src: here } : unknown(here);
}

/** The function name of an imported file's value (see importOf). */
export const IMPORTED = 'import()';

/** Strings joined with a separator, when every one of them is known; else a string with an unknown part. */
function joinStrings(separator: Value, list: Value, here: Src): Value {
  const sep = separator.k === 'str' ? knownText(separator.parts) : null;
  const items = stringList(list);
  return sep !== null && items ? { k: 'str', parts: [items.join(sep)], src: here } : { k: 'str', parts: [{ unknown: true, src: here }], src: here };
}

/**
 * The items of a list of lists (`lib.flatten` goes all the way down). An item that is not a
 * list (an `if` of lists, something unknown) stays one item, as `++` keeps it.
 */
function concatenated(list: Value, deep: boolean, here: Src): Value {
  if (list.k !== 'list') return unknown(here);
  const items: Value[] = [];
  const add = (item: Value, depth: number): void => {
    if (item.k === 'list' && (depth === 0 || (deep && depth < 32))) for (const inner of item.items) add(inner, depth + 1);
    else items.push(item);
  };
  for (const item of list.items) add(item, 0);
  return { k: 'list', items, src: here };
}

/** Entries in the order Nix lists attributes: by name (code points, as `builtins.attrNames`). */
function byName(entries: AttrEntry[]): AttrEntry[] {
  return [...entries].sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
}

/** An attrset entry's name as a string value (what `mapAttrs`' function receives). */
function entryName(e: AttrEntry): Value {
  return e.dynamicKey ?? { k: 'str', parts: e.key === null ? [] : [e.key], src: e.keySrc };
}

/** `map`, `lib.concatMap`, `lib.flatten`, `lib.genAttrs`, `lib.mapAttrs(ToList)`, `builtins.listToAttrs`, `attrNames`/`attrValues` over values the evaluator knows. */
function applyCollection(name: string, args: Value[], here: Src, apply: Apply): Value {
  const [f, collection] = args;
  switch (name) {
    case 'map':
      return collection.k === 'list' ? { k: 'list', items: collection.items.map((item) => apply(f, item, here)), src: here } : unknown(here);
    case 'concatMap':
      return collection.k === 'list' ? concatenated({ k: 'list', items: collection.items.map((item) => apply(f, item, here)), src: here }, false, here) : unknown(here);
    case 'flatten':
      return concatenated(args[0], true, here);
    case 'concatLists':
      return concatenated(args[0], false, here);
    case 'mapAttrsToList':
      if (collection.k !== 'attrs' || collection.entries.some((e) => e.key === null)) return unknown(here);
      // Nix visits attributes in name order.
      return { k: 'list', items: byName(collection.entries).map((e) => apply(apply(f, entryName(e), here), e.value, here)), src: here };
    case 'attrNames':
      if (args[0].k !== 'attrs' || args[0].entries.some((e) => e.key === null)) return unknown(here);
      return { k: 'list', items: [...new Set(args[0].entries.map((e) => e.key!))].sort().map((key) => ({ k: 'str', parts: [key], src: here }) as Value), src: here };
    case 'attrValues':
      if (args[0].k !== 'attrs' || args[0].entries.some((e) => e.key === null)) return unknown(here);
      return { k: 'list', items: byName(args[0].entries).map((e) => e.value), src: here };
    case 'genAttrs': {
      const [names, g] = args; // genAttrs takes the names first
      if (names.k !== 'list') return unknown(here);
      const entries: AttrEntry[] = [];
      for (const item of names.items) {
        const key = item.k === 'str' ? knownText(item.parts) : null;
        if (key !== null) entries.push({ key, keySrc: item.src, pathSrc: item.src, value: apply(g, item, here) });
      }
      return { k: 'attrs', entries, src: here };
    }
    case 'mapAttrs':
      if (collection.k !== 'attrs') return unknown(here);
      return {
        k: 'attrs',
        entries: collection.entries.map((e) => ({ ...e, value: apply(apply(f, entryName(e), here), e.value, here) })),
        src: here,
      };
    case 'listToAttrs': {
      const list = args[0];
      if (list.k !== 'list') return unknown(here);
      const entries: AttrEntry[] = [];
      for (const item of list.items) {
        const nameValue = item.k === 'attrs' ? item.entries.find((e) => e.key === 'name')?.value : undefined;
        const value = item.k === 'attrs' ? item.entries.find((e) => e.key === 'value')?.value : undefined;
        const key = nameValue?.k === 'str' ? knownText(nameValue.parts) : null;
        if (key !== null && value) entries.push({ key, keySrc: nameValue!.src, pathSrc: nameValue!.src, value });
      }
      return { k: 'attrs', entries, src: here };
    }
    default:
      return unknown(here);
  }
}

/** A library function applied to all its arguments; option aliases go to `aliases`. */
export function applyLib(name: string, args: Value[], here: Src, aliases: Array<[string[], string[]]>, apply: Apply): Value {
  switch (name) {
    case 'mkIf':
      return { k: 'guard', body: args[1], enable: isEnableCondition(args[0]), src: here };
    case 'mkMerge':
      return args[0].k === 'list' ? { k: 'merge', items: args[0].items, src: here } : unknown(here);
    case 'mkDefault':
    case 'mkForce':
    case 'mkBefore':
    case 'mkAfter':
      return args[0];
    case 'mkOverride':
    case 'mkOrder':
    case 'optionalAttrs':
    case 'optionalString':
      return args[1];
    case 'optionals':
      return args[1];
    case 'optional':
      return { k: 'list', items: [args[1]], src: here };
    case 'toString':
      // `toString ./x` is the path's own text (no store copy); an absolute one is plain text.
      if (args[0].k === 'path' && args[0].v.startsWith('/')) return { k: 'str', parts: [args[0].v], src: args[0].src };
      return { k: 'str', parts: interpolate(args[0], here), src: args[0].k === 'str' ? args[0].src : here };
    case 'concatStringsSep':
      return joinStrings(args[0], args[1], here);
    case 'concatStrings':
      return joinStrings({ k: 'str', parts: [], src: here }, args[0], here);
    case 'concatMapStrings':
      return joinStrings({ k: 'str', parts: [], src: here }, applyCollection('map', args, here, apply), here);
    case 'concatMapStringsSep':
      return joinStrings(args[0], applyCollection('map', args.slice(1), here, apply), here);
    case 'mkOption': {
      const spec = args[0];
      if (spec.k !== 'attrs') return { k: 'option', src: here };
      const get = (key: string) => spec.entries.find((e) => e.key === key)?.value;
      const type = get('type');
      const description = get('description');
      return {
        k: 'option',
        default: get('default'),
        type: type?.k === 'fn' ? type.name.replace(/^types\./, '') : undefined,
        description: description?.k === 'str' ? knownText(description.parts) ?? undefined : undefined,
        src: here,
      };
    }
    case 'mkEnableOption':
      return { k: 'option', default: { k: 'bool', v: false, src: here }, type: 'bool', description: args[0].k === 'str' ? intern(`Whether to enable ${knownText(args[0].parts) ?? 'it'}.`) : undefined, src: here };
    case 'mkPackageOption':
      return { k: 'option', type: 'package', src: here };
    case 'map':
    case 'genAttrs':
    case 'mapAttrs':
    case 'listToAttrs':
    case 'concatMap':
    case 'flatten':
    case 'concatLists':
    case 'mapAttrsToList':
    case 'attrNames':
    case 'attrValues':
      return applyCollection(name, args, here, apply);
    case 'forEach':
      return applyCollection('map', [args[1], args[0]], here, apply);
    case 'import':
      return importOf(args[0], here);
    case 'mkRenamedOptionModule':
    case 'mkAliasOptionModule': {
      const from = stringList(args[0]);
      const to = stringList(args[1]);
      if (from && to) aliases.push([from, to]);
      return unknown(here);
    }
    default:
      return unknown(here);
  }
}
