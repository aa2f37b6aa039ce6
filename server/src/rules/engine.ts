// Runs every rule over the index (incrementally, see incremental.ts), applies severities
// and suppression comments, and returns findings grouped by file.
import type { LintConfig, Severity, SeverityOrOff } from '../config/schema';
import type { Src } from '../model/source';
import type { WorkspaceIndex } from '../workspace/index';
import { type LintState, lintPass } from './incremental';
import { RULES_BY_ID } from './registry';
import { closest } from './suggest';
import type { Finding, RegistryFacts, RelatedSite } from './types';

export interface LintDiagnostic {
  rule: string;
  severity: Severity;
  message: string;
  src: Src;
  related?: RelatedSite[];
  data?: Record<string, unknown>;
  /** The container the finding is about, when a per-container rule made it. */
  container?: string;
}

export interface LintOptions {
  /** Overrides on top of `.hwc-lint.json` (editor settings, `--rule id=severity`). */
  severityOverrides?: Record<string, SeverityOrOff>;
  /** Only report for these files (all findings are still computed). */
  onlyFiles?: Set<string>;
  /**
   * The index is still being built: module and workspace rules, which judge what other
   * files hold, are skipped so that a half-read workspace produces no false findings.
   */
  partial?: boolean;
  /** One pass over an index that will not change (`hwc lint`): keep no incremental state. */
  once?: boolean;
  /** What image registries said (with `once` only): `image-outdated` reads it. */
  registry?: RegistryFacts;
  /** The lint state to bring up to date instead of the index's own (the lint cache's, kept between runs; `once` is then ignored). */
  state?: LintState;
}

function effectiveSeverity(rule: string, config: LintConfig, overrides: Record<string, SeverityOrOff> | undefined): SeverityOrOff {
  return overrides?.[rule] ?? config.rules[rule] ?? RULES_BY_ID.get(rule)?.severity ?? 'warning';
}

export interface LintResult {
  byFile: Map<string, LintDiagnostic[]>;
  /** The files whose diagnostics may have changed since the previous call; 'all' after a reset. */
  changed: Set<string> | 'all';
}

/** Diagnostics by file as of the last call, per lint state (the state changes on a reset). */
const diagnosticsOf = new WeakMap<object, { overrides: string; byFile: Map<string, LintDiagnostic[]> }>();

/**
 * The diagnostics of the index, by file: the findings with severities applied and
 * suppressions honoured. Only the files the last change touched are recomputed; the
 * returned map is the state's own, so callers must not modify it.
 */
export function lintIncremental(index: WorkspaceIndex, config: LintConfig, options: LintOptions = {}): LintResult {
  const pass = options.state ? options.state.update() : lintPass(index, config, !!options.partial, !!options.once, options.once ? options.registry : undefined);
  const overrides = JSON.stringify(options.severityOverrides ?? {});
  let kept = diagnosticsOf.get(pass.state);
  let targets: Iterable<string> = pass.changed;
  let changed: Set<string> | 'all' = pass.fresh ? 'all' : pass.changed;
  if (!kept || kept.overrides !== overrides) {
    const previous = kept;
    kept = { overrides, byFile: new Map() };
    diagnosticsOf.set(pass.state, kept);
    // Every file with findings or suppressions, as a from-scratch pass would see it.
    const all = new Set<string>(pass.findings.keys());
    for (const summary of index.files()) if (summary.suppressions.length) all.add(summary.file);
    for (const file of previous?.byFile.keys() ?? []) all.add(file);
    targets = all;
    if (previous) changed = 'all';
  }
  for (const file of targets) {
    const diagnostics = fileDiagnostics(index, file, pass.findings.get(file) ?? [], config, options);
    if (diagnostics.length > 0) kept.byFile.set(file, diagnostics);
    else kept.byFile.delete(file);
  }
  return { byFile: kept.byFile, changed };
}

export function lint(index: WorkspaceIndex, config: LintConfig, options: LintOptions = {}): Map<string, LintDiagnostic[]> {
  const { byFile } = lintIncremental(index, config, options);
  const copy = new Map<string, LintDiagnostic[]>();
  for (const [file, list] of byFile) if (!options.onlyFiles || options.onlyFiles.has(file)) copy.set(file, [...list]);
  return copy;
}

/** One file's findings with severities and its suppression comments applied, sorted. */
function fileDiagnostics(index: WorkspaceIndex, file: string, findings: Finding[], config: LintConfig, options: LintOptions): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  const emit = (f: Finding) => {
    const severity = effectiveSeverity(f.rule, config, options.severityOverrides);
    if (severity === 'off') return;
    out.push({ rule: f.rule, severity, message: f.message, src: f.src, related: f.related, data: f.data, ...(f.container !== undefined ? { container: f.container } : {}) });
  };
  const suppressions = index.get(file)?.suppressions ?? [];
  const used = new Set<number>();
  for (const f of findings) {
    const line = f.src.range.start.line;
    const at = suppressions.findIndex((s) => (s.line === -1 || s.line === line) && s.ids.includes(f.rule));
    if (at >= 0 && f.rule !== 'syntax-error') {
      used.add(at);
      continue;
    }
    emit(f);
  }
  suppressions.forEach((s, i) => {
    const unknown = s.ids.filter((id) => !RULES_BY_ID.has(id));
    for (const id of unknown) {
      const suggestion = closest(id, RULES_BY_ID.keys());
      emit({ rule: 'suppression-unknown-rule', message: `\`${id}\` is not an hwc rule id${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; \`hwc rules\` lists them`, src: s.src, data: { id, suggestion } });
    }
    if (!used.has(i) && unknown.length < s.ids.length && !options.partial) {
      const known = s.ids.filter((id) => RULES_BY_ID.has(id));
      const where = s.kind === 'disable-file' ? ' in this file' : s.kind === 'disable-line' ? ' on its line' : ' on the next line';
      const why = known.includes('syntax-error') ? ' (syntax errors cannot be suppressed: fix the file)' : '';
      emit({ rule: 'suppression-unused', message: `this suppression of ${known.map((id) => `\`${id}\``).join(', ')} suppresses nothing${where}${why}; remove it`, src: s.src, data: { ids: known } });
    }
  });
  return out.sort(compareDiagnostics);
}

export function compareDiagnostics(a: LintDiagnostic, b: LintDiagnostic): number {
  // A Src builds its range at each read (model/source.ts): once per side.
  const x = a.src.range.start;
  const y = b.src.range.start;
  return x.line - y.line || x.character - y.character || a.rule.localeCompare(b.rule);
}
