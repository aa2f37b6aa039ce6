// All findings of a workspace, including `config-invalid` on the config file itself.
import { LintDiagnostic, LintOptions, lintIncremental } from '../rules/engine';
import type { Workspace } from './workspace';

/** Diagnostics by file (a fresh map; the lists are shared with the lint state: read only). */
export function workspaceDiagnostics(workspace: Workspace, options: LintOptions = {}): Map<string, LintDiagnostic[]> {
  return workspaceDiagnosticsIncremental(workspace, options).byFile;
}

/**
 * Diagnostics by file, and which files may have changed since the previous call (the
 * language server republishes only those).
 */
export function workspaceDiagnosticsIncremental(workspace: Workspace, options: LintOptions = {}): { byFile: Map<string, LintDiagnostic[]>; changed: Set<string> | 'all' } {
  const result = lintIncremental(workspace.index, workspace.config, options);
  const byFile = new Map(result.byFile);
  const file = workspace.configFileRelative;
  const changed = result.changed === 'all' ? 'all' : new Set(result.changed).add(file);
  if (workspace.configProblems.length > 0) {
    const severity = options.severityOverrides?.['config-invalid'] ?? 'error';
    if (severity !== 'off') {
      const list = [...(byFile.get(file) ?? [])];
      for (const problem of workspace.configProblems) {
        list.push({ rule: 'config-invalid', severity, message: `${problem.message} (using the default for it)`, src: { file, range: problem.range } });
      }
      byFile.set(file, list);
    }
  }
  if (options.onlyFiles) for (const f of [...byFile.keys()]) if (!options.onlyFiles.has(f)) byFile.delete(f);
  return { byFile, changed };
}
