// `hwc lint`'s baseline options: --baseline-write records today's findings, a plain run
// reports only findings the baseline does not cover, --baseline-prune drops what no longer
// occurs, --no-baseline ignores the file, --baseline FILE picks another one. The
// fingerprints and the matching are the engine's (workspace/baseline.ts), shared with the
// language server.
import * as fs from 'fs';
import * as path from 'path';
import type { LintDiagnostic } from '../rules/engine';
import { BASELINE_FILE, Baseline, BaselineError, classifyFileFindings, entriesFor, prunedEntries, readBaseline, serializeBaseline, staleCount } from '../workspace/baseline';
import { ParsedArgs, UsageError, flag } from './args';
import { commitFiles } from '../workspace/fileTransaction';
import { WriteRefused } from '../workspace/rootPaths';
import type { LintRun } from './lint';

export const BASELINE_BOOLEAN_FLAGS = ['baseline-write', 'baseline-prune', 'no-baseline'];

export type BaselineMode = 'off' | 'apply' | 'write' | 'prune';

export interface BaselineChoice {
  mode: BaselineMode;
  /** Absolute path of the baseline file. */
  file: string;
  /** How to name it in messages: relative to the cwd. */
  name: string;
}

/** Reads and checks the baseline flags (before anything is linted). */
export function baselineChoice(args: ParsedArgs, root: string): BaselineChoice {
  const write = flag(args, 'baseline-write') !== undefined;
  const prune = flag(args, 'baseline-prune') !== undefined;
  const off = flag(args, 'no-baseline') !== undefined;
  const explicit = flag(args, 'baseline');
  if ([write, prune, off].filter(Boolean).length > 1) throw new UsageError('--baseline-write, --baseline-prune and --no-baseline exclude each other');
  if (off && explicit !== undefined) throw new UsageError('--baseline and --no-baseline exclude each other');
  if ((write || prune) && (flag(args, 'fix') !== undefined || flag(args, 'fix-dry-run') !== undefined)) {
    throw new UsageError(`--${write ? 'baseline-write' : 'baseline-prune'} cannot be combined with --fix: fix first, then record what is left`);
  }
  if (explicit === '') throw new UsageError('--baseline needs a file name');
  const file = explicit !== undefined ? path.resolve(explicit) : path.join(root, BASELINE_FILE);
  const name = path.relative(process.cwd(), file) || file;
  return { mode: off ? 'off' : write ? 'write' : prune ? 'prune' : 'apply', file, name };
}

