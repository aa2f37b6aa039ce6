// `hwc lint`: load the workspace, run the rules, print findings, pick the exit code.
import * as fs from 'fs';
import * as path from 'path';
import type { SeverityOrOff } from '../config/schema';
import { severityOrOff } from '../config/schema';
import { readConfigFile } from '../config/read';
import { initParser } from '../parse/parser';
import type { LintDiagnostic } from '../rules/engine';
import { RULES_BY_ID } from '../rules/registry';
import { workspaceDiagnostics } from '../workspace/diagnostics';
import { WriteRefused } from '../workspace/rootPaths';
import { Workspace } from '../workspace/workspace';
import { type Helpers, stopHelpers } from '../workspace/parallel';
import { LintCache } from '../cache/lintCache';
import { ParsedArgs, UsageError, flag } from './args';
import { applyBaseline, baselineChoice, baselinedSummary } from './baseline';
import { runFixes } from './fix';
import { registryFactsFor } from './images';
import { formatText, toJsonFindings } from './format';
import { toSarif, toolVersion } from './sarif';
import { findRoot } from './root';
import { describeConfigSources } from './config';
import { escapeForTerminal, escapeLinesForTerminal as escapeLines } from './terminal';
import { exitQuietlyOnClosedPipe } from './closedPipe';
import { type LintOutcome, noteLintOutcome } from '../cache/lintOutcome';
import { CONFIG_FILE } from '../config/fileName';
import { ruleDocsFolder } from '../rules/registry';

const FORMATS = ['text', 'json', 'sarif'];

export { findRoot };

export function parseRuleOverrides(values: string[]): Record<string, SeverityOrOff> {
  const overrides: Record<string, SeverityOrOff> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const id = eq > 0 ? value.slice(0, eq).trim() : '';
    const severity = eq > 0 ? value.slice(eq + 1).trim() : '';
    if (!id || !severity) throw new UsageError(`--rule expects ID=SEVERITY, got \`${value}\``);
    if (!RULES_BY_ID.has(id)) throw new UsageError(`--rule: unknown rule \`${id}\` (see \`hwc rules\`)`);
    const parsed = severityOrOff.safeParse(severity);
    if (!parsed.success) throw new UsageError(`--rule ${id}: severity must be error, warning, info, hint or off`);
    overrides[id] = parsed.data;
  }
  return overrides;
}

/** `--config PATH` must name a readable regular file: a folder, a FIFO or a device is a usage error, not silently no config. */
export function checkConfigFlag(configFile: string): void {
  if (configFile.includes('\0')) throw new UsageError('--config: the path contains a NUL byte');
  const read = readConfigFile(configFile);
  if ('missing' in read) throw new UsageError(`--config ${configFile}: no such file`);
  if ('refused' in read) throw new UsageError(`--config ${configFile} ${read.refused}`);
}

export interface LintRun {
  workspace: Workspace;
  diagnostics: LintDiagnostic[];
  filesChecked: number;
  /** Whether a file is within the paths the run was asked about. */
  inScope: (file: string) => boolean;
  /** Texts the findings were computed on that are not (yet) on disk: a fix dry run's results. */
  texts?: Map<string, string>;
  /** How `.hwc-cache/` served the run (cache/lintOutcome.ts); undefined without it. */
  cacheUse?: LintOutcome['cacheUse'];
}

export interface LintPathsOptions {
  configFile?: string;
  overrides?: Record<string, SeverityOrOff>;
  log?: (l: string) => void;
  progress?: (done: number, total: number) => void;
  /** Use `.hwc-cache/` (cache/lintCache.ts): summaries of unchanged files, and the last result. */
  cache?: boolean;
  /** With `cache`: the caller needs only findings, origins and the config's problems (no index), so a stored result may stand in for the run. */
  replay?: boolean;
  /** With `cache`: read it but write nothing (--fix and --fix-dry-run: a run that writes, or promises to write, only the fixes). */
  cacheReadOnly?: boolean;
}

