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

export function formatText(findings: JsonFinding[], color: boolean, filesChecked: number): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${COLORS.reset}` : text);
  const lines = findings.map(
    (f) => `${paint(COLORS.bold, `${escapeForTerminal(f.file)}:${f.line}:${f.column}`)}: ${paint(COLORS[f.severity], f.severity)}: ${escapeForTerminal(f.message)} ${paint(COLORS.dim, `[${escapeForTerminal(f.rule)}]`)}`,
  );
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = findings.length
    ? `${plural(findings.length, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info') + count('hint'), 'info')}) in ${plural(filesChecked, 'file')}`
    : `no problems in ${plural(filesChecked, 'file')}`;
  lines.push(lines.length ? '' : '', summary);
  return lines.filter((l, i) => !(i === 0 && l === '')).join('\n') + '\n';
}
