// Plain-text helpers for fixes: offsets ↔ LSP positions (UTF-16, like the parse layer),
// lines and their indentation, applying and combining edits.
import type { Position, Range } from '../model/source';
import type { FileEdits, TextEdit } from './types';
import { lineStarts, positionAt } from '../model/lines';

// Offsets and positions follow the LSP line model (model/lines.ts).
export { lineStarts, offsetAt, positionAt } from '../model/lines';

export function toRange(text: string, edit: TextEdit, starts = lineStarts(text)): Range {
  return { start: positionAt(text, edit.start, starts), end: positionAt(text, edit.end, starts) };
}

/** Offset of the start of the line holding `offset` (`\n`, `\r\n` or a lone `\r` end lines). */
export function lineStartOf(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

/** Offset of the end of the line holding `offset` (before its line break). */
export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const cr = text.indexOf('\r', offset);
  if (nl < 0) return cr < 0 ? text.length : cr;
  return cr < 0 ? nl : Math.min(nl, cr);
}

/** The whitespace a line starts with. */
export function indentOf(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, lineEndOf(text, start)))![0];
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStartOf(text, offset), offset).trim() === '';
}

/** The file's indentation unit: the most common positive step between consecutive indented lines (2 spaces when unknown). */
export function indentUnit(text: string): string {
  const counts = new Map<string, number>();
  let previous = 0;
  for (const line of text.split(/\r\n?|\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.includes('\t')) return '\t';
    const step = indent.length - previous;
    if (step > 0 && step <= 8) counts.set(' '.repeat(step), (counts.get(' '.repeat(step)) ?? 0) + 1);
    previous = indent.length;
  }
  let best = '  ';
  let bestCount = 0;
  for (const [unit, count] of counts) if (count > bestCount || (count === bestCount && unit.length < best.length)) [best, bestCount] = [unit, count];
  return best;
}

/** The line break the file uses. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Indents every line after the first of a multi-line snippet by `indent`. */
export function indentBlock(snippet: string, indent: string, newline = '\n'): string {
  return snippet
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join(newline);
}

/** Applies non-overlapping edits (same-offset insertions keep their order). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const { e } of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

function conflicts(a: TextEdit, b: TextEdit): boolean {
  const insertions = a.start === a.end && b.start === b.end;
  if (a.start === b.start) return !(insertions && a.join && b.join && a.join !== b.join); // else the order would be a guess
  return a.start < b.end && b.start < a.end;
}

/**
 * Adds an action's edits to an accumulated set, all or nothing: an edit identical to one
 * already taken is dropped (two diagnostics asking for the same line), any other overlap
 * rejects the action. Returns false when rejected.
 */
export function mergeInto(target: FileEdits, edits: FileEdits): boolean {
  const additions: Array<[string, TextEdit]> = [];
  for (const [file, list] of edits) {
    const taken = target.get(file) ?? [];
    for (const edit of list) {
      if (taken.some((t) => sameEdit(t, edit)) || additions.some(([f, t]) => f === file && sameEdit(t, edit))) continue;
      if (taken.some((t) => conflicts(t, edit))) return false;
      additions.push([file, edit]);
    }
  }
  for (const [file, edit] of additions) {
    const list = target.get(file);
    if (list) list.push(edit);
    else target.set(file, [edit]);
  }
  return true;
}

export function editCount(edits: FileEdits): number {
  let n = 0;
  for (const list of edits.values()) n += list.length;
  return n;
}

/** Combines several edit sets (of one action) into one; an edit asked for twice is made once. */
export function combine(...sets: Array<FileEdits | null | undefined>): FileEdits {
  const out: FileEdits = new Map();
  for (const set of sets) {
    if (!set) continue;
    for (const [file, list] of set) {
      const taken = out.get(file) ?? [];
      for (const edit of list) if (!taken.some((t) => sameEdit(t, edit))) taken.push(edit);
      out.set(file, taken);
    }
  }
  return out;
}

export function editsIn(file: string, ...edits: Array<TextEdit | null | undefined>): FileEdits {
  const list = edits.filter((e): e is TextEdit => !!e);
  return new Map(list.length ? [[file, list]] : []);
}

/** A Nix double-quoted string literal holding `text`. */
export function nixString(text: string): string {
  return `"${escapeDoubleQuoted(text)}"`;
}

export function escapeDoubleQuoted(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}
