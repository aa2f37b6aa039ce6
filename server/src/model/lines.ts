// The one line model, as the LSP specification defines it: `\r\n`, `\n` and a lone `\r`
// each end a line; characters are UTF-16 code units. A client that follows the spec
// (VS Code, vscode-languageserver-textdocument) counts a lone `\r` as a line break, so a
// server that does not would put every position after one on the wrong line, and its
// edits would break the file.
//
// Two places apply it: text-based conversions (this module: fixes, config locations) and
// the parser, which sees every lone `\r` as `\n` (parseNix: same length, same offsets, so
// tree-sitter's rows and columns follow this model too).
import type { Position } from './source';

/** Offsets where lines start. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Where line `line` ends, before its line break. */
function lineEnd(text: string, starts: number[], line: number): number {
  if (line + 1 >= starts.length) return text.length;
  const next = starts[line + 1];
  return next >= 2 && text.charCodeAt(next - 2) === 0x0d && text.charCodeAt(next - 1) === 0x0a ? next - 2 : next - 1;
}

/** The offset of a position; a character past the line's end means its end (as the spec says). */
export function offsetAt(text: string, position: Position, starts = lineStarts(text)): number {
  if (position.line >= starts.length) return text.length;
  if (position.line < 0) return 0;
  return Math.min(starts[position.line] + Math.max(0, position.character), lineEnd(text, starts, position.line));
}

export function positionAt(text: string, offset: number, starts = lineStarts(text)): Position {
  let clamped = Math.max(0, Math.min(offset, text.length));
  // Between the `\r` and the `\n` of one line break is no position: it is the line's end.
  if (clamped > 0 && text.charCodeAt(clamped - 1) === 0x0d && text.charCodeAt(clamped) === 0x0a) clamped--;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= clamped) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: clamped - starts[low] };
}

/** The text with every lone `\r` turned into `\n`: same length, same offsets, lines as this model counts them. */
export function loneCarriageReturnsAsNewlines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r(?!\n)/g, '\n');
}
