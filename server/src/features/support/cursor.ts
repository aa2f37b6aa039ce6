// The syntax around the cursor in an open document: the string literal it is in, the
// attribute the surrounding value is bound to, the container attrset it is directly in.
// Trees belong to the document store; nothing here creates or frees one.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node, Tree } from '../../parse/parser';
import type { Position } from '../../model/source';
import { comparePositions, rangeContains, nodeRange } from '../../model/source';
import type { ContainerModel, FileSummary } from '../../model/summary';
import type { Session } from '../../lsp/session';

export interface Cursor {
  document: TextDocument;
  tree: Tree;
  position: Position;
  /** The smallest node at the cursor. */
  node: Node | null;
  /** The line's text before the cursor. */
  linePrefix: string;
}

export function cursorIn(session: Session, uri: string, position: Position): Cursor | undefined {
  const open = session.documents.get(uri);
  if (!open) return undefined;
  const node = open.tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
  const linePrefix = open.document.getText({ start: { line: position.line, character: 0 }, end: position });
  return { document: open.document, tree: open.tree, position, node, linePrefix };
}

export interface StringAtCursor {
  /** Where the string's content starts (after the opening quote). */
  contentStart: Position;
  /** The content between the opening quote and the cursor. */
  prefix: string;
  /** The string node, when the tree has one (an unterminated string may not). */
  node: Node | null;
}

const STRINGS = new Set(['string_expression', 'indented_string_expression']);

/** The string literal the cursor is inside, outside any `${…}`. */
export function stringAt(cursor: Cursor): StringAtCursor | null {
  for (let n = cursor.node; n; n = n.parent) {
    if (n.type === 'interpolation') return null;
    if (!STRINGS.has(n.type)) continue;
    const quote = n.type === 'string_expression' ? 1 : 2;
    const contentStart = { line: n.startPosition.row, character: n.startPosition.column + quote };
    const end = { line: n.endPosition.row, character: n.endPosition.column };
    const closed = !n.lastChild?.isMissing && n.endIndex - n.startIndex >= 2 * quote;
    if (comparePositions(cursor.position, contentStart) < 0) return null;
    if (closed && comparePositions(cursor.position, end) >= 0) return null;
    return { contentStart, prefix: cursor.document.getText({ start: contentStart, end: cursor.position }), node: n };
  }
  return stringInLine(cursor);
}

/** Text fallback for an unterminated string the parser could not place. */
function stringInLine(cursor: Cursor): StringAtCursor | null {
  const text = cursor.linePrefix;
  let start = -1;
  let interpolation = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (start < 0) {
      if (c === '#') return null;
      if (c === '"') start = i + 1;
    } else if (interpolation > 0) {
      if (c === '{') interpolation++;
      else if (c === '}') interpolation--;
    } else if (c === '\\') i++;
    else if (c === '"') start = -1;
    else if (c === '$' && text[i + 1] === '{') {
      interpolation = 1;
      i++;
    }
  }
  if (start < 0 || interpolation > 0) return null;
  return { contentStart: { line: cursor.position.line, character: start }, prefix: text.slice(start), node: null };
}

/** Node types a value passes through on its way up to the binding that names it. */
const VALUE_WRAPPERS = new Set([
  'string_expression', 'indented_string_expression', 'string_fragment', 'list_expression', 'binary_expression',
  'apply_expression', 'parenthesized_expression', 'if_expression', 'variable_expression', 'ERROR',
]);

/** The attribute a value at `node` is bound to (`volumes` for a string in `volumes = [ … ]`). */
export function boundKey(node: Node | null): string | null {
  for (let n = node; n; n = n.parent) {
    if (n.type === 'binding') return attrText(lastAttr(n));
    if (n.isNamed && !VALUE_WRAPPERS.has(n.type)) return null;
  }
  return null;
}

function lastAttr(binding: Node): Node | null {
  const attrpath = binding.childForFieldName('attrpath');
  return attrpath ? attrpath.namedChild(attrpath.namedChildCount - 1) : null;
}

function attrText(attr: Node | null): string | null {
  if (!attr) return null;
  if (attr.type === 'identifier') return attr.text;
  if (attr.type === 'string_expression') return attr.text.slice(1, -1);
  return null;
}

const ATTRSETS = new Set(['attrset_expression', 'rec_attrset_expression']);

/** The container whose attrset directly encloses the cursor (not a nested attrset such as `environment`). */
export function containerBodyAt(cursor: Cursor, summary: FileSummary): ContainerModel | undefined {
  let attrset: Node | null = null;
  for (let n = cursor.node; n; n = n.parent) {
    if (ATTRSETS.has(n.type)) {
      attrset = n;
      break;
    }
  }
  if (!attrset) return undefined;
  let parent = attrset.parent;
  while (parent?.type === 'parenthesized_expression') parent = parent.parent;
  if (parent?.type === 'binding') {
    const key = lastAttr(parent);
    if (!key) return undefined;
    return summary.containers.find((c) => c.nameSrc.file === summary.file && c.nameSrc.range.start.line === key.startPosition.row && c.nameSrc.range.start.character === key.startPosition.column);
  }
  if (parent?.type === 'apply_expression') {
    const range = nodeRange(attrset);
    return summary.containers.find((c) => c.helper !== null && rangeContains(range, c.nameSrc.range));
  }
  return undefined;
}
