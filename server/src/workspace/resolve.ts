// Resolves the symbolic references the evaluator leaves (`config.<path>`) against option
// defaults declared anywhere in the workspace, and flattens values into the strings
// rules look at.
import type { Src } from '../model/source';
import type { OptionDecl } from '../model/summary';
import { StrPart, StrValue, TextOrigin, Value, joinParts, knownText, storePathOf } from '../model/values';
import { eachLeaf } from '../model/walk';
import { MODULE_ARGUMENT } from '../model/evaluator';
import { selectKeys } from '../model/valueOps';

export interface OptionLookup {
  /** The declaration of a full option path (aliases already applied), if any. */
  option(path: string[]): OptionDecl | undefined;
  /** What module argument `name` of `file` is given (by its importer, `_module.args`, `specialArgs`), with the file that gives it. */
  moduleArgument?(file: string, name: string): Array<{ value: Value; file: string }>;
}

/**
 * Remembers resolved strings between lint passes. An entry stays valid while the set of
 * option paths is the same and every file whose option defaults it read is unchanged
 * (summaries are replaced, never mutated, so identity says "unchanged").
 */
export interface ResolutionCache {
  readonly optionPathsVersion: number;
  summaryOf(file: string): unknown;
  /** A WeakMap where the cache outlives passes; a plain Map for a short-lived scratch cache. */
  readonly memo: Pick<WeakMap<object, EntriesByKind>, 'get' | 'set'>;
  /**
   * A longer-lived memo read (never written) on a miss: a scratch cache over the index's own
   * memo reuses what convention discovery resolved, valid under the same checks as its own.
   */
  readonly shared?: Pick<WeakMap<object, EntriesByKind>, 'get'>;
}

/**
 * One key's entries by kind: a plain object, since a key rarely has more than two kinds
 * (`strings`, `value`) and a Map per key was a tenth of what a lint allocates. A kind that
 * named an Object.prototype member would read a function without `version`: a miss.
 */
type EntriesByKind = Record<string, CacheEntry | undefined>;

interface CacheEntry {
  result: unknown;
  deps: Map<string, unknown>;
  version: number;
}

/** A string as rules see it. */
export interface ResolvedString {
  /** The full text, or null when some piece is unknown. */
  text: string | null;
  parts: StrPart[];
  /** The literal that supplied the value (possibly an option default in another file). */
  src: Src;
  /** Where the value is used, when that differs from src (the reference to the option). */
  via?: Src;
  /** For a composed string: the literals elsewhere that supplied parts of its text. */
  origins?: TextOrigin[];
}

const MAX_DEPTH = 16;
/** How many strings one composed string may stand for (conditional defaults multiply). */
const MAX_COMBINATIONS = 16;

/** A string, or alternatives of them, whose text is fully known. */
function isKnownText(value: Value): boolean {
  if (value.k === 'str') return value.parts.every((p) => typeof p === 'string');
  if (value.k === 'int') return true;
  if (value.k === 'alt') return value.options.every((o) => o.k === 'null' || isKnownText(o));
  return false;
}

/** Marks the literals an option default supplied with the use site (`via`); in a string, integers become their text. */
function withVia(value: Value, via: Src, inString = false): Value {
  switch (value.k) {
    case 'str':
      return { ...value, via: value.via ?? via };
    case 'int':
      return inString ? { k: 'str', parts: [String(value.v)], src: value.src, via } : value;
    case 'alt':
      return { ...value, options: value.options.map((o) => withVia(o, via, inString)) };
    default:
      return value;
  }
}

/** What a reference contributes to a composed string: its parts and the literal they came from. */
interface Piece {
  parts: StrPart[];
  src?: Src;
  origins?: TextOrigin[];
}

interface Combination {
  parts: StrPart[];
  /** Characters of literal text so far (where the next piece starts). */
  length: number;
  origins: TextOrigin[];
}

/** The pieces a resolved value may contribute to a string, one per possible value; `null` contributes none. */
function stringPieces(value: Value, at: Src, path: string[]): Piece[] {
  // The usual case, one string: no walk.
  if (value.k === 'str') return [{ parts: value.parts, src: value.src, origins: value.origins }];
  const pieces: Piece[] = [];
  eachLeaf(value, (leaf) => {
    if (leaf.k === 'str') pieces.push({ parts: leaf.parts, src: leaf.src, origins: leaf.origins });
    else if (leaf.k === 'int') pieces.push({ parts: [String(leaf.v)], src: leaf.src });
    else if (leaf.k === 'path') pieces.push({ parts: [storePathOf(leaf.v)] });
    else if (leaf.k !== 'null') pieces.push({ parts: [{ unknown: true, src: at, why: leaf.k === 'unknown' ? leaf.why : notAString(path, leaf.k) }] });
  });
  return pieces;
}
/** Shared by every entry that read no option default (never written to). */
const NO_DEPS: Map<string, unknown> = new Map();

function depsUnchanged(deps: Map<string, unknown>, cache: ResolutionCache): boolean {
  for (const [file, summary] of deps) if (cache.summaryOf(file) !== summary) return false;
  return true;
}

