// The only module that loads web-tree-sitter. Everything else receives trees from here
// (or from the document store) and must delete() what it creates.
import * as path from 'path';
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { Parser, Language, Query, Tree, Node, Edit, Point, TreeCursor } from 'web-tree-sitter';
import { FileLimitError, checkNesting, parseBudgetMs } from './limits';
import { loneCarriageReturnsAsNewlines } from '../model/lines';
export { Edit };

export type { Tree, Node, Point };

let ready: Promise<Language> | undefined;
let language: Language | undefined;
let sharedParser: Parser | undefined;
/** Direct access to the runtime's cursor exports, when this web-tree-sitter build offers it. */
let direct: DirectCursor | undefined;
/** For each grammar symbol: 0 anonymous, 1 named, OPERATOR_PARENT named with an `operator` token child. */
let namedSymbols: Uint8Array | undefined;
const OPERATOR_PARENT = 2;
const OPERATOR_PARENTS = new Set(['binary_expression', 'unary_expression', 'has_attr_expression']);

/** Folder that holds web-tree-sitter.wasm and tree-sitter-nix.wasm (next to the bundle). */
export function wasmFolder(): string {
  return process.env.HWC_WASM_DIR ?? __dirname;
}

/** Loads the runtime and the Nix grammar once per process. */
export function initParser(): Promise<Language> {
  if (!ready) {
    ready = (async () => {
      const dir = wasmFolder();
      // Emscripten adopts this object as its module object: it receives the wasm exports.
      const moduleObject: Record<string, unknown> = { locateFile: (file: string) => path.join(dir, file) };
      await Parser.init(moduleObject);
      language = await Language.load(fs.readFileSync(path.join(dir, 'tree-sitter-nix.wasm')));
      sharedParser = new Parser();
      sharedParser.setLanguage(language);
      namedSymbols = new Uint8Array(65536);
      namedSymbols[ERROR_SYMBOL] = 1;
      for (let id = 0; id < language.types.length; id++) {
        const type = language.types[id];
        if (type && language.nodeTypeIsNamed(id)) namedSymbols[id] = OPERATOR_PARENTS.has(type) ? OPERATOR_PARENT : 1;
      }
      direct = process.env.HWC_PORTABLE_WALK ? undefined : directCursor(moduleObject);
      if (direct && !directWalkAgrees()) direct = undefined;
      return language;
    })();
  }
  return ready;
}

/** How long a parse runs before parseNix reads the CPU clock (far below any budget, far above a normal file's parse). */
const CPU_CLOCK_AFTER_MS = 20;

function parserOrThrow(): Parser {
  if (!sharedParser) throw new Error('initParser() must complete before parsing');
  return sharedParser;
}

/**
 * Parses text (optionally reusing an edited old tree). The caller owns the result. Throws
 * FileLimitError (limits.ts) for a text nested too deep, or whose parse runs over its time
 * budget: the parse is cancelled, nothing is left allocated.
 */
