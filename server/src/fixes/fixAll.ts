// Fix-all: applies every auto-applicable fix, pass after pass on an in-memory copy of the
// workspace (a fix can uncover or settle another finding), until a pass changes nothing.
// Returns the final texts; the LSP turns them into minimal TextEdits, the CLI writes them.
import type { LintConfig, SeverityOrOff } from '../config/schema';
import { lint, type LintDiagnostic } from '../rules/engine';
import type { WorkspaceIndex } from '../workspace/index';
import { OverlayIndex } from './overlay';
import { autoFixFor } from './registry';
import { applyEdits, mergeInto } from './text';
import type { FileEdits, Fix, Safety } from './types';

export interface FixAllOptions {
  index: WorkspaceIndex;
  config: LintConfig;
  /** Current text of a workspace-relative file. */
  read(file: string): string | undefined;
  severityOverrides?: Record<string, SeverityOrOff>;
  /** Fix only diagnostics in these files (all when absent); the edits may touch other files (the profile, a tmpfiles list). */
  files?: Set<string>;
  includeUnsafe: boolean;
  maxPasses?: number;
  onError?: (fix: Fix, error: unknown) => void;
  /** The findings of the current state, when the caller has them (the editor's last lint): saves the first lint pass. */
  current?: LintDiagnostic[];
}

export interface AppliedFix {
  /** Where the diagnostic was. */
  file: string;
  line: number;
  rule: string;
  fix: string;
  title: string;
  /** The class of the action as it was applied (`hwc lint --fix` applies only safe ones). */
  safety: Safety;
  note?: string;
}

export interface FixAllResult {
  /** Files whose text changed: before (as read) and after. */
  changes: Map<string, { before: string; after: string }>;
  applied: AppliedFix[];
  passes: number;
}

export function fixAll(options: FixAllOptions): FixAllResult {
  // Copied on the first change only: a file with nothing to fix costs no copy and no lint.
  let overlay: OverlayIndex | undefined;
  const current = new Map<string, string>();
  const originals = new Map<string, string>();
  const read = (file: string) => current.get(file) ?? options.read(file);
  const applied: AppliedFix[] = [];
  /** Findings already fixed once: if one comes back, its fix does not work and must not loop. */
  const fixedBefore = new Set<string>();
  const maxPasses = options.maxPasses ?? 10;
  let passes = 0;
  while (passes < maxPasses) {
    passes++;
    const byFile =
      passes === 1 && options.current
        ? new Map([['', options.current.filter((d) => !options.files || options.files.has(d.src.file))]])
        : lint(overlay ?? options.index, options.config, { severityOverrides: options.severityOverrides, onlyFiles: options.files });
    const taken: FileEdits = new Map();
    const thisPass: AppliedFix[] = [];
    const identities: string[] = [];
    for (const diagnostics of byFile.values()) {
      for (const diagnostic of diagnostics) {
        const identity = `${diagnostic.rule}|${diagnostic.src.file}|${diagnostic.message}`;
        if (fixedBefore.has(identity)) continue;
        const action = autoFixFor({ diagnostic, config: options.config, index: overlay ?? options.index, text: read }, options.includeUnsafe, options.onError);
        if (!action || !mergeInto(taken, action.edits)) continue;
        identities.push(identity);
        thisPass.push({ file: diagnostic.src.file, line: diagnostic.src.range.start.line, rule: diagnostic.rule, fix: action.fix, title: action.title, safety: action.safety, note: action.note });
      }
    }
    if (thisPass.length === 0) break;
    for (const [file, edits] of taken) {
      const before = read(file);
      if (before === undefined) continue;
      if (!originals.has(file)) originals.set(file, before);
      const after = applyEdits(before, edits);
      current.set(file, after);
      overlay ??= new OverlayIndex(options.index);
      if (file.endsWith('.nix')) overlay.updateText(file, after, options.config);
    }
    for (const identity of identities) fixedBefore.add(identity);
    applied.push(...thisPass);
  }
  const changes = new Map<string, { before: string; after: string }>();
  for (const [file, before] of originals) {
    const after = current.get(file)!;
    if (after !== before) changes.set(file, { before, after });
  }
  return { changes, applied, passes };
}