/** Loads and lints; `paths` (relative to cwd) narrow what is reported, not what is analysed. */
export async function lintPaths(root: string, paths: string[], options: LintPathsOptions): Promise<LintRun> {
  const inScope = scopeOf(root, paths);
  if (options.cache) {
    try {
      return await lintWithCache(root, inScope, options);
    } catch (error) {
      // A cache that decodes into something the engine chokes on (it is repository content)
      // must not fail the lint: the run is done again without it. A real engine error
      // happens again there, and is reported as always.
      options.log?.(`cache: ${error instanceof Error ? error.message : String(error)}; linting without it`);
    }
  }
  await initParser();
  // No editor features run here: leave out what only they read.
  const workspace = new Workspace(root, { configFile: options.configFile, log: options.log, editorFacts: false });
  await workspace.loadAllInParallel(options.progress);
  // Conventions the repository follows fill the settings its config file leaves out.
  workspace.applyDiscovery();
  const registry = await registryFactsFor(workspace, options.overrides, options.log);
  const byFile = workspaceDiagnostics(workspace, { severityOverrides: options.overrides, once: true, registry });
  const diagnostics = [...byFile.values()].flat().filter((d) => inScope(d.src.file));
  const filesChecked = [...workspace.index.files()].filter((f) => inScope(f.file)).length;
  // Here with the cache on, it failed (and said so).
  return { workspace, diagnostics, filesChecked, inScope, cacheUse: options.cache || registry ? 'unrepeatable' : 'computed' };
}

function scopeOf(root: string, paths: string[]): (file: string) => boolean {
  const selected = paths.map((p) => path.relative(root, path.resolve(p)).split(path.sep).join('/'));
  return (file: string) => selected.length === 0 || selected.some((s) => s === '' || file === s || file.startsWith(s.replace(/\/+$/, '') + '/'));
}

/** lintPaths through the cache: the same run, with what did not change taken from `.hwc-cache/`. */
async function lintWithCache(root: string, inScope: (file: string) => boolean, options: LintPathsOptions): Promise<LintRun> {
  let warned = false;
  const cache = new LintCache(root, (line) => {
    warned = true;
    options.log?.(line);
  });
  cache.writable = !options.cacheReadOnly;
  const log = cache.tap(options.log);
  const workspace = new Workspace(root, { configFile: options.configFile, log, editorFacts: false });
  let helpers: Helpers | undefined;
  try {
    helpers = cache.list(workspace).helpers;
    const stored = cache.replay({ overrides: options.overrides }, options.replay === true);
    if (stored) {
      if (helpers) stopHelpers(helpers);
      workspace.origins = stored.origins;
      cache.replayLogs(stored);
      return { workspace, diagnostics: stored.diagnostics.filter((d) => inScope(d.src.file)), filesChecked: stored.files.filter(inScope).length, inScope, cacheUse: warned ? 'unrepeatable' : 'replayed' };
    }
    await initParser();
  } catch (error) {
    if (helpers) stopHelpers(helpers);
    throw error;
  }
  // loadInParallel stops the workers, whatever happens.
  await cache.load(options.progress, helpers);
  workspace.applyDiscovery((file) => cache.resummarise(file));
  const registry = await registryFactsFor(workspace, options.overrides, log);
  // The last run's lint state, brought up to date (not with registry answers: they change with time).
  const state = registry ? undefined : cache.lintState();
  const byFile = workspaceDiagnostics(workspace, { severityOverrides: options.overrides, once: true, registry, state });
  const all = [...byFile.values()].flat();
  const files = [...workspace.index.files()].map((f) => f.file);
  // Registry answers change with time: such a run is not replayed.
  cache.save(registry ? undefined : { diagnostics: all, files, origins: workspace.origins }, state);
  return { workspace, diagnostics: all.filter((d) => inScope(d.src.file)), filesChecked: files.filter(inScope).length, inScope, cacheUse: warned || registry ? 'unrepeatable' : 'computed' };
}

export { exitQuietlyOnClosedPipe };

