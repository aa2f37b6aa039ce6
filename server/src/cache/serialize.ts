// A generic encoding of the engine's data (file summaries, findings) into JSON text and back,
// for the lint cache. Generic over structure: it knows containers and values, not fields, so
// it survives any change to what a summary holds — plain objects, arrays, Maps, Sets, typed
// arrays, `undefined`, numbers JSON cannot write, objects shared or referenced twice (kept
// as one object), and `Src`s, which come back as the same compact objects `srcAt` makes.
// Strings come back interned (model/intern.ts), as the extractor leaves them. Anything else
// (a function, a class instance it does not know) is refused with `NotSerializable`, so a
// summary that grows such a field is simply not cached rather than cached wrong.
//
// The encoding: a number, boolean, null or string stands for itself; every other value is an
// array whose first element is a tag. Property names of plain objects are listed once per
// document (`shapes`) and referenced by index, since thousands of values share a few shapes.
// A `Src` names its file once per document; later `Src`s of that file give the number of
// its first mention (a summary's sources are mostly in its own file: a third of the text,
// and as much of the work of reading it, went into repeating that path).
import { intern } from '../model/intern';
import { srcAt, type Src } from '../model/source';

export class NotSerializable extends Error {}
/** Text that does not decode: the cache is treated as corrupt. */
export class BadEncoding extends Error {}

const enum Tag {
  Array = 0,
  Object = 1,
  Map = 2,
  Set = 3,
  Src = 4,
  Ref = 5,
  Undefined = 6,
  Typed = 7,
  Number = 8,
  /** The next value is referenced again later: it gets the next reference number. */
  Shared = 9,
  NullObject = 10,
}

const TYPED_ARRAYS: Record<string, new (values: number[]) => ArrayLike<number>> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
};

export interface Encoded {
  shapes: string[][];
  value: unknown;
}

function isSrc(value: object): value is Src {
  // The model's Src classes keep `file` as a field and compute `range`; a plain `{ file, range }` stays plain.
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null && typeof (value as Src).file === 'string' && 'range' in proto;
}

/** Encodes `value` as a JSON-compatible document; throws NotSerializable for what it cannot keep. */
export function encode(value: unknown): Encoded {
  // First pass: which objects are reached more than once (shared subtrees, cycles).
  const seen = new Set<object>();
  const shared = new Set<object>();
  const count = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (seen.has(v)) {
      shared.add(v);
      return;
    }
    seen.add(v);
    if (Array.isArray(v)) for (const item of v) count(item);
    else if (v instanceof Map) for (const [k, item] of v) count(k), count(item);
    else if (v instanceof Set) for (const item of v) count(item);
    else if (ArrayBuffer.isView(v) || isSrc(v)) return;
    else for (const key in v) count((v as Record<string, unknown>)[key]);
  };
  count(value);

  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const srcFiles = new Map<string, number>();
  const refs = new Map<object, number>();
  const out = (v: unknown): unknown => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0) ? v : [Tag.Number, String(Object.is(v, -0) ? '-0' : v)];
      case 'undefined':
        return [Tag.Undefined];
      case 'object':
        break;
      default:
        throw new NotSerializable(`a ${typeof v} cannot be cached`);
    }
    if (v === null) return null;
    const ref = refs.get(v);
    if (ref !== undefined) return [Tag.Ref, ref];
    if (shared.has(v)) {
      refs.set(v, refs.size);
      return [Tag.Shared, body(v)];
    }
    return body(v);
  };
  const body = (v: object): unknown => {
    if (Array.isArray(v)) {
      const list: unknown[] = [Tag.Array];
      for (let i = 0; i < v.length; i++) list.push(out(v[i]));
      return list;
    }
    if (v instanceof Map) {
      const list: unknown[] = [Tag.Map];
      for (const [k, item] of v) list.push(out(k), out(item));
      return list;
    }
    if (v instanceof Set) {
      const list: unknown[] = [Tag.Set];
      for (const item of v) list.push(out(item));
      return list;
    }
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name;
      if (!(name in TYPED_ARRAYS)) throw new NotSerializable(`a ${name} cannot be cached`);
      return [Tag.Typed, name, ...Array.from(v as unknown as ArrayLike<number>, (n) => out(n))];
    }
    if (isSrc(v)) {
      const { start, end } = v.range;
      const seen = srcFiles.get(v.file);
      if (seen === undefined) srcFiles.set(v.file, srcFiles.size);
      return [Tag.Src, seen ?? v.file, start.line, start.character, end.line, end.character];
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new NotSerializable(`an instance of ${proto?.constructor?.name ?? 'a class'} cannot be cached`);
    const keys = Object.keys(v);
    const shapeKey = keys.join('\0');
    let shape = shapeIds.get(shapeKey);
    if (shape === undefined) {
      shape = shapes.length;
      shapes.push(keys);
      shapeIds.set(shapeKey, shape);
    }
    const list: unknown[] = [proto === null ? Tag.NullObject : Tag.Object, shape];
    for (const key of keys) list.push(out((v as Record<string, unknown>)[key]));
    return list;
  };
  return { shapes, value: out(value) };
}