export function parseNix(text: string, oldTree?: Tree | null): Tree {
  checkNesting(text);
  const parser = parserOrThrow();
  // tree-sitter counts only `\n` as a line break; the LSP also counts a lone `\r`
  // (model/lines.ts). Same length, so offsets and edits stay valid; `\r` and `\n` are both
  // whitespace to Nix.
  text = loneCarriageReturnsAsNewlines(text);
  const budget = parseBudgetMs(text.length);
  const started = performance.now();
  const deadline = started + budget;
  // The CPU clock starts only once a parse has run CPU_CLOCK_AFTER_MS: process.cpuUsage()
  // sums every thread of the process, which costs about 40 µs while a parse worker runs —
  // per file, a tenth of a cold `hwc lint`, for files that parse in a tenth of a millisecond.
  // The CPU time before that (at most CPU_CLOCK_AFTER_MS) goes uncounted: a cancellation
  // comes that much later, never earlier (a stalled thread's wall time is no CPU time).
  let cpuAtSnapshot: NodeJS.CpuUsage | undefined;
  let overBudget = false;
  // tree-sitter calls this every hundred or so parse steps; returning true cancels the parse.
  // Over budget means both clocks agree: the wall clock (a busy machine alone stretches
  // it) and the process's CPU time (parallel workers alone add up in it).
  const progressCallback = () => {
    if (overBudget) return true;
    const now = performance.now();
    if (!cpuAtSnapshot) {
      if (now - started >= CPU_CLOCK_AFTER_MS) cpuAtSnapshot = process.cpuUsage();
      return false;
    }
    if (now <= deadline) return false;
    const cpu = process.cpuUsage(cpuAtSnapshot);
    overBudget = (cpu.user + cpu.system) / 1000 > budget;
    return overBudget;
  };
  const tree = parser.parse(text, oldTree ?? null, { progressCallback });
  if (!tree) {
    // A cancelled parse would otherwise resume on the parser's next call.
    parser.reset();
    if (overBudget) throw new FileLimitError(`parsing it takes longer than ${Math.round(budget)} ms (the budget for its size)`);
    throw new Error('tree-sitter returned no tree');
  }
  return tree;
}