/** Why a `config.<path>` reference has no value (shown by `hwc containers`). */
function unresolvedRef(path: string[], declared: boolean): string {
  const name = path.join('.');
  if (path[0] === 'age' && path[1] === 'secrets') return `path of agenix secret \`${path[2] ?? '?'}\`, set by agenix at activation`;
  return declared ? `option \`${name}\` has no default` : `option \`${name}\` is not declared in the workspace`;
}

function notAString(path: string[], kind: Value['k']): string {
  const name = path.join('.');
  return `option \`${name}\` is not a string here (${kind === 'attrs' ? 'an attrset' : kind === 'list' ? 'a list' : kind})`;
}

/** What `strings` makes of a literal string or integer (the same as resolving it), else undefined. */
function literalStrings(value: Value): ResolvedString[] | undefined {
  if (value.k === 'int') return [{ text: String(value.v), parts: [String(value.v)], src: value.src }];
  if (value.k !== 'str') return undefined;
  for (const part of value.parts) if (typeof part !== 'string') return undefined;
  return [{ text: knownText(value.parts), parts: value.parts, src: value.src, via: value.via, origins: value.origins }];
}

export class Resolver {
  /** Made on the first dependency: most resolutions read no option default. */
  private deps: Set<string> | undefined;

  constructor(
    private readonly lookup: OptionLookup,
    dependencies?: Set<string>,
    private readonly cache?: ResolutionCache,
  ) {
    this.deps = dependencies;
  }

  /** The files whose option defaults (or module arguments) the resolutions so far read. */
  get dependencies(): Set<string> {
    return (this.deps ??= new Set());
  }

  /** Substitutes option defaults for references; what stays unknown stays unknown. */
  value(value: Value, depth = 0): Value {
    if (depth === 0 && this.cache && value.k !== 'unknown') return this.cached(value, 'value', (r) => r.resolveValue(value, 0));
    return this.resolveValue(value, depth);
  }

  private resolveValue(value: Value, depth: number): Value {
    if (depth > MAX_DEPTH) return { k: 'unknown', src: value.src };
    switch (value.k) {
      case 'ref': {
        if (value.path[0] === MODULE_ARGUMENT) return this.moduleArgument(value, depth);
        const option = this.lookup.option(value.path);
        if (option) this.dependencies.add(option.src.file);
        // `or` only catches a missing attribute: a declared option without a default is unknown.
        const supplied = option ? option.default : value.fallback;
        if (!supplied) return { k: 'unknown', src: value.src, why: unresolvedRef(value.path, option !== undefined) };
        return withVia(this.value(supplied, depth + 1), value.src);
      }
      case 'str': {
        if (value.parts.every((p) => typeof p === 'string')) return value;
        // A string that is nothing but one reference (`toString cfg.gid`, "${cfg.image}") is
        // the option's literal: findings belong on that literal, with this use as related.
        const only = value.parts.length === 1 ? value.parts[0] : undefined;
        if (only && typeof only !== 'string' && 'ref' in only) {
          const resolved = this.value({ k: 'ref', path: only.ref, src: only.src, fallback: only.fallback }, depth + 1);
          if (isKnownText(resolved)) return withVia(resolved, value.src, true);
        }
        return this.composed(value, depth);
      }
      case 'list':
        return { k: 'list', items: value.items.map((item) => this.value(item, depth + 1)), src: value.src };
      case 'alt':
        return { k: 'alt', options: value.options.map((o) => this.value(o, depth + 1)), src: value.src };
      case 'merge':
        return { k: 'merge', items: value.items.map((o) => this.value(o, depth + 1)), src: value.src };
      case 'guard':
        return this.value(value.body, depth + 1);
      default:
        return value;
    }
  }

  /**
   * `cfg.tag` in a part file taking `{ lib, cfg }` (v2 §5): what its importers pass as `cfg`
   * (or `_module.args`/`specialArgs` give), with the selected keys applied. Several givers
   * make an alternative; none leaves it unknown.
   */
  private moduleArgument(value: Value & { k: 'ref' }, depth: number): Value {
    const [, file, name, ...keys] = value.path;
    const given = this.lookup.moduleArgument?.(file, name) ?? [];
    const resolved: Value[] = [];
    for (const { value: argument, file: giver } of given) {
      this.dependencies.add(giver);
      const selected = this.value(selectKeys(argument, keys, value.src), depth + 1);
      if (selected.k !== 'unknown') resolved.push(withVia(selected, value.src));
    }
    if (resolved.length === 0) return { k: 'unknown', src: value.src };
    return resolved.length === 1 ? resolved[0] : { k: 'alt', options: resolved, src: value.src };
  }

