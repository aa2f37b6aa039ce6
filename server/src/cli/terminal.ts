// Text from the repository (file names, container names, messages quoting the source,
// syntax-error excerpts) reaches the user's terminal in `hwc`'s human-readable output. A
// crafted name holding ESC sequences could clear the screen, recolour or rewrite earlier
// lines ("no problems"), a newline could fake a whole line, and bidi overrides reorder
// what is shown. Every such character is printed as a visible escape instead. JSON and
// SARIF output stay exact (their encoders escape control characters already).

// C0 controls (newline and tab included: one finding is one line), DEL, C1 controls, and
// the invisible direction marks and overrides (LRM, RLM, ALM, LRE…RLO, LRI…PDI), plus the
// Unicode line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** The text with every control and bidi character replaced by a visible escape (`\x1b`, `\n`, `\u{202e}`). */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Whether text holds something escapeForTerminal would change. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
