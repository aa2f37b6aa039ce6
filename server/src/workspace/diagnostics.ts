// All findings of a workspace, including `config-invalid` on the config file itself.
import { LintDiagnostic, LintOptions, lint } from '../rules/engine';
import type { Workspace } from './workspace';

export function workspaceDiagnostics(workspace: Workspace, options: LintOptions = {}): Map<string, LintDiagnostic[]> {
  const byFile = lint(workspace.index, workspace.config, options);
  if (workspace.configProblems.length > 0) {
    const severity = options.severityOverrides?.['config-invalid'] ?? 'error';
    if (severity !== 'off') {
      const file = workspace.configFileRelative;
      const list = byFile.get(file) ?? [];
      for (const problem of workspace.configProblems) {
        list.push({ rule: 'config-invalid', severity, message: `${problem.message} (using the default for it)`, src: { file, range: problem.range } });
      }
      byFile.set(file, list);
    }
  }
  return byFile;
}
