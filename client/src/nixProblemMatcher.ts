// The `hwc-nix` problem matcher: turns Nix evaluation and parse errors printed by
// `nixos-rebuild` into diagnostics. package.json contributes exactly this object (a unit
// test compares them), so the regexes live here, free of VS Code, where a test can run
// them on real Nix output.
//
// Nix ≥ 2.4 (every version with flakes) prints the innermost error as
//
//     error: undefined variable 'category'
//                                                      ← blank line
//            at /nix/store/<hash>-source/domains/…/index.nix:8:25:
//
// Trace frames (`… while evaluating …`) print `at` lines too; only the one under the
// `error:` line is the error's own position. Some Nix builds drop the blank line and
// print paths as `«git+file:///…»/domains/…/index.nix`.

/** The subset of VS Code's problem pattern schema this matcher uses. */
export interface ProblemPattern {
  regexp: string;
  message?: number;
  file?: number;
  line?: number;
  column?: number;
}

// `nixos-rebuild --flake` evaluates a copy of the flake in the store, and lazy-tree builds
// name it `«input»/`; both prefixes are dropped so the remaining path is relative to the
// flake root — the workspace folder. Other absolute paths stay absolute. `«string»:1:1`
// (an expression given on the command line) has no file and does not match.
const flakeSourceInStore = String.raw`/nix/store/[0-9a-z]{32}-[^/\s]+/`;
const flakeInputAccessor = String.raw`«[^»\s]+»/`;
const location = String.raw`\s+at (?:${flakeSourceInStore}|${flakeInputAccessor})?([^\s«»:][^\s:]*):(\d+):(\d+):`;

/**
 * Three consecutive lines: the message; then a blank line or the location; then the
 * location or (when it came right under the message) whatever follows it. VS Code keeps
 * the first value a pattern captures, so the location is taken from whichever line has it.
 */
export const nixProblemPatterns: readonly ProblemPattern[] = [
  { regexp: String.raw`^\s*error: (\S.*)$`, message: 1 },
  { regexp: String.raw`^(?:${location}.*)?\s*$`, file: 1, line: 2, column: 3 },
  { regexp: String.raw`^(?:${location})?.*$`, file: 1, line: 2, column: 3 },
];

/** The matcher as contributed in package.json under `contributes.problemMatchers`. */
export const nixProblemMatcher = {
  name: 'hwc-nix',
  label: 'Nix evaluation errors (nixos-rebuild)',
  owner: 'hwc-nix',
  source: 'nix',
  severity: 'error',
  applyTo: 'allDocuments',
  fileLocation: ['autoDetect', '${workspaceFolder}'],
  pattern: nixProblemPatterns,
} as const;

export interface NixProblem {
  /** As captured: workspace-relative for flake sources, otherwise absolute. */
  file: string;
  line: number;
  column: number;
  message: string;
}

const ansiEscape = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * Runs the patterns over output the way VS Code's multi-line matcher does: a window of
 * as many consecutive lines as there are patterns, each line matching its pattern; the
 * first capture of a property wins; a match without a file is no problem. Escape codes
 * are removed first because VS Code matches the terminal's rendered lines.
 */
export function matchNixProblems(output: string, patterns: readonly ProblemPattern[] = nixProblemPatterns): NixProblem[] {
  const regexps = patterns.map((p) => new RegExp(p.regexp));
  const lines = output.replace(ansiEscape, '').split(/\r?\n/);
  const problems: NixProblem[] = [];
  let windowStart = 0;
  for (let last = patterns.length - 1; last < lines.length; last++) {
    const first = last - patterns.length + 1;
    if (first < windowStart) continue;
    const problem = matchWindow(lines.slice(first, last + 1), patterns, regexps);
    if (problem) {
      problems.push(problem);
      windowStart = last + 1;
    }
  }
  return problems;
}

function matchWindow(lines: string[], patterns: readonly ProblemPattern[], regexps: RegExp[]): NixProblem | undefined {
  const found: Partial<Record<'file' | 'line' | 'column' | 'message', string>> = {};
  for (let i = 0; i < patterns.length; i++) {
    const match = regexps[i].exec(lines[i]);
    if (!match) return undefined;
    for (const key of ['file', 'line', 'column', 'message'] as const) {
      const group = patterns[i][key];
      if (found[key] === undefined && group !== undefined && match[group] !== undefined) found[key] = match[group].trim();
    }
  }
  if (!found.file || !found.line || found.message === undefined) return undefined;
  return { file: found.file, line: Number(found.line), column: Number(found.column ?? 1), message: found.message };
}