/** Parses, runs fn on the tree and always frees it. */
export function withTree<T>(text: string, fn: (tree: Tree) => T): T {
  const tree = parseNix(text);
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

const queries = new Map<string, Query>();

/**
 * A compiled query, created once per process and kept for its lifetime (queries are
 * immutable and cheap to keep; compiling one per file would be the leak).
 */
export function sharedQuery(source: string): Query {
  let query = queries.get(source);
  if (!query) {
    if (!language) throw new Error('initParser() must complete before queries');
    query = new Query(language, source);
    queries.set(source, query);
  }
  return query;
}

/** The grammar's node type names and field names by id, and which symbols are named (non-zero), to map FlatTree symbols and fields. */
export function grammarNames(): { types: readonly string[]; fields: readonly (string | null)[]; named: Uint8Array } {
  if (!language || !namedSymbols) throw new Error('initParser() must complete before grammarNames()');
  return { types: language.types, fields: language.fields, named: namedSymbols };
}

// ---------------------------------------------------------------------------------------
// Flat trees. Every Node property read crosses into WebAssembly and allocates a Node; a
// model that reads each node several times pays that about a million times per 2,000
// modules. A flat tree is the same tree copied once into typed arrays.

export const ERROR_SYMBOL = 65535;

/**
 * A tree's named nodes (and the anonymous nodes that fill a field, such as an operator) in
 * document order (pre-order; node 0 is the root). Offsets are UTF-16 code units into `text`,
 * as web-tree-sitter reports them for string input; rows and columns follow from the text.
 */
export interface FlatTree {
  count: number;
  /** Grammar symbol (ERROR_SYMBOL for an ERROR node). */
  symbol: Uint16Array;
  /** Field id under the parent (0 for none). */
  field: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** -1 for none. */
  firstChild: Int32Array;
  nextSibling: Int32Array;
  /** The source: the root's text, preceded by a stand-in for what precedes the root (same length and line breaks). */
  text: string;
  /** One buffer holds every array (to hand a tree to another thread in one transfer). */
  buffer: ArrayBuffer;
  capacity: number;
}

/** The arrays of a FlatTree over its buffer (after a transfer from another thread, say). */
export function flatTreeOver(buffer: ArrayBuffer, capacity: number, count: number, text: string): FlatTree {
  const ints = (k: number) => new Int32Array(buffer, k * 4 * capacity, capacity);
  return {
    count,
    start: ints(0),
    end: ints(1),
    firstChild: ints(2),
    nextSibling: ints(3),
    symbol: new Uint16Array(buffer, 16 * capacity, capacity),
    field: new Uint8Array(buffer, 18 * capacity, capacity),
    text,
    buffer,
    capacity,
  };
}

/** Copies a tree into a FlatTree in one cursor walk. The tree stays owned by the caller. */
export function flattenTree(tree: Tree): FlatTree {
  const root = tree.rootNode;
  return flattenFrom(root, sourceText(root));
}

/** The subtree at `node` (a named node) copied into a FlatTree whose offsets index `text` (see flatSplice.ts). */
export function flattenFrom(node: Node, text: string): FlatTree {
  if (!namedSymbols) throw new Error('initParser() must complete before flattenTree()');
  const d = direct;
  return d ? walk(node, text, () => new DirectSteps(node, d)) : walk(node, text, () => new PortableSteps(node));
}

/** Whether flattenTree calls the runtime's exports directly (false: through the public cursor API). */
export function flattenIsDirect(): boolean {
  return direct !== undefined;
}

/** What a walk needs from a cursor: both implementations visit the same nodes. */
interface Steps {
  symbol(): number;
  field(): number;
  start(): number;
  end(): number;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  done(): void;
}

/**
 * Copies the subtree at `root` (node 0 of the result). `cursor` is made after everything else
 * here has read the root (which goes through the transfer buffer too).
 */
function walk(root: Node, text: string, cursor: () => Steps): FlatTree {
  const capacity = root.descendantCount;
  const flat = flatTreeOver(new ArrayBuffer(19 * capacity), capacity, 0, text);
  flat.firstChild.fill(-1);
  flat.nextSibling.fill(-1);
  const named = namedSymbols!;
  const steps = cursor();
  // parents[d] is the node at depth d, last[d] its last child so far.
  const parents: number[] = [];
  const last: number[] = [];
  let n = 0;
  try {
    for (;;) {
      const symbol = steps.symbol();
      const isNamed = named[symbol] !== 0;
      // The grammar gives an anonymous token a field only as an operator: skip the call elsewhere.
      const field = isNamed || (parents.length > 0 && named[flat.symbol[parents[parents.length - 1]]] === OPERATOR_PARENT) ? steps.field() : 0;
      if (isNamed || field !== 0) {
        const i = n++;
        flat.symbol[i] = symbol;
        flat.field[i] = field;
        flat.start[i] = steps.start();
        flat.end[i] = steps.end();
        const depth = parents.length;
        if (depth > 0) {
          if (last[depth - 1] < 0) flat.firstChild[parents[depth - 1]] = i;
          else flat.nextSibling[last[depth - 1]] = i;
          last[depth - 1] = i;
        }
        // Anonymous nodes are tokens: nothing below them to copy.
        if (isNamed && steps.firstChild()) {
          parents.push(i);
          last.push(-1);
          continue;
        }
      }
      let moved = steps.nextSibling();
      while (!moved && parents.length > 0 && steps.parent()) {
        parents.pop();
        last.pop();
        moved = steps.nextSibling();
      }
      if (!moved) break;
    }
  } finally {
    steps.done();
  }
  flat.count = n;
  return flat;
}

/** The text offsets index: the root's own text, after a stand-in with the same length and line structure. */
export function sourceText(root: Node): string {
  const text = root.text;
  const offset = root.startIndex;
  if (offset === 0) return text;
  const { row, column } = root.startPosition;
  return ' '.repeat(offset - row - column) + '\n'.repeat(row) + ' '.repeat(column) + text;
}

class PortableSteps implements Steps {
  private readonly cursor: TreeCursor;
  constructor(node: Node) {
    this.cursor = node.walk();
  }
  symbol(): number {
    return this.cursor.nodeTypeId;
  }
  field(): number {
    return this.cursor.currentFieldId;
  }
  start(): number {
    return this.cursor.startIndex;
  }
  end(): number {
    return this.cursor.endIndex;
  }
  firstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }
  nextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }
  parent(): boolean {
    return this.cursor.gotoParent();
  }
  done(): void {
    this.cursor.delete();
  }
}

