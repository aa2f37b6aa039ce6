// Positions, ranges and locations as features compare and return them.
import type { Location } from 'vscode-languageserver';
import type { Position, Range, Src } from '../../model/source';
import { comparePositions } from '../../model/source';
import type { Session } from '../../lsp/session';
import type { Workspace } from '../../workspace/workspace';

/** A stable key for a source range (file and start/end). */
export function srcKey(src: Src): string {
  const { start, end } = src.range;
  return `${src.file}|${start.line}:${start.character}|${end.line}:${end.character}`;
}

/** The position lies in the range, its end included (a cursor just after a word is on it). */
export function containsPosition(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** Orders ranges by extent, smallest first (lines, then characters). */
export function compareExtent(a: Range, b: Range): number {
  const lines = a.end.line - a.start.line - (b.end.line - b.start.line);
  if (lines !== 0) return lines;
  return a.end.character - a.start.character - (b.end.character - b.start.character);
}

export function location(session: Session, workspace: Workspace, src: Src): Location {
  return { uri: session.uriOf(workspace, src.file), range: src.range };
}

/** The start of a file (for targets that are whole files). */
export function fileStart(session: Session, workspace: Workspace, file: string): Location {
  return { uri: session.uriOf(workspace, file), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/** A Markdown link to a source line, shown as `file:line`. */
export function sourceLink(session: Session, workspace: Workspace, src: Src, label?: string): string {
  const line = src.range.start.line + 1;
  return `[${label ?? `${src.file}:${line}`}](${session.uriOf(workspace, src.file)}#L${line})`;
}
