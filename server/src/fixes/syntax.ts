// Syntax helpers for fixes: find the node a diagnostic sits on, read and edit string
// literals, locate bindings by their config path (through `config = lib.mkIf … { … }`,
// mkMerge lists and nested attrsets), and insert bindings, list items and formals that
// follow the file's indentation. Fixes receive trees from withTree() and never keep them.
import type { Range } from '../model/source';
import type { Node, Tree } from '../parse/parser';
import { eol, escapeDoubleQuoted, indentBlock, indentOf, indentUnit, lineEndOf, lineStartOf, startsLine } from './text';
import type { TextEdit } from './types';

export const ATTRSETS = new Set(['attrset_expression', 'rec_attrset_expression']);
const NON_CONFIG_KEYS = new Set(['imports', 'options', 'config', 'meta', '_file', 'key', 'disabledModules', 'freeformType', '_class']);
/** lib functions that pass their last argument through as config (mkIf cond X, mkMerge [X …]…) and their arity. */
const MODIFIERS: Record<string, number> = { mkIf: 2, mkMerge: 1, mkDefault: 1, mkForce: 1, mkOverride: 2, mkBefore: 1, mkAfter: 1, mkOrder: 2 };

export function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** The smallest node spanning exactly `range`, or null. */
export function nodeAtRange(tree: Tree, range: Range): Node | null {
  let node: Node | null = tree.rootNode.descendantForPosition(
    { row: range.start.line, column: range.start.character },
    { row: range.end.line, column: range.end.character },
  );
  while (node) {
    const s = node.startPosition;
    const e = node.endPosition;
    if (s.row === range.start.line && s.column === range.start.character && e.row === range.end.line && e.column === range.end.character) return node;
    if (s.row < range.start.line || (s.row === range.start.line && s.column < range.start.character)) return null;
    node = node.parent;
  }
  return null;
}

export function unwrapParens(node: Node | null): Node | null {
  while (node?.type === 'parenthesized_expression') node = node.childForFieldName('expression');
  return node;
}

// --- string literals -------------------------------------------------------------------

export interface Segment {
  start: number;
  end: number;
  /** The characters this piece contributes, null for an interpolation. */
  decoded: string | null;
  /** Literal text whose offsets map one to one onto the decoded text. */
  verbatim: boolean;
}

export interface StringLiteral {
  node: Node;
  indented: boolean;
  contentStart: number;
  contentEnd: number;
  segments: Segment[];
}