/**
 * The runtime's own cursor exports, called directly. Each export reads the cursor from the
 * runtime's transfer buffer (and the moving ones write it back), which the public TreeCursor
 * re-marshals around every call; here the cursor stays in the buffer for the whole walk and
 * nothing in between writes to it. Found on the Emscripten module object (web-tree-sitter 0.27
 * adopts the options object given to Parser.init), checked at start-up against the public API.
 */
interface DirectCursor {
  module: { HEAP32: Int32Array };
  transfer: number;
  symbol: (tree: number) => number;
  field: (tree: number) => number;
  start: (tree: number) => number;
  end: (tree: number) => number;
  firstChild: (tree: number) => number;
  nextSibling: (tree: number) => number;
  parent: (tree: number) => number;
}

function directCursor(m: Record<string, unknown>): DirectCursor | undefined {
  const fn = (name: string) => (typeof m[name] === 'function' ? (m[name] as (...args: number[]) => number) : undefined);
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const init = fn('_ts_init');
  const exports = {
    symbol: fn('_ts_tree_cursor_current_node_type_id_wasm'),
    field: fn('_ts_tree_cursor_current_field_id_wasm'),
    start: fn('_ts_tree_cursor_start_index_wasm'),
    end: fn('_ts_tree_cursor_end_index_wasm'),
    firstChild: fn('_ts_tree_cursor_goto_first_child_wasm'),
    nextSibling: fn('_ts_tree_cursor_goto_next_sibling_wasm'),
    parent: fn('_ts_tree_cursor_goto_parent_wasm'),
  };
  if (!littleEndian || !init || !(m.HEAP32 instanceof Int32Array) || Object.values(exports).some((f) => !f)) return undefined;
  // ts_init() only returns the transfer buffer's address (and rewrites two version words).
  return { module: m as { HEAP32: Int32Array }, transfer: init() >> 2, ...(exports as Omit<DirectCursor, 'module' | 'transfer'>) };
}

type Handle = { [index: number]: number };

class DirectSteps implements Steps {
  private readonly cursor: TreeCursor & Handle;
  private readonly tree: number;
  constructor(node: Node, private readonly d: DirectCursor) {
    this.cursor = node.walk() as TreeCursor & Handle;
    this.tree = (node.tree as unknown as Handle)[0];
    const heap = d.module.HEAP32;
    for (let k = 0; k < 4; k++) heap[d.transfer + k] = this.cursor[k];
  }
  symbol(): number {
    return this.d.symbol(this.tree);
  }
  field(): number {
    return this.d.field(this.tree);
  }
  start(): number {
    return this.d.start(this.tree);
  }
  end(): number {
    return this.d.end(this.tree);
  }
  firstChild(): boolean {
    return this.d.firstChild(this.tree) === 1;
  }
  nextSibling(): boolean {
    return this.d.nextSibling(this.tree) === 1;
  }
  parent(): boolean {
    return this.d.parent(this.tree) === 1;
  }
  done(): void {
    // The cursor's stack may have been reallocated during the walk: take it back before delete().
    const heap = this.d.module.HEAP32;
    for (let k = 0; k < 4; k++) this.cursor[k] = heap[this.d.transfer + k];
    this.cursor.delete();
  }
}

/** Start-up self-check: the direct walk must copy exactly what the public API copies. */
function directWalkAgrees(): boolean {
  const sample = '# c\n{ a, b ? 1, ... }: let x = a.b or "s${x}"; in assert a; { inherit x; y = [ (x + 1) ./p ]; z = if a then !b else c; "k" = x: x; w = x ? y; }';
  const same = (a: FlatTree, b: FlatTree) =>
    a.count === b.count && a.text === b.text && (['symbol', 'field', 'start', 'end', 'firstChild', 'nextSibling'] as const).every((k) => a[k].every((v, i) => i >= a.count || v === b[k][i]));
  try {
    return withTree(sample, (tree) => {
      const root = tree.rootNode;
      const text = sourceText(root);
      return same(walk(root, text, () => new DirectSteps(root, direct!)), walk(root, text, () => new PortableSteps(root)));
    });
  } catch {
    return false;
  }
}
