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

/**
 * A Src in one small object instead of four nested ones: summaries hold hundreds of
 * thousands of them in a large workspace, so this is much of the index's memory. Each end
 * is one small integer (line × 2^16 + character); `range` is built on demand, and readers
 * see the ordinary Src shape.
 */
class CompactSrc implements Src {
  constructor(
    readonly file: string,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get range(): Range {
    return { start: { line: this.from >>> 16, character: this.from & 0xffff }, end: { line: this.to >>> 16, character: this.to & 0xffff } };
  }
  toJSON(): Src {
    return { file: this.file, range: this.range };
  }
}

/**
 * Most Srcs are a name or a value on one line or a few (an environment entry, a volume
 * string): both ends fit one small integer, a field fewer than CompactSrc (40 bytes instead
 * of 48, for about three in four of the index's 700,000 Srcs at 20,000 modules). The bits,
 * from the top: start line (13), start character (8), lines spanned (2), end character (8).
 */
class TinySrc implements Src {
  constructor(
    readonly file: string,
    private readonly packed: number,
  ) {}
  get range(): Range {
    const p = this.packed;
    const line = p >>> 18;
    return { start: { line, character: (p >>> 10) & 0xff }, end: { line: line + ((p >>> 8) & 0x3), character: p & 0xff } };
  }
  toJSON(): Src {
    return { file: this.file, range: this.range };
  }
}

const TINY_LINES = 1 << 13;
const TINY_CHARACTERS = 1 << 8;
const TINY_SPAN = 1 << 2;

/** Positions that do not fit CompactSrc (line 16,384 and beyond, character 65,536 and beyond). */
class WideSrc implements Src {
  constructor(
    readonly file: string,
    private readonly sl: number,
    private readonly sc: number,
    private readonly el: number,
    private readonly ec: number,
  ) {}
  get range(): Range {
    return { start: { line: this.sl, character: this.sc }, end: { line: this.el, character: this.ec } };
  }
  toJSON(): Src {
    return { file: this.file, range: this.range };
  }
}

const NARROW_LINES = 1 << 14;
const NARROW_CHARACTERS = 1 << 16;

export function src(file: string, node: Node): Src {
  const start = node.startPosition;
  const end = node.endPosition;
  return srcAt(file, start.row, start.column, end.row, end.column);
}

/** A Src from 0-based lines and UTF-16 columns. */
export function srcAt(file: string, startLine: number, startCharacter: number, endLine: number, endCharacter: number): Src {
  const span = endLine - startLine;
  if (startLine < TINY_LINES && span >= 0 && span < TINY_SPAN && startCharacter < TINY_CHARACTERS && endCharacter < TINY_CHARACTERS) {
    return new TinySrc(file, (startLine << 18) | (startCharacter << 10) | (span << 8) | endCharacter);
  }
  if (endLine < NARROW_LINES && startCharacter < NARROW_CHARACTERS && endCharacter < NARROW_CHARACTERS) {
    return new CompactSrc(file, startLine * NARROW_CHARACTERS + startCharacter, endLine * NARROW_CHARACTERS + endCharacter);
  }
  return new WideSrc(file, startLine, startCharacter, endLine, endCharacter);
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
