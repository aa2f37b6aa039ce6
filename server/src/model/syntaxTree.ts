// The model's view of a parsed file: a FlatTree (see parse/parser.ts) with node kinds and
// fields as small numbers, texts sliced from the source and positions computed from the
// offsets. Reading it never calls into WebAssembly, so the evaluator and the syntax scan can
// look at a node as often as they like. Nodes are numbers (pre-order indices, -1 for none).
import { ERROR_SYMBOL, FlatTree, Node, Tree, flattenTree, grammarNames } from '../parse/parser';
import type { Src } from './source';
import { srcAt } from './source';

/** Node kinds the model tells apart; everything else is Other (named) or Token (anonymous). */
export const enum K {
  Other, Token, Error, SourceCode, Comment, Identifier, Integer, Path, HPath, Uri, StringFragment, EscapeSequence,
  DollarEscape, Variable, Function, Formals, Formal, Assert, With, Let, If, HasAttr, Binary, Apply, Select, Paren,
  Attrset, RecAttrset, String, IndentedString, BindingSet, Binding, Inherit, InheritFrom, Attrpath, InheritedAttrs,
  Interpolation, List,
}

const KIND_NAMES: Record<string, K> = {
  source_code: K.SourceCode, comment: K.Comment, identifier: K.Identifier, integer_expression: K.Integer,
  path_expression: K.Path, hpath_expression: K.HPath, uri_expression: K.Uri, string_fragment: K.StringFragment,
  escape_sequence: K.EscapeSequence, dollar_escape: K.DollarEscape, variable_expression: K.Variable,
  function_expression: K.Function, formals: K.Formals, formal: K.Formal, assert_expression: K.Assert,
  with_expression: K.With, let_expression: K.Let, if_expression: K.If, has_attr_expression: K.HasAttr,
  binary_expression: K.Binary, apply_expression: K.Apply, select_expression: K.Select,
  parenthesized_expression: K.Paren, attrset_expression: K.Attrset, rec_attrset_expression: K.RecAttrset,
  string_expression: K.String, indented_string_expression: K.IndentedString, binding_set: K.BindingSet,
  binding: K.Binding, inherit: K.Inherit, inherit_from: K.InheritFrom, attrpath: K.Attrpath,
  inherited_attrs: K.InheritedAttrs, interpolation: K.Interpolation, list_expression: K.List,
};

/** Fields the model reads. */
export const enum F {
  None, Alternative, Argument, Attr, Attrpath, Attrs, Body, Consequence, Default, Environment, Expression, Formals,
  Function, Left, Name, Operator, Right, Universal, Other,
}

const FIELD_NAMES: Record<string, F> = {
  alternative: F.Alternative, argument: F.Argument, attr: F.Attr, attrpath: F.Attrpath, attrs: F.Attrs, body: F.Body,
  consequence: F.Consequence, default: F.Default, environment: F.Environment, expression: F.Expression,
  formals: F.Formals, function: F.Function, left: F.Left, name: F.Name, operator: F.Operator, right: F.Right,
  universal: F.Universal,
};

let tables: { kinds: Uint8Array; fields: Uint8Array } | undefined;

/** Grammar symbol → K (Token for anonymous symbols; a name can belong to several symbols) and field id → F, built once. */
function grammarTables(): { kinds: Uint8Array; fields: Uint8Array } {
  if (!tables) {
    const { types, fields, named } = grammarNames();
    const kinds = new Uint8Array(65536).fill(K.Token);
    kinds[ERROR_SYMBOL] = K.Error;
    for (let id = 0; id < types.length; id++) if (named[id] !== 0) kinds[id] = KIND_NAMES[types[id]] ?? K.Other;
    const fieldTable = new Uint8Array(256).fill(F.Other);
    fieldTable[0] = F.None;
    fields.forEach((name, id) => {
      if (name && FIELD_NAMES[name] !== undefined) fieldTable[id] = FIELD_NAMES[name];
    });
    tables = { kinds, fields: fieldTable };
  }
  return tables;
}

export class SyntaxTree {
  readonly count: number;
  /** K of each node. */
  readonly kind: Uint8Array;
  /** F of each node under its parent. */
  readonly field: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly source: string;
  private lineStarts: number[] | undefined;