function load(choice: BaselineChoice): Baseline | undefined {
  try {
    return readBaseline(choice.file, choice.name);
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

/** Reads workspace files for the fingerprints' values (a file that cannot be read has none). */
function textReader(root: string, overlay: Map<string, string> | undefined): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>(overlay);
  return (file) => {
    if (!texts.has(file)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(path.join(root, file), 'utf8');
      } catch {
        text = undefined;
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
}

/** Groups findings by file, keeping each file's order (the engine sorts them by position). */
function byFile(diagnostics: LintDiagnostic[]): Map<string, LintDiagnostic[]> {
  const groups = new Map<string, LintDiagnostic[]>();
  for (const d of diagnostics) {
    const list = groups.get(d.src.file);
    if (list) list.push(d);
    else groups.set(d.src.file, [d]);
  }
  return groups;
}

/** Writes the baseline, refusing to replace anything but a regular file. */
function save(choice: BaselineChoice, text: string): void {
  try {
    const stat = fs.lstatSync(choice.file);
    if (!stat.isFile()) throw new UsageError(`${choice.name} is not a regular file; not replacing it`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`${choice.name}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!fs.existsSync(path.dirname(choice.file))) throw new UsageError(`${choice.name}: its folder does not exist`);
  // The one writer (all or nothing, mode kept, a concurrent change refused), rooted at the file's own folder.
  const exists = fs.existsSync(choice.file);
  try {
    commitFiles(path.dirname(choice.file), [{ path: path.basename(choice.file), action: exists ? 'replace' : 'create', text, ...(exists ? { before: fs.readFileSync(choice.file) } : {}) }]);
  } catch (error) {
    if (error instanceof WriteRefused) throw new UsageError(`${choice.name}: ${error.message}`);
    throw error;
  }
}

export interface BaselineResult {
  /** The findings to report. */
  diagnostics: LintDiagnostic[];
  /** How many findings the baseline covered. */
  baselined: number;
  /** Recorded findings that no longer occur (in the linted scope). */
  stale: number;
  /** What to tell the user about the baseline file (one line), if anything. */
  note?: string;
  /** --baseline-write: nothing to report, the run ends here. */
  wrote?: boolean;
}

/**
 * Applies the chosen baseline mode to a finished lint run. Findings outside the run's
 * paths are not in `run.diagnostics`; their entries are kept as they are when writing or
 * pruning, so linting one folder never forgets another folder's baseline.
 */
export function applyBaseline(choice: BaselineChoice, run: LintRun): BaselineResult {
  const root = run.workspace.root;
  const text = textReader(root, run.texts);
  const outOfScope = (file: string) => !run.inScope(file);
  if (choice.mode === 'off') return { diagnostics: run.diagnostics, baselined: 0, stale: 0 };

  if (choice.mode === 'write') {
    // Findings computed on defaults for a broken setting would stop matching once it is fixed.
    const problem = run.workspace.configProblems[0];
    if (problem) throw new UsageError(`not writing ${choice.name}: ${run.workspace.configFileRelative}:${problem.range.start.line + 1}: ${problem.message}; fix the configuration first`);
    let previous: Baseline | undefined;
    // A partial run keeps the other files' entries, so it needs the old file; a full run replaces it.
    try {
      previous = readBaseline(choice.file, choice.name);
    } catch (error) {
      if (!(error instanceof BaselineError)) throw error;
      // A broken file is replaced by a full run; a partial one could not keep the rest of it.
      if ([...run.workspace.index.files()].some((f) => outOfScope(f.file))) throw new UsageError(error.message);
      previous = undefined;
    }
    const kept = (previous?.entries ?? []).filter((e) => outOfScope(e.file));
    const recorded = entriesFor(run.diagnostics, text);
    save(choice, serializeBaseline([...kept, ...recorded]));
    const findings = recorded.reduce((n, e) => n + e.count, 0);
    return { diagnostics: [], baselined: findings, stale: 0, wrote: true, note: `wrote ${choice.name}: ${plural(findings, 'finding')} in ${plural(recorded.length, 'entry', 'entries')}` };
  }

  const baseline = load(choice);
  if (!baseline) {
    if (choice.mode === 'prune') throw new UsageError(`${choice.name}: no baseline to prune (write one with --baseline-write)`);
    return { diagnostics: run.diagnostics, baselined: 0, stale: 0 };
  }
  return classifyRun(choice, baseline, run, text, outOfScope);
}

function classifyRun(choice: BaselineChoice, baseline: Baseline, run: LintRun, text: (file: string) => string | undefined, outOfScope: (file: string) => boolean): BaselineResult {
  const fresh: LintDiagnostic[] = [];
  const matched = new Map<string, number>();
  let baselined = 0;
  for (const [file, list] of byFile(run.diagnostics)) {
    const split = classifyFileFindings(baseline, file, list, text(file));
    fresh.push(...split.fresh);
    baselined += split.baselined.length;
    for (const [key, n] of split.matched) matched.set(key, (matched.get(key) ?? 0) + n);
  }
  if (choice.mode === 'prune') {
    const entries = prunedEntries(baseline, matched, outOfScope);
    const before = baseline.entries.reduce((n, e) => n + e.count, 0);
    const after = entries.reduce((n, e) => n + e.count, 0);
    save(choice, serializeBaseline(entries));
    return { diagnostics: fresh, baselined, stale: 0, note: `pruned ${choice.name}: removed ${plural(before - after, 'finding')} that no longer occur${before - after === 1 ? 's' : ''}; ${plural(after, 'finding')} in ${plural(entries.length, 'entry', 'entries')} ${after === 1 ? 'remains' : 'remain'}` };
  }
  const stale = staleCount(baseline, matched, outOfScope);
  return {
    diagnostics: fresh,
    baselined,
    stale,
    note: stale > 0 ? `${plural(stale, 'baselined finding')} no longer occur${stale === 1 ? 's' : ''}: run \`hwc lint --baseline-prune\` to drop ${stale === 1 ? 'it' : 'them'} from ${choice.name}` : undefined,
  };
}

/** The summary line's addition: how many findings the baseline hid, and where they are recorded. */
export function baselinedSummary(result: BaselineResult, choice: BaselineChoice): string | undefined {
  if (result.wrote || result.baselined === 0) return undefined;
  return `${plural(result.baselined, 'finding')} baselined in ${choice.name} (not shown; \`--no-baseline\` shows them)`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
