// What one file may cost. A repository can hold a file built to be slow: a 20,000-step
// select chain (`a.b.b.b…`) makes tree-sitter's parse take 15 s (it grows faster than the
// square of the chain), 32,000 unclosed `{ a =` make the error recovery and the syntax
// messages quadratic. Either blocked the language server for every request, and `hwc lint`
// for minutes. A file over one of these limits is not analysed; it gets one
// `file-not-analysed` finding that says which limit it hit.
//
// Limits (every one far above what a hand-written or generated NixOS module needs):
// - size: `hwc.maxFileSizeKb` (default 1024 KiB), checked by the callers that read files
//   and by the document store for open documents;
// - nesting: MAX_NESTING brackets (`{`, `[`, `(`, `${`) deep, checked on the text before
//   parsing (one linear scan);
// - time: a parse that runs longer than parseBudgetMs(length), by the wall clock and in CPU
//   time, is cancelled through tree-sitter's progress callback.

/** A real module nests a few dozen brackets deep; generated JSON-like data a few hundred. */
export const MAX_NESTING = 1000;
/** Every parse may take this long, plus PARSE_MS_PER_KIB per KiB of text. */
export const PARSE_BASE_MS = 250;
/**
 * tree-sitter parses Nix at about 6.5 MB/s here (0.15 ms per KiB; code made of long select
 * chains a few times slower): 2 ms per KiB leaves a slow machine ample room. The budget
 * holds on both the wall clock and the process's CPU time, so a machine busy with other
 * work does not make a normal file look pathological.
 */
export const PARSE_MS_PER_KIB = 2;

/** How long parsing `length` characters may take (ms). */
export function parseBudgetMs(length: number): number {
  return PARSE_BASE_MS + (PARSE_MS_PER_KIB * length) / 1024;
}

/** Thrown by parseNix for a text over a limit; callers turn it into `file-not-analysed`. */
export class FileLimitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The offset of the first bracket nested deeper than `max`, or -1. Brackets inside strings
 * and comments count too: a real file never has a thousand unbalanced ones there, and a
 * scan that needs no parser cannot be fooled into the parser's slow paths.
 */
export function nestingTooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */ || c === 0x28 /* ( */) {
      if (++depth > max) return i;
    } else if ((c === 0x7d /* } */ || c === 0x5d /* ] */ || c === 0x29) /* ) */ && depth > 0) {
      depth--;
    }
  }
  return -1;
}

/** Throws FileLimitError when the text nests deeper than MAX_NESTING. */
export function checkNesting(text: string): void {
  const at = nestingTooDeepAt(text, MAX_NESTING);
  if (at >= 0) {
    const line = lineOf(text, at) + 1;
    throw new FileLimitError(`brackets nest more than ${MAX_NESTING} levels deep (at line ${line})`);
  }
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
  }
  return line;
}

/** The message of a `file-not-analysed` finding. */
export function notAnalysedMessage(reason: string): string {
  return `this file is not analysed: ${reason}; no other rule checks it until it is within the limits`;
}

/** The text's first line (without its line break), at most 200 characters: where `file-not-analysed` sits. */
export function firstLineOf(text: string): string {
  const end = text.slice(0, 200).search(/[\r\n]/);
  return end < 0 ? text.slice(0, 200) : text.slice(0, end);
}
