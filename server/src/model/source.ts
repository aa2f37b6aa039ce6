// Source positions shared by the model, the index and the rules (LSP-shaped, 0-based,
// UTF-16 columns — the same unit web-tree-sitter reports for JS strings).
import type { Node } from '../parse/parser';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
/** Where a value or a declaration sits: a workspace-relative file and a range. */
export interface Src {
  file: string;
  range: Range;
}

export function nodeRange(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function src(file: string, node: Node): Src {
  return { file, range: nodeRange(node) };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function sameSrc(a: Src, b: Src): boolean {
  return a.file === b.file && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0;
}