export async function runLint(args: ParsedArgs): Promise<number> {
  exitQuietlyOnClosedPipe();
  const format = flag(args, 'format') ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const maxWarningsText = flag(args, 'max-warnings');
  if (maxWarningsText !== undefined && !/^\d+$/.test(maxWarningsText)) throw new UsageError('--max-warnings needs a whole number ≥ 0');
  const maxWarnings = maxWarningsText === undefined ? undefined : Number(maxWarningsText);
  const configFile = flag(args, 'config');
  if (configFile !== undefined) checkConfigFlag(configFile);
  for (const p of args.positionals) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
  const overrides = parseRuleOverrides(args.flags.get('rule') ?? []);
  const root = findRoot(flag(args, 'root'), args.positionals[0]);
  const baseline = baselineChoice(args, root);
  const tty = process.stderr.isTTY && format === 'text';
  let progressShown = false;
  const progress = tty ? (done: number, total: number) => total > 500 && (progressShown = true) && process.stderr.write(`\rindexing ${done}/${total} files…${done === total ? '\r\u001b[K' : ''}`) : undefined;
  // Log lines and fix reports name repository files and quote their text: escaped for the terminal.
  const log = (line: string) => process.stderr.write(`hwc: ${escapeForTerminal(line)}\n`);
  const fix = flag(args, 'fix') !== undefined;
  const dryRun = flag(args, 'fix-dry-run') !== undefined;
  if (fix && dryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
  if (flag(args, 'cache') !== undefined && flag(args, 'no-cache') !== undefined) throw new UsageError('--cache and --no-cache exclude each other');
  const cache = flag(args, 'no-cache') === undefined;
  // A stored result serves the outputs that need only findings: not SARIF (its fixes read the index), --fix or --baseline-write.
  const replay = cache && format !== 'sarif' && !fix && !dryRun && baseline.mode !== 'write';
  let run = await lintPaths(root, args.positionals, { configFile, overrides, log, progress: progress ? (d, t) => void progress(d, t) : undefined, cache, replay, cacheReadOnly: fix || dryRun });
  if (fix || dryRun) {
    const report = (text: string) => void (format !== 'text' || dryRun ? process.stderr : process.stdout).write(escapeLines(text));
    try {
      run = runFixes(run, { dryRun, overrides, inScope: run.inScope, report, diff: (text) => void process.stdout.write(text) });
    } catch (error) {
      if (!(error instanceof WriteRefused)) throw error;
      process.stderr.write(`hwc lint --fix: ${escapeForTerminal(error.message)}\n`);
      return 2;
    }
  }

  // Only findings the baseline does not cover are reported and count for the exit code.
  const baselined = applyBaseline(baseline, run);
  if (baselined.note) void (format === 'text' && !dryRun ? process.stdout : process.stderr).write(`${baselined.wrote ? '' : 'hwc: '}${baselined.note}\n`);
  if (baselined.wrote) return 0;

  // --max-warnings counts every warning, also those --quiet does not print (as ESLint does).
  const warnings = baselined.diagnostics.filter((d) => d.severity === 'warning').length;
  let diagnostics = baselined.diagnostics;
  if (flag(args, 'quiet')) diagnostics = diagnostics.filter((d) => d.severity === 'error');
  const findings = toJsonFindings(diagnostics);
  // A dry run's stdout is the diff alone (it can be piped to `git apply`); its exit code is the lint's after the fixes.
  if (format === 'json' && !dryRun) process.stdout.write(JSON.stringify(findings, null, 2) + '\n');
  else if (format === 'sarif' && !dryRun) process.stdout.write(JSON.stringify(toSarif({ workspace: run.workspace, diagnostics, version: toolVersion() }), null, 2) + '\n');
  else if (!dryRun) {
    const color = !!process.stdout.isTTY && !process.env.NO_COLOR && !flag(args, 'no-color');
    // Which repository and settings these findings are about (the root is found, not given).
    process.stdout.write(`${describeConfigSources(run.workspace)}\n`);
    process.stdout.write(formatText(findings, color, run.filesChecked, process.stdout.isTTY ? process.stdout.columns || 100 : 100));
  }
  // Below the text summary; on stderr beside JSON/SARIF, whose stdout scripts parse.
  const baselinedLine = baselinedSummary(baselined, baseline);
  if (baselinedLine) void (format === 'text' && !dryRun ? process.stdout.write(`${baselinedLine}\n`) : process.stderr.write(`hwc: ${baselinedLine}\n`));
  // For bin/hwc's fast replay of this invocation next time (cache/replayEntry.ts).
  const inputs = [configFile !== undefined ? path.resolve(configFile) : path.join(root, CONFIG_FILE), baseline.file, ...(format === 'sarif' ? [ruleDocsFolder()] : [])];
  if (run.cacheUse) noteLintOutcome({ cacheUse: run.cacheUse, progressShown, inputs });
  if (run.workspace.configProblems.length > 0) return 2;
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    process.stderr.write(`hwc: ${warnings} warnings (more than --max-warnings ${maxWarnings})\n`);
    return 1;
  }
  return 0;
}
