// Line diffs: the minimal edits between a file's text before and after fix-all (sent as
// LSP TextEdits, so markers and folding outside the changes survive), and the unified diff
// `hwc lint --fix-dry-run` prints.
import type { TextEdit } from './types';

export interface Hunk {
  /** Changed lines [aStart, aEnd) of the old text become [bStart, bEnd) of the new one. */
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Lines with their terminators, so joining them gives the text back. */
export function splitLines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return out;
}

const MAX_CELLS = 4_000_000;

export function diffLines(a: string[], b: string[]): Hunk[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0 || n * m > MAX_CELLS) return [{ aStart: head, aEnd: head + n, bStart: head, bEnd: head + m }];
  // LCS table over the changed middle, then walk it into hunks.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[head + i] === b[head + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | null = null;
  const close = () => {
    if (open) hunks.push(open);
    open = null;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[head + i] === b[head + j]) {
      close();
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      open ??= { aStart: head + i, aEnd: head + i, bStart: head + j, bEnd: head + j };
      open.bEnd = head + ++j;
    } else {
      open ??= { aStart: head + i, aEnd: head + i, bStart: head + j, bEnd: head + j };
      open.aEnd = head + ++i;
    }
  }
  close();
  return hunks;
}

/** The edits (UTF-16 offsets into `before`) that turn `before` into `after`, one per changed region, trimmed to the characters that differ. */
export function textEdits(before: string, after: string): TextEdit[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const aOffsets = [0];
  for (const line of a) aOffsets.push(aOffsets[aOffsets.length - 1] + line.length);
  const edits: TextEdit[] = [];
  for (const h of diffLines(a, b)) {
    const oldText = a.slice(h.aStart, h.aEnd).join('');
    const newText = b.slice(h.bStart, h.bEnd).join('');
    let p = 0;
    while (p < oldText.length && p < newText.length && oldText[p] === newText[p]) p++;
    let s = 0;
    while (s < oldText.length - p && s < newText.length - p && oldText[oldText.length - 1 - s] === newText[newText.length - 1 - s]) s++;
    edits.push({ start: aOffsets[h.aStart] + p, end: aOffsets[h.aEnd] - s, newText: newText.slice(p, newText.length - s) });
  }
  return edits;
}

/** A unified diff (3 lines of context) of one file, `git apply`/`patch -p1` compatible. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const hunks = diffLines(a, b);
  if (hunks.length === 0) return '';
  const out = [`--- a/${file}\n`, `+++ b/${file}\n`];
  const show = (prefix: string, line: string) => out.push(prefix + (line.endsWith('\n') ? line : line + '\n\\ No newline at end of file\n'));
  let k = 0;
  while (k < hunks.length) {
    // Merge hunks whose contexts touch.
    let last = k;
    while (last + 1 < hunks.length && hunks[last + 1].aStart - hunks[last].aEnd <= context * 2) last++;
    const first = hunks[k];
    const end = hunks[last];
    const aFrom = Math.max(0, first.aStart - context);
    const aTo = Math.min(a.length, end.aEnd + context);
    const bFrom = first.bStart - (first.aStart - aFrom);
    const bTo = end.bEnd + (aTo - end.aEnd);
    const range = (from: number, to: number) => `${to - from === 0 ? from : from + 1}${to - from === 1 ? '' : `,${to - from}`}`;
    out.push(`@@ -${range(aFrom, aTo)} +${range(bFrom, bTo)} @@\n`);
    let ai = aFrom;
    for (let h = k; h <= last; h++) {
      const hunk = hunks[h];
      for (; ai < hunk.aStart; ai++) show(' ', a[ai]);
      for (let x = hunk.aStart; x < hunk.aEnd; x++) show('-', a[x]);
      for (let x = hunk.bStart; x < hunk.bEnd; x++) show('+', b[x]);
      ai = hunk.aEnd;
    }
    for (; ai < aTo; ai++) show(' ', a[ai]);
    k = last + 1;
  }
  return out.join('');
}
