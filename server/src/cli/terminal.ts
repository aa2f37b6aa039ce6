// Text from the repository (file names, container names, messages quoting the source,
// syntax-error excerpts, values of a compose file) reaches the user's terminal in `hwc`'s
// human-readable output. A crafted name holding ESC sequences could clear the screen,
// recolour or rewrite earlier lines ("no problems"), a newline could fake a whole line, bidi
// overrides reorder what is shown, and invisible characters hide text inside a name that
// looks harmless. Every such character is printed as a visible escape instead. JSON and
// SARIF output stay exact (their encoders escape control characters already).
//
// What is escaped is the union of what the command-line tools used to escape separately:
//   - every control character (`\p{Cc}`: C0 with newline and tab — one finding is one line —,
//     DEL, C1), which drive the terminal;
//   - every format character (`\p{Cf}`): the bidi marks, embeddings, overrides and isolates
//     (LRM … RLO, LRI … PDI, ALM), but also the zero-width space, non-joiner and joiner,
//     the word joiner and invisible operators, the soft hyphen, the byte-order mark,
//     interlinear annotations and the tag characters U+E0001–U+E007F. None of them is
//     visible, so a name holding one shows as a different name (`web` and `w\u{200b}eb`
//     print alike) and tag characters carry a whole hidden ASCII text. Escaping only the
//     bidi subset left those hidden. The cost is that an emoji sequence joined by ZWJ or a
//     Persian word with a ZWNJ prints with the escape: repository names are ASCII in
//     practice, and a visible `\u{200d}` is harmless where a hidden character is not;
//   - the line and paragraph separators U+2028/U+2029, which some terminals break lines at.
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

function visible(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** The text with every control, format and line-separator character replaced by a visible escape (`\x1b`, `\n`, `\u{202e}`). */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * For text that is several lines by construction (a diff, a file's text, a block of next
 * steps): each line escaped on its own, the line breaks kept. Repository text inside it can
 * still start a new line, so use it only where one line per `\n` is what is shown anyway.
 */
export function escapeLinesForTerminal(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** Whether text holds something escapeForTerminal would change. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