/** The value `encode` was given (a deep copy); throws BadEncoding for anything it did not write. */
export function decode(encoded: Encoded): unknown {
  const { shapes } = encoded;
  if (!Array.isArray(shapes) || !shapes.every((s) => Array.isArray(s) && s.every((k) => typeof k === 'string'))) throw new BadEncoding('bad shape table');
  const refs: unknown[] = [];
  const srcFiles: string[] = [];
  const bad = (why: string): never => {
    throw new BadEncoding(why);
  };
  const int = (n: unknown): number => (Number.isInteger(n) ? (n as number) : bad('expected an integer'));

  const read = (e: unknown): unknown => {
    switch (typeof e) {
      case 'string':
        return intern(e);
      case 'number':
      case 'boolean':
        return e;
      case 'object':
        break;
      default:
        return bad(`unexpected ${typeof e}`);
    }
    if (e === null) return null;
    if (!Array.isArray(e) || e.length === 0) return bad('expected a tagged array');
    switch (e[0]) {
      case Tag.Ref: {
        const i = int(e[1]);
        return i < refs.length ? refs[i] : bad('reference to nothing');
      }
      case Tag.Shared: {
        // Registered before its contents are read, so a cycle through it resolves.
        const inner = e[1];
        if (!Array.isArray(inner)) return bad('expected a tagged array');
        const slot = refs.length;
        refs.push(undefined);
        const shell = shellFor(inner);
        refs[slot] = shell;
        const value = fill(inner, shell);
        refs[slot] = value;
        return value;
      }
      default:
        return fill(e, shellFor(e));
    }
  };
  const shellFor = (e: unknown[]): unknown => {
    switch (e[0]) {
      case Tag.Array:
        return [];
      case Tag.Object:
        return {};
      case Tag.NullObject:
        return Object.create(null);
      case Tag.Map:
        return new Map();
      case Tag.Set:
        return new Set();
      default:
        return undefined;
    }
  };
  const fill = (e: unknown[], shell: unknown): unknown => {
    switch (e[0]) {
      case Tag.Array: {
        const list = shell as unknown[];
        for (let i = 1; i < e.length; i++) list.push(read(e[i]));
        return list;
      }
      case Tag.Object:
      case Tag.NullObject: {
        const keys = shapes[int(e[1])] ?? bad('unknown shape');
        if (keys.length !== e.length - 2) bad('shape and values differ in length');
        const object = shell as Record<string, unknown>;
        for (let i = 0; i < keys.length; i++) object[keys[i]] = read(e[i + 2]);
        return object;
      }
      case Tag.Map: {
        const map = shell as Map<unknown, unknown>;
        if (e.length % 2 !== 1) bad('odd map');
        for (let i = 1; i < e.length; i += 2) map.set(read(e[i]), read(e[i + 1]));
        return map;
      }
      case Tag.Set: {
        const set = shell as Set<unknown>;
        for (let i = 1; i < e.length; i++) set.add(read(e[i]));
        return set;
      }
      case Tag.Src: {
        if (e.length !== 6) bad('bad source range');
        let file: string;
        if (typeof e[1] === 'string') srcFiles.push((file = intern(e[1])));
        else file = srcFiles[int(e[1])] ?? bad('bad source file');
        return srcAt(file, int(e[2]), int(e[3]), int(e[4]), int(e[5]));
      }
      case Tag.Undefined:
        return undefined;
      case Tag.Number: {
        const text = e[1];
        return text === '-0' ? -0 : text === 'NaN' ? NaN : text === 'Infinity' ? Infinity : text === '-Infinity' ? -Infinity : bad('bad number');
      }
      case Tag.Typed: {
        const make = typeof e[1] === 'string' && Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, e[1]) ? TYPED_ARRAYS[e[1]] : bad('unknown typed array');
        return new make(e.slice(2).map((n) => read(n) as number));
      }
      default:
        return bad('unknown tag');
    }
  };
  return read(encoded.value);
}

/** `encode` as JSON text. */
export function encodeToText(value: unknown): string {
  return JSON.stringify(encode(value));
}

/** `decode` of JSON text; BadEncoding for text that is not such a document. */
export function decodeText(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadEncoding('not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || !('shapes' in parsed) || !('value' in parsed)) throw new BadEncoding('not an encoded document');
  return decode(parsed as Encoded);
}