function decodeEscape(raw: string): string {
  const c = raw.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

export function stringLiteral(node: Node | null): StringLiteral | null {
  if (!node || (node.type !== 'string_expression' && node.type !== 'indented_string_expression')) return null;
  const indented = node.type === 'indented_string_expression';
  const quote = indented ? 2 : 1;
  const contentStart = node.startIndex + quote;
  const contentEnd = node.endIndex - quote;
  if (contentEnd < contentStart || node.hasError) return null;
  const segments: Segment[] = [];
  const source = node.text;
  const raw = (from: number, to: number) => source.slice(from - node.startIndex, to - node.startIndex);
  let at = contentStart;
  for (const child of node.namedChildren) {
    if (!child || child.startIndex < contentStart || child.endIndex > contentEnd) continue;
    if (child.startIndex > at) segments.push({ start: at, end: child.startIndex, decoded: raw(at, child.startIndex), verbatim: true });
    const text = raw(child.startIndex, child.endIndex);
    if (child.type === 'interpolation') segments.push({ start: child.startIndex, end: child.endIndex, decoded: null, verbatim: false });
    else if (child.type === 'string_fragment') segments.push({ start: child.startIndex, end: child.endIndex, decoded: text, verbatim: true });
    else if (child.type === 'escape_sequence' && !indented) segments.push({ start: child.startIndex, end: child.endIndex, decoded: decodeEscape(text), verbatim: false });
    else if (child.type === 'dollar_escape') segments.push({ start: child.startIndex, end: child.endIndex, decoded: '$', verbatim: false });
    else segments.push({ start: child.startIndex, end: child.endIndex, decoded: text, verbatim: !indented });
    at = child.endIndex;
  }
  if (at < contentEnd) segments.push({ start: at, end: contentEnd, decoded: raw(at, contentEnd), verbatim: true });
  return { node, indented, contentStart, contentEnd, segments };
}

/** The literal's text when it has no interpolation. */
export function literalText(lit: StringLiteral): string | null {
  if (lit.indented || lit.segments.some((s) => s.decoded === null)) return null;
  return lit.segments.map((s) => s.decoded).join('');
}

/** The literal text before the first and after the last interpolation (all of it when there is none). */
export function literalEnds(lit: StringLiteral): { head: string; tail: string; interpolated: boolean } {
  const first = lit.segments.findIndex((s) => s.decoded === null);
  if (first < 0) {
    const all = lit.segments.map((s) => s.decoded).join('');
    return { head: all, tail: all, interpolated: false };
  }
  let last = first;
  lit.segments.forEach((s, i) => s.decoded === null && (last = i));
  const join = (segs: Segment[]) => segs.map((s) => s.decoded).join('');
  return { head: join(lit.segments.slice(0, first)), tail: join(lit.segments.slice(last + 1)), interpolated: true };
}

/** Maps offset k of `segments`' decoded text onto the source; null inside an escape. */
function mapWithin(segments: Segment[], k: number, endOffset: number): number | null {
  let pos = 0;
  for (const seg of segments) {
    const len = seg.decoded!.length;
    if (k === pos) return seg.start;
    if (k < pos + len) return seg.verbatim ? seg.start + (k - pos) : null;
    pos += len;
  }
  return k === pos ? endOffset : null;
}

/**
 * The smallest edit that turns the literal's resolved text `from` into `to`. Works on a
 * literal with interpolations as long as the change falls in its literal head or tail
 * (`"${cfg.x}:8080"` → `"127.0.0.1:${cfg.x}:8080"`). Null when the change cannot be made
 * in this literal alone.
 */
export function replaceInLiteral(lit: StringLiteral, from: string, to: string): TextEdit | null {
  if (lit.indented || from === to) return null;
  let p = 0;
  while (p < from.length && p < to.length && from[p] === to[p]) p++;
  let s = 0;
  while (s < from.length - p && s < to.length - p && from[from.length - 1 - s] === to[to.length - 1 - s]) s++;
  const a = p;
  const b = from.length - s;
  const insert = escapeDoubleQuoted(to.slice(p, to.length - s));
  const first = lit.segments.findIndex((seg) => seg.decoded === null);
  if (first < 0) {
    if (literalText(lit) !== from) return null;
    const start = mapWithin(lit.segments, a, lit.contentEnd);
    const end = mapWithin(lit.segments, b, lit.contentEnd);
    return start === null || end === null ? null : { start, end, newText: insert };
  }
  let last = first;
  lit.segments.forEach((seg, i) => seg.decoded === null && (last = i));
  const head = lit.segments.slice(0, first);
  const tail = lit.segments.slice(last + 1);
  const headText = head.map((x) => x.decoded).join('');
  const tailText = tail.map((x) => x.decoded).join('');
  if (!from.startsWith(headText) || !from.endsWith(tailText) || from.length < headText.length + tailText.length) return null;
  if (b <= headText.length) {
    const start = mapWithin(head, a, lit.segments[first].start);
    const end = mapWithin(head, b, lit.segments[first].start);
    return start === null || end === null ? null : { start, end, newText: insert };
  }
  const tailFrom = from.length - tailText.length;
  if (a >= tailFrom) {
    const start = mapWithin(tail, a - tailFrom, lit.contentEnd);
    const end = mapWithin(tail, b - tailFrom, lit.contentEnd);
    const tailStart = lit.segments[last].end;
    const fix = (o: number | null) => (o === null ? null : tail.length === 0 ? tailStart : o);
    const s2 = fix(start);
    const e2 = fix(end);
    return s2 === null || e2 === null ? null : { start: s2, end: e2, newText: insert };
  }
  return null;
}

// --- bindings and attribute paths ------------------------------------------------------

/** Attribute names of an attrpath; null for a dynamic one (`${x}`). */
export function attrNames(attrpath: Node | null): Array<string | null> {
  const out: Array<string | null> = [];
  for (const attr of attrpath?.namedChildren ?? []) {
    if (!attr || attr.type === 'comment') continue;
    if (attr.type === 'identifier') out.push(attr.text);
    else if (attr.type === 'string_expression') out.push(literalText(stringLiteral(attr)!) ?? null);
    else out.push(null);
  }
  return out;
}

export function bindingNames(binding: Node): Array<string | null> {
  return attrNames(binding.childForFieldName('attrpath'));
}

/** The bindings (and inherits) written directly in an attrset. */
export function membersOf(attrset: Node): Node[] {
  const set = attrset.namedChildren.find((c) => c?.type === 'binding_set');
  return (set?.namedChildren ?? []).filter((c): c is Node => !!c && (c.type === 'binding' || c.type === 'inherit' || c.type === 'inherit_from'));
}

/** The expression a file's module is: the body under its function, `let` and parentheses. */
export function moduleBody(tree: Tree): Node | null {
  let node: Node | null = tree.rootNode.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  for (;;) {
    if (!node) return null;
    if (node.type === 'parenthesized_expression') node = node.childForFieldName('expression');
    else if (node.type === 'function_expression') node = node.childForFieldName('body');
    else if (node.type === 'let_expression' || node.type === 'with_expression' || node.type === 'assert_expression') node = node.childForFieldName('body');
    else return node;
  }
}

/** The file's outermost function (`{ config, lib, ... }: …`). */
export function moduleFunction(tree: Tree): Node | null {
  let node = unwrapParens(tree.rootNode.namedChildren.find((c) => c && c.type !== 'comment') ?? null);
  return node?.type === 'function_expression' ? node : null;
}

function calleeHead(apply: Node): { name: string | null; args: number } {
  let fn: Node | null = apply;
  let args = 0;
  while (fn?.type === 'apply_expression') {
    args++;
    fn = unwrapParens(fn.childForFieldName('function'));
  }
  if (fn?.type === 'variable_expression') return { name: fn.text, args };
  if (fn?.type === 'select_expression') {
    const names = attrNames(fn.childForFieldName('attrpath'));
    return { name: names[names.length - 1] ?? null, args };
  }
  return { name: null, args };
}

/** Is `node` the value a config modifier passes through (the body of `mkIf c X`, the list of `mkMerge`)? */
function passesThrough(apply: Node, node: Node): boolean {
  if (!same(apply.childForFieldName('argument'), node)) return false;
  const head = calleeHead(apply);
  return head.name !== null && MODIFIERS[head.name] === head.args;
}

/**
 * The attribute path at which `node`'s value lands, relative to the module body: through
 * bindings of enclosing attrsets, parentheses, `let`/`with`/`if` bodies, `//`, `++` and
 * config modifiers. Null when the value does not land in the module's attrset (a `let`
 * binding, a function argument) or a key is dynamic.
 */
export function ownerPath(node: Node, body: Node): string[] | null {
  const path: string[] = [];
  let cur = node;
  for (;;) {
    if (same(cur, body)) return path;
    const parent = cur.parent;
    if (!parent) return null;
    switch (parent.type) {
      case 'parenthesized_expression':
        cur = parent;
        continue;
      case 'let_expression':
      case 'with_expression':
      case 'assert_expression':
        if (!same(parent.childForFieldName('body'), cur)) return null;
        cur = parent;
        continue;
      case 'if_expression':
        if (same(parent.childForFieldName('condition'), cur)) return null;
        cur = parent;
        continue;
      case 'binary_expression': {
        const op = parent.childForFieldName('operator')?.text;
        if (op !== '//' && op !== '++') return null;
        cur = parent;
        continue;
      }
      case 'apply_expression':
        if (!passesThrough(parent, cur)) return null;
        cur = parent;
        continue;
      case 'list_expression': {
        const apply = parent.parent;
        if (apply?.type !== 'apply_expression' || !passesThrough(apply, parent) || calleeHead(apply).name !== 'mkMerge') return null;
        cur = apply;
        continue;
      }
      case 'binding': {
        if (!same(parent.childForFieldName('expression'), cur)) return null;
        const names = bindingNames(parent);
        if (names.some((n) => n === null)) return null;
        const attrset = parent.parent?.parent;
        if (!attrset || !ATTRSETS.has(attrset.type)) return null;
        path.unshift(...(names as string[]));
        cur = attrset;
        continue;
      }
      default:
        return null;
    }
  }
}

/** Does the module body use `config =`/`options =` (then every other key is structure, not config)? */
export function isStructured(body: Node): boolean {
  if (!ATTRSETS.has(body.type)) return false;
  return membersOf(body).some((m) => m.type === 'binding' && ['config', 'options'].includes(bindingNames(m)[0] ?? ''));
}

/** A path relative to the module body, as a config path (`config.x` → `x`), or null if it is not config. */
export function asConfigPath(path: string[] | null, body: Node): string[] | null {
  if (!path) return null;
  if (isStructured(body)) return path[0] === 'config' ? path.slice(1) : null;
  if (path.length > 0 && NON_CONFIG_KEYS.has(path[0])) return null;
  return path;
}

export interface ConfigBinding {
  binding: Node;
  /** The attrset the binding is written in. */
  attrset: Node;
  /** Full config path of the binding (`config.` stripped in an explicit module). */
  path: string[];
  /** The config path of `attrset` itself: `path` minus the binding's own attribute names. */
  prefix: string[];
}

/** Every binding of the file that defines config, with its full config path, in document order. */
export function configBindings(tree: Tree): ConfigBinding[] {
  const body = moduleBody(tree);
  if (!body) return [];
  const out: ConfigBinding[] = [];
  for (const binding of tree.rootNode.descendantsOfType('binding')) {
    if (!binding) continue;
    const attrset = binding.parent?.parent;
    if (!attrset || !ATTRSETS.has(attrset.type)) continue;
    const owner = ownerPath(attrset, body);
    const names = bindingNames(binding);
    if (!owner || names.some((n) => n === null)) continue;
    const full = asConfigPath([...owner, ...(names as string[])], body);
    if (!full || full.length === 0) continue;
    // `config.x = …` on the top level of an explicit module: `config` is structure, not config.
    const own = names.length - (owner.length === 0 && isStructured(body) ? 1 : 0);
    out.push({ binding, attrset, path: full, prefix: full.slice(0, full.length - own) });
  }
  return out;
}

/** Every binding of the file whose full config path is `path`. */
export function bindingsAt(tree: Tree, path: string[]): Node[] {
  return configBindings(tree)
    .filter((b) => b.path.length === path.length && b.path.every((seg, i) => seg === path[i]))
    .map((b) => b.binding);
}

/** The nearest enclosing attrset of `node` that is the config of the module itself (where `systemd.…`, `assertions` go). */
export function configBlock(tree: Tree, node: Node | null): Node | null {
  const body = moduleBody(tree);
  if (!body) return null;
  for (let cur = node; cur; cur = cur.parent) {
    if (!ATTRSETS.has(cur.type) || cur.type === 'rec_attrset_expression') continue;
    const path = asConfigPath(ownerPath(cur, body), body);
    if (path && path.length === 0) return cur;
  }
  return defaultConfigBlock(body);
}

/** The module's config attrset when nothing nearer is known: `config = …`'s attrset (the last one of a mkMerge), or the body. */
function defaultConfigBlock(body: Node): Node | null {
  if (!ATTRSETS.has(body.type)) return null;
  if (!isStructured(body)) return body;
  const binding = membersOf(body).find((m) => m.type === 'binding' && bindingNames(m).length === 1 && bindingNames(m)[0] === 'config');
  let value = unwrapParens(binding?.childForFieldName('expression') ?? null);
  for (let depth = 0; value && depth < 8; depth++) {
    if (value.type === 'attrset_expression') return value;
    if (value.type === 'apply_expression') {
      // Only through config modifiers (`lib.mkIf c { … }`): the argument of any other call (`import ./x.nix { … }`) is not config.
      const head = calleeHead(value);
      if (head.name === null || MODIFIERS[head.name] !== head.args) return null;
      value = unwrapParens(value.childForFieldName('argument'));
    }
    else if (value.type === 'list_expression') {
      const items = value.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(unwrapParens);
      value = [...items].reverse().find((i) => i?.type === 'attrset_expression') ?? null;
    } else return null;
  }
  return null;
}

/** Would adding a binding at `names` to `attrset` be a duplicate attribute (Nix rejects those)? */
export function pathTaken(attrset: Node, names: string[]): boolean {
  for (const member of membersOf(attrset)) {
    if (member.type !== 'binding') {
      const inherited = member.childForFieldName('attrs')?.namedChildren.map((n) => n?.text) ?? [];
      if (inherited.includes(names[0])) return true;
      continue;
    }
    const existing = bindingNames(member);
    let i = 0;
    while (i < existing.length && i < names.length && existing[i] === names[i]) i++;
    if (i < existing.length && i < names.length) continue; // diverges (or a dynamic key: cannot tell statically)
    if (i === names.length) return true; // same path, or the new one would be a leaf where an attrset is
    const value = unwrapParens(member.childForFieldName('expression'));
    if (value?.type !== 'attrset_expression') return true; // a prefix bound to something Nix cannot merge into
    if (pathTaken(value, names.slice(i))) return true;
  }
  return false;
}

/** Innermost `let` binding named `name` whose scope covers `node`. */
export function letBindingInScope(node: Node, name: string): Node | null {
  for (let cur: Node | null = node; cur?.parent; cur = cur.parent) {
    const parent: Node = cur.parent;
    if (parent.type !== 'let_expression' || !same(parent.childForFieldName('body'), cur)) continue;
    for (const set of parent.namedChildren) {
      if (set?.type !== 'binding_set') continue;
      for (const b of set.namedChildren) {
        if (b?.type === 'binding' && bindingNames(b).length === 1 && bindingNames(b)[0] === name) return b;
      }
    }
  }
  return null;
}

// --- edits -----------------------------------------------------------------------------

/** End of the line holding `offset` when the rest of it is blank or a comment; else `offset`. */
function afterTrailingComment(text: string, offset: number): number {
  let end = lineEndOf(text, offset);
  if (text[end - 1] === '\r') end--;
  const rest = text.slice(offset, end).trim();
  return rest === '' || rest.startsWith('#') ? end : offset;
}

export type Snippet = (unit: string) => { block: string; inline: string };

/**
 * Inserts a binding (or several) after `after` (default: the last member), on its own line
 * and indented like its siblings; with spacing 'follow' a blank line precedes it when the
 * attrset separates its members by blank lines.
 */
export function insertIntoAttrset(text: string, attrset: Node, snippet: Snippet, after?: Node, spacing: 'follow' | 'tight' = after ? 'tight' : 'follow'): TextEdit {
  const edit = insertBinding(text, attrset, snippet, after, spacing);
  const { inline } = snippet(indentUnit(text));
  return { ...edit, join: `binding:${/^\s*([^=]+?)\s*=/.exec(inline)?.[1] ?? inline}` };
}

function insertBinding(text: string, attrset: Node, snippet: Snippet, after: Node | undefined, spacing: 'follow' | 'tight'): TextEdit {
  const unit = indentUnit(text);
  const nl = eol(text);
  const { block, inline } = snippet(unit);
  const members = membersOf(attrset);
  const anchor = after ?? members[members.length - 1];
  const open = attrset.children.find((c) => c?.type === '{')!;
  const close = attrset.children[attrset.children.length - 1]!;
  const multiLine = attrset.startPosition.row !== attrset.endPosition.row;
  if (anchor) {
    if (multiLine && startsLine(text, anchor.startIndex)) {
      const indent = indentOf(text, anchor.startIndex);
      const at = afterTrailingComment(text, anchor.endIndex);
      // Follow the attrset's spacing: a blank line between members, or after a multi-line one when it is alone.
      const spaced = spacing === 'follow' && members.some((m, i) => i > 0 && /\n[ \t]*\r?\n/.test(text.slice(members[i - 1].endIndex, m.startIndex)))
        || (spacing === 'follow' && members.length === 1 && anchor.startPosition.row !== anchor.endPosition.row);
      return { start: at, end: at, newText: (spaced ? nl : '') + nl + indent + indentBlock(block, indent, nl) };
    }
    return { start: anchor.endIndex, end: anchor.endIndex, newText: ' ' + inline };
  }
  if (multiLine) {
    const indent = indentOf(text, close.startIndex) + unit;
    const at = afterTrailingComment(text, open.endIndex);
    return { start: at, end: at, newText: nl + indent + indentBlock(block, indent, nl) };
  }
  return { start: open.endIndex, end: close.startIndex, newText: ` ${inline} ` };
}

/** Appends an item to a list: on its own line before `]` when the list is one item per line, else after the last item. */
export function appendToList(text: string, list: Node, snippet: Snippet): TextEdit {
  return { ...appendItem(text, list, snippet), join: `item:${snippet(indentUnit(text)).inline}` };
}

function appendItem(text: string, list: Node, snippet: Snippet): TextEdit {
  const unit = indentUnit(text);
  const nl = eol(text);
  const { block, inline } = snippet(unit);
  const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const open = list.children[0]!;
  const close = list.children[list.children.length - 1]!;
  const multiLine = list.startPosition.row !== list.endPosition.row;
  if (multiLine && startsLine(text, close.startIndex)) {
    const last = items[items.length - 1];
    const indent = last && startsLine(text, last.startIndex) ? indentOf(text, last.startIndex) : indentOf(text, close.startIndex) + unit;
    const at = lineStartOf(text, close.startIndex);
    return { start: at, end: at, newText: indent + indentBlock(block, indent, nl) + nl };
  }
  const last = items[items.length - 1];
  // `[{ … }]`: a multi-line last item closed on the line of `]` is followed by `} {` and the new block.
  if (last && last.startPosition.row !== last.endPosition.row) return { start: last.endIndex, end: last.endIndex, newText: ' ' + indentBlock(block, indentOf(text, last.endIndex), nl) };
  if (last) return { start: last.endIndex, end: last.endIndex, newText: ' ' + inline };
  return { start: open.endIndex, end: close.startIndex, newText: ` ${inline} ` };
}

/** Removes a node: its whole line when nothing else (but a trailing comment) is on it. */
export function removeNode(text: string, node: Node): TextEdit {
  const start = lineStartOf(text, node.startIndex);
  const end = lineEndOf(text, node.endIndex);
  const before = text.slice(start, node.startIndex);
  const after = text.slice(node.endIndex, end).trim();
  if (before.trim() === '' && (after === '' || after.startsWith('#'))) return { start, end: Math.min(end + 1, text.length), newText: '' };
  let to = node.endIndex;
  while (text[to] === ' ' || text[to] === '\t') to++;
  return { start: node.startIndex, end: to, newText: '' };
}

/**
 * Edits that make `names` formals of the file's function (`{ config, lib, ... }:`), or
 * null when the file is not a function with a formals set (the names cannot be bound).
 */
export function ensureFormals(tree: Tree, names: string[]): TextEdit[] | null {
  const fn = moduleFunction(tree);
  const formals = fn?.childForFieldName('formals');
  if (!fn || !formals) {
    const universal = fn?.childForFieldName('universal');
    return universal && names.every((n) => n === universal.text) ? [] : null;
  }
  const present = new Set(formals.namedChildren.filter((c) => c?.type === 'formal').map((c) => c!.childForFieldName('name')?.text));
  const missing = names.filter((n) => !present.has(n));
  if (missing.length === 0) return [];
  const first = formals.namedChildren.find((c) => c?.type === 'formal' || c?.type === 'ellipses');
  if (first) return [{ start: first.startIndex, end: first.startIndex, newText: missing.join(', ') + ', ' }];
  const open = formals.children[0]!;
  const close = formals.children[formals.children.length - 1]!;
  return [{ start: open.endIndex, end: close.startIndex, newText: ` ${missing.join(', ')} ` }];
}

/** A line-per-level snippet: [depth, text] pairs joined with the file's indentation unit. */
export function lines(parts: Array<[number, string]>, unit: string): string {
  return parts.map(([depth, line]) => unit.repeat(depth) + line).join('\n');
}