  /**
   * A string with references in it. A reference may stand for several values (a conditional
   * default, v2 §2): the string then stands for each combination, as an alternative; a `null`
   * value contributes no string at all. Past MAX_COMBINATIONS the reference stays unknown.
   */
  private composed(value: StrValue, depth: number): Value {
    let combinations: Combination[] = [{ parts: [], length: 0, origins: [] }];
    const append = (into: Combination, piece: Piece) => {
      const start = into.length;
      for (const part of piece.parts) {
        into.parts.push(part);
        if (typeof part === 'string') into.length += part.length;
      }
      if (!piece.src) return;
      if (piece.origins) for (const o of piece.origins) into.origins.push({ from: o.from + start, to: o.to + start, src: o.src });
      else if (into.length > start) into.origins.push({ from: start, to: into.length, src: piece.src });
    };
    for (const part of value.parts) {
      if (typeof part === 'string' || 'unknown' in part) {
        for (const combination of combinations) {
          combination.parts.push(part);
          if (typeof part === 'string') combination.length += part.length;
        }
        continue;
      }
      const pieces = stringPieces(this.value({ k: 'ref', path: part.ref, src: part.src, fallback: part.fallback }, depth + 1), part.src, part.ref);
      if (pieces.length === 0) return { k: 'alt', options: [], src: value.src };
      if (pieces.length === 1 || combinations.length * pieces.length > MAX_COMBINATIONS) {
        const only: Piece = pieces.length === 1 ? pieces[0] : { parts: [{ unknown: true, src: part.src, why: `option \`${part.ref.join('.')}\` has too many possible values to combine` }] };
        for (const combination of combinations) append(combination, only);
        continue;
      }
      combinations = combinations.flatMap((c) =>
        pieces.map((piece) => {
          const next = { parts: [...c.parts], length: c.length, origins: [...c.origins] };
          append(next, piece);
          return next;
        }),
      );
    }
    const strings: Value[] = combinations.map((c) => {
      const composed: StrValue = { k: 'str', parts: joinParts(c.parts), src: value.src };
      if (c.origins.length > 0) composed.origins = c.origins;
      return composed;
    });
    return strings.length === 1 ? strings[0] : { k: 'alt', options: strings, src: value.src };
  }

  /**
   * Runs `compute` once per (key, kind) while its inputs stay the same: the option paths
   * and the summaries of the files whose defaults it read. The dependencies it read are
   * added to this resolver's, so callers that cache in turn see them.
   */
  cached<T>(key: object, kind: string, compute: (resolver: Resolver) => T): T {
    const cache = this.cache;
    if (!cache) return compute(this);
    let perKey = cache.memo.get(key);
    const hit = perKey?.[kind] ?? cache.shared?.get(key)?.[kind];
    if (hit && hit.version === cache.optionPathsVersion && depsUnchanged(hit.deps, cache)) {
      for (const file of hit.deps.keys()) this.dependencies.add(file);
      return hit.result as T;
    }
    const own = new Resolver(this.lookup, undefined, cache);
    const result = compute(own);
    const read = own.deps;
    const deps = !read || read.size === 0 ? NO_DEPS : new Map<string, unknown>();
    if (read) {
      for (const file of read) {
        deps.set(file, cache.summaryOf(file));
        this.dependencies.add(file);
      }
    }
    if (!perKey) cache.memo.set(key, (perKey = {}));
    perKey[kind] = { result, deps, version: cache.optionPathsVersion };
    return result;
  }

  /** Every string a list-or-string value may contribute (list items, both `if` branches…). */
  strings(values: Value[] | undefined): ResolvedString[] {
    if (!values) return [];
    if (values.length === 1) {
      // Most values are literals (an environment value, a tmpfiles line): nothing to resolve,
      // so nothing worth a memo entry (discovery's memo is the index's own, kept for long).
      const literal = literalStrings(values[0]);
      if (literal) return literal;
    }
    // One-element arrays are usually made on the spot: key them by their value instead.
    const key = values.length === 1 ? values[0] : values;
    return this.cached(key, 'strings', (r) => r.computeStrings(values));
  }

  private computeStrings(values: Value[] | undefined): ResolvedString[] {
    const out: ResolvedString[] = [];
    for (const value of values ?? []) {
      eachLeaf(this.value(value), (leaf) => {
        if (leaf.k === 'str') out.push({ text: knownText(leaf.parts), parts: leaf.parts, src: leaf.src, via: leaf.via, origins: leaf.origins });
        else if (leaf.k === 'int') out.push({ text: String(leaf.v), parts: [String(leaf.v)], src: leaf.src });
      }, { lists: true });
    }
    return out;
  }

  /** The entries of an attrset-valued field (environment), resolved. */
  entries(values: Value[] | undefined): Array<{ key: string; keySrc: Src; value: ResolvedString[]; raw: Value }> {
    const out: Array<{ key: string; keySrc: Src; value: ResolvedString[]; raw: Value }> = [];
    for (const value of values ?? []) {
      eachLeaf(value, (leaf) => {
        if (leaf.k !== 'attrs') return;
        for (const entry of leaf.entries) if (entry.key !== null) out.push({ key: entry.key, keySrc: entry.keySrc, value: this.strings([entry.value]), raw: entry.value });
      });
    }
    return out;
  }
}