  constructor(flat: FlatTree) {
    const { kinds, fields } = grammarTables();
    this.count = flat.count;
    this.kind = new Uint8Array(flat.count);
    this.field = new Uint8Array(flat.count);
    for (let i = 0; i < flat.count; i++) {
      this.kind[i] = kinds[flat.symbol[i]];
      this.field[i] = fields[flat.field[i]];
    }
    this.start = flat.start;
    this.end = flat.end;
    this.firstChild = flat.firstChild;
    this.nextSibling = flat.nextSibling;
    this.source = flat.text;
  }

  static of(tree: Tree): SyntaxTree {
    return new SyntaxTree(flattenTree(tree));
  }

  text(node: number): string {
    return this.source.slice(this.start[node], this.end[node]);
  }

  /** The first child in `field`, or -1 (as Node.childForFieldName). */
  child(node: number, field: F): number {
    for (let c = this.firstChild[node]; c >= 0; c = this.nextSibling[c]) if (this.field[c] === field) return c;
    return -1;
  }

  /** The first named child, or -1 (iterate on with nextNamed). */
  firstNamed(node: number): number {
    let c = node >= 0 ? this.firstChild[node] : -1;
    while (c >= 0 && this.kind[c] === K.Token) c = this.nextSibling[c];
    return c;
  }

  nextNamed(node: number): number {
    let c = this.nextSibling[node];
    while (c >= 0 && this.kind[c] === K.Token) c = this.nextSibling[c];
    return c;
  }

  namedCount(node: number): number {
    let count = 0;
    for (let c = this.firstNamed(node); c >= 0; c = this.nextNamed(c)) count++;
    return count;
  }

  /** The first named child of `kind`, or -1. */
  namedOfKind(node: number, kind: K): number {
    for (let c = this.firstNamed(node); c >= 0; c = this.nextNamed(c)) if (this.kind[c] === kind) return c;
    return -1;
  }

  /** One past the last node of the subtree at `node` (pre-order: the subtree is node … subtreeEnd - 1). */
  subtreeEnd(node: number): number {
    for (let n = node; n >= 0; ) {
      const next = this.nextSibling[n];
      if (next >= 0) return next;
      n = this.parentOf(n);
    }
    return this.count;
  }

  private parents: Int32Array | undefined;
  private parentOf(node: number): number {
    if (!this.parents) {
      this.parents = new Int32Array(this.count).fill(-1);
      for (let i = 0; i < this.count; i++) for (let c = this.firstChild[i]; c >= 0; c = this.nextSibling[c]) this.parents[c] = i;
    }
    return this.parents[node];
  }

  /** Where `node` is. Nodes with the same extent share one Src (summaries keep many). */
  src(file: string, node: number): Src {
    const start = this.start[node];
    const end = this.end[node];
    const key = start * 0x100000000 + end;
    const cacheable = start < 0x200000 && file === this.srcFile;
    const cached = cacheable ? this.srcs.get(key) : undefined;
    if (cached) return cached;
    const lines = this.lines();
    const startLine = lineOf(lines, start);
    const endLine = end === start ? startLine : lineOf(lines, end, startLine);
    const made = srcAt(file, startLine, start - lines[startLine], endLine, end - lines[endLine]);
    if (start < 0x200000) {
      if (file !== this.srcFile) {
        this.srcFile = file;
        this.srcs.clear();
      }
      this.srcs.set(key, made);
    }
    return made;
  }

  private srcFile: string | undefined;
  private readonly srcs = new Map<number, Src>();

  private lines(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.source;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** The node for a web-tree-sitter Node of the same tree (the outermost one with its kind and extent), or -1. */
  find(node: Node): number {
    const start = node.startIndex;
    const end = node.endIndex;
    const kind = kindOfName(node.type);
    for (let i = 0; i < this.count; i++) if (this.start[i] === start && this.end[i] === end && (this.kind[i] === kind || kind === K.Other)) return i;
    return -1;
  }
}

function lineOf(lines: number[], offset: number, from = 0): number {
  let lo = from;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function kindOfName(name: string): K {
  return name === 'ERROR' ? K.Error : KIND_NAMES[name] ?? K.Other;
}
