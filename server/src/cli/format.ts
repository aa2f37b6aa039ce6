// Output formats of `hwc lint`: compiler-style text (repository text escaped for the
// terminal, see terminal.ts), and JSON (a contract scripts rely on, exact).
import type { LintDiagnostic } from '../rules/engine';
import { escapeForTerminal } from './terminal';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
}

export function toJsonFindings(diagnostics: LintDiagnostic[]): JsonFinding[] {
  return diagnostics
    .map((d) => ({
      file: d.src.file,
      line: d.src.range.start.line + 1,
      column: d.src.range.start.character + 1,
      endLine: d.src.range.end.line + 1,
      endColumn: d.src.range.end.character + 1,
      rule: d.rule,
      severity: d.severity,
      message: d.message,
    }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)));
}

const COLORS = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', hint: '\u001b[90m', reset: '\u001b[0m', dim: '\u001b[2m', bold: '\u001b[1m' };

/**
 * A message's what and its advice: split at the first `; ` (or sentence end) outside `code`.
 * `n8n mounts … read-write; add \`:ro\` so …` → [`n8n mounts … read-write`, `add \`:ro\` so …`].
 */
export function splitMessage(message: string): [string, string | null] {
  let inCode = false;
  let depth = 0;
  for (let i = 0; i < message.length - 1; i++) {
    const c = message[i];
    if (c === '`') inCode = !inCode;
    else if (inCode) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && message[i + 1] === ' ' && i > 20 && (c === ';' || (c === '.' && /[A-Z]/.test(message[i + 2] ?? '')))) {
      const rest = message.slice(i + 2).trim();
      return rest ? [message.slice(0, i), rest] : [message, null];
    }
  }
  return [message, null];
}

/** Greedy wrap of the advice under its finding, indented so it reads as a continuation. */
function wrapAdvice(text: string, width: number): string[] {
  const indent = '    ';
  const lines: string[] = [];
  let line = indent;
  // Words, with a `code span` kept whole so what you would copy never breaks.
  const words: string[] = [];
  for (const piece of text.split(' ')) {
    const last = words[words.length - 1];
    if (last !== undefined && (last.split('`').length - 1) % 2 === 1) words[words.length - 1] = `${last} ${piece}`;
    else words.push(piece);
  }
  for (const word of words) {
    if (line.length > indent.length + 20 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line += (line.length > indent.length ? ' ' : '') + word;
  }
  lines.push(line);
  return lines;
}

/**
 * Compiler-style text, as rustc and clang print it: a short first line (location, severity,
 * what is wrong, rule id) that problem matchers and editors parse, then the advice on
 * indented lines wrapped at `width`.
 */
export function formatText(findings: JsonFinding[], color: boolean, filesChecked: number, width = 100): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${COLORS.reset}` : text);
  const lines = findings.flatMap((f) => {
    const [what, advice] = splitMessage(escapeForTerminal(f.message));
    const head = `${paint(COLORS.bold, `${escapeForTerminal(f.file)}:${f.line}:${f.column}`)}: ${paint(COLORS[f.severity], f.severity)}: ${what} ${paint(COLORS.dim, `[${escapeForTerminal(f.rule)}]`)}`;
    return advice ? [head, ...wrapAdvice(advice, Math.max(60, width)).map((l) => paint(COLORS.dim, l))] : [head];
  });
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = findings.length
    ? `${plural(findings.length, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info') + count('hint'), 'info')}) in ${plural(filesChecked, 'file')}`
    : `no problems in ${plural(filesChecked, 'file')}`;
  lines.push(lines.length ? '' : '', summary);
  return lines.filter((l, i) => !(i === 0 && l === '')).join('\n') + '\n';
}
