// The editor's view of each root's `.hwc-baseline.json`: findings the baseline covers are
// shown as hints (or hidden, `hwc.baseline.show`), classified by the same engine function
// as `hwc lint` (workspace/baseline.ts), reading open documents as the editor has them.
import * as fs from 'fs';
import * as path from 'path';
import type { LintDiagnostic } from '../rules/engine';
import { BASELINE_FILE, Baseline, BaselineError, classifyFileFindings, readBaseline } from '../workspace/baseline';
import type { Workspace } from '../workspace/workspace';

export type BaselineShow = 'hint' | 'hide';

export class Baselines {
  private readonly loaded = new WeakMap<Workspace, Baseline | undefined>();

  constructor(
    /** The text of an open document, by workspace and relative path, if open. */
    private readonly openText: (workspace: Workspace, relative: string) => string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /** Whether `relative` is the workspace's baseline file. */
  isBaselineFile(relative: string): boolean {
    return relative === BASELINE_FILE;
  }

  /** Forget a root's baseline: it is read again on the next pass. */
  invalidate(workspace: Workspace): void {
    this.loaded.delete(workspace);
  }

  private baselineOf(workspace: Workspace): Baseline | undefined {
    if (this.loaded.has(workspace)) return this.loaded.get(workspace);
    let baseline: Baseline | undefined;
    try {
      baseline = readBaseline(path.join(workspace.root, BASELINE_FILE));
    } catch (error) {
      // A broken baseline hides nothing: every finding shows, and the log says why.
      if (!(error instanceof BaselineError)) throw error;
      this.log(`${error.message} (showing every finding)`);
      baseline = undefined;
    }
    this.loaded.set(workspace, baseline);
    return baseline;
  }

  /** One file's diagnostics with the baselined ones lowered to hints, or left out. */
  apply(workspace: Workspace, file: string, diagnostics: LintDiagnostic[], show: BaselineShow): LintDiagnostic[] {
    if (diagnostics.length === 0) return diagnostics;
    const baseline = this.baselineOf(workspace);
    if (!baseline || !baseline.files.has(file)) return diagnostics;
    const { baselined } = classifyFileFindings(baseline, file, diagnostics, this.textOf(workspace, file));
    if (baselined.length === 0) return diagnostics;
    const covered = new Set(baselined);
    const out: LintDiagnostic[] = [];
    for (const d of diagnostics) {
      if (!covered.has(d)) out.push(d);
      else if (show === 'hint') out.push({ ...d, severity: 'hint', message: `${d.message} (baselined in ${BASELINE_FILE})`, data: { ...d.data, baselined: true } });
    }
    return out;
  }

  private textOf(workspace: Workspace, file: string): string | undefined {
    const open = this.openText(workspace, file);
    if (open !== undefined) return open;
    try {
      return fs.readFileSync(path.join(workspace.root, file), 'utf8');
    } catch {
      return undefined;
    }
  }
}
