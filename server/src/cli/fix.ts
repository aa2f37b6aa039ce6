// `hwc lint --fix` and `--fix-dry-run`: the editor's fix-all (safe fixes only) over the
// files on disk. --fix writes every changed file or none (workspace/fileTransaction.ts:
// read-only files, writes leaving the root through a symbolic link and files edited since
// they were read are refused) and reports what it changed; --fix-dry-run prints a unified
// diff and writes nothing. Either way the findings that remain are what `hwc lint` then reports.
import * as fs from 'fs';
import * as path from 'path';
import { unifiedDiff } from '../fixes/diff';
import { fixAll, type AppliedFix } from '../fixes/fixAll';
import type { SeverityOrOff } from '../config/schema';
import { workspaceDiagnostics } from '../workspace/diagnostics';
import { commitFiles, type TransactionHooks } from '../workspace/fileTransaction';
import type { LintRun } from './lint';

export interface FixOptions {
  dryRun: boolean;
  overrides?: Record<string, SeverityOrOff>;
  /** Which findings are in scope (the paths given on the command line). */
  inScope: (file: string) => boolean;
  /** Where the report goes (stdout for text output, stderr when stdout carries JSON). */
  report: (text: string) => void;
  /** Where the dry-run diff goes. */
  diff: (text: string) => void;
  /** In-process only (tests): see TransactionHooks. */
  hooks?: TransactionHooks;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describe(applied: AppliedFix[], changedFiles: string[], dryRun: boolean): string {
  const lines: string[] = [];
  const byFile = new Map<string, AppliedFix[]>();
  for (const a of applied) byFile.set(a.file, [...(byFile.get(a.file) ?? []), a]);
  for (const [file, fixes] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    for (const f of fixes.sort((a, b) => a.line - b.line)) lines.push(`${dryRun ? 'would fix' : 'fixed'} ${file}:${f.line + 1}: ${f.title} [${f.rule}]`);
  }
  for (const note of new Set(applied.map((a) => a.note).filter((n): n is string => !!n))) lines.push(`note: ${note}`);
  const touched = changedFiles.length;
  lines.push(
    applied.length === 0
      ? 'no auto-fixable problems'
      : `${dryRun ? 'would fix' : 'fixed'} ${plural(applied.length, 'problem')} by changing ${plural(touched, 'file')}${dryRun ? ' (dry run: nothing written)' : ''}`,
  );
  return lines.join('\n') + '\n';
}

/**
 * Applies (or, dry, shows) the safe fixes of the run's findings; returns the run re-linted as
 * if they were applied. Throws WriteRefused (nothing written) when --fix cannot write them all.
 */
export function runFixes(run: LintRun, options: FixOptions): LintRun {
  const { workspace } = run;
  // The bytes each file held when its fixes were computed: the writer replaces a file only if it still holds them.
  const readBytes = new Map<string, Buffer>();
  const read = (file: string) => {
    try {
      const bytes = fs.readFileSync(path.join(workspace.root, file));
      readBytes.set(file, bytes);
      return bytes.toString('utf8');
    } catch {
      return undefined;
    }
  };
  const result = fixAll({
    index: workspace.index,
    config: workspace.config,
    read,
    severityOverrides: options.overrides,
    files: new Set(run.diagnostics.map((d) => d.src.file)),
    includeUnsafe: false,
    current: run.diagnostics,
  });
  const changed = [...result.changes.keys()].sort();
  if (options.dryRun) {
    for (const file of changed) {
      const { before, after } = result.changes.get(file)!;
      options.diff(unifiedDiff(file, before, after));
    }
  } else if (changed.length > 0) {
    commitFiles(
      workspace.root,
      changed.map((file) => {
        const { before, after } = result.changes.get(file)!;
        return { path: file, action: 'replace' as const, text: after, before: readBytes.get(file) ?? before };
      }),
      options.hooks,
    );
  }
  options.report(describe(result.applied, [...result.changes.keys()], options.dryRun));
  for (const [file, { after }] of result.changes) if (file.endsWith('.nix')) workspace.updateText(file, after);
  if (result.changes.size === 0) return run;
  const byFile = workspaceDiagnostics(workspace, { severityOverrides: options.overrides });
  const texts = new Map([...result.changes].map(([file, { after }]) => [file, after]));
  return { ...run, diagnostics: [...byFile.values()].flat().filter((d) => options.inScope(d.src.file)), texts };
}
