// Runs every rule over the index, applies severities and suppression comments, and
// returns findings grouped by file.
import type { LintConfig, Severity, SeverityOrOff } from '../config/schema';
import type { Src } from '../model/source';
import type { WorkspaceIndex } from '../workspace/index';
import type { ContainerModel, FileSummary } from '../model/summary';
import { RULES, RULES_BY_ID } from './registry';
import { closest } from './suggest';
import type { Finding, RelatedSite, RuleContext } from './types';

export interface LintDiagnostic {
  rule: string;
  severity: Severity;
  message: string;
  src: Src;
  related?: RelatedSite[];
  data?: Record<string, unknown>;
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
}

interface CachedFindings {
  findings: Finding[];
  /** Files whose option defaults the checks read, with the summary they read. */
  deps: Map<string, unknown>;
  optionPathsVersion: number;
  config: LintConfig;
}

/**
 * Findings of per-container and per-file checks, kept between lint passes: after an edit
 * only the containers of the changed file, and those reading options it declares, are
 * checked again. Keys are summary objects, which the index replaces on every change.
 */
const containerFindings = new WeakMap<ContainerModel, CachedFindings>();
const fileFindings = new WeakMap<FileSummary, CachedFindings>();

function stillValid(cached: CachedFindings | undefined, index: WorkspaceIndex, config: LintConfig): cached is CachedFindings {
  if (!cached || cached.config !== config || cached.optionPathsVersion !== index.optionPathsVersion) return false;
  for (const [file, summary] of cached.deps) if (index.summaryOf(file) !== summary) return false;
  return true;
}

function runCached(
  index: WorkspaceIndex,
  config: LintConfig,
  cache: WeakMap<object, CachedFindings>,
  key: object,
  check: (ctx: RuleContext, setRule: (id: string) => void) => void,
): Finding[] {
  const cached = cache.get(key);
  if (stillValid(cached, index, config)) return cached.findings;
  const findings: Finding[] = [];
  const resolver = index.resolver();
  let rule = '';
  check({ config, index, resolver, report: (f) => findings.push({ ...f, rule }) }, (id) => (rule = id));
  const deps = new Map<string, unknown>();
  for (const file of resolver.dependencies) deps.set(file, index.summaryOf(file));
  cache.set(key, { findings, deps, optionPathsVersion: index.optionPathsVersion, config });
  return findings;
}

const CONTAINER_RULES = RULES.filter((r) => r.checkContainer);
const FILE_RULES = RULES.filter((r) => r.checkFile);

export function collectFindings(index: WorkspaceIndex, config: LintConfig, partial = false): Finding[] {
  const findings: Finding[] = [];
  for (const file of index.files()) {
    findings.push(
      ...runCached(index, config, fileFindings, file, (ctx, setRule) => {
        for (const rule of FILE_RULES) {
          setRule(rule.id);
          rule.checkFile!(file, ctx);
        }
      }),
    );
    for (const problem of file.syntaxErrors) findings.push({ rule: 'syntax-error', message: problem.message, src: { file: file.file, range: problem.range } });
  }
  for (const container of index.containers()) {
    findings.push(
      ...runCached(index, config, containerFindings, container, (ctx, setRule) => {
        for (const rule of CONTAINER_RULES) {
          setRule(rule.id);
          rule.checkContainer!(container, ctx);
        }
      }),
    );
  }
  const resolver = index.resolver();
  let currentRule = '';
  const ctx: RuleContext = { config, index, resolver, report: (f) => findings.push({ ...f, rule: currentRule }) };
  for (const rule of partial ? [] : RULES) {
    currentRule = rule.id;
    if (rule.checkModule) for (const module of index.modules().values()) rule.checkModule(module, ctx);
    if (rule.checkWorkspace) rule.checkWorkspace(ctx);
  }
  return dedupe(findings);
}

/** The same finding can be reached twice (a value used by two containers of one module). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.src.file}|${f.src.range.start.line}:${f.src.range.start.character}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function effectiveSeverity(rule: string, config: LintConfig, overrides: Record<string, SeverityOrOff> | undefined): SeverityOrOff {
  return overrides?.[rule] ?? config.rules[rule] ?? RULES_BY_ID.get(rule)?.severity ?? 'warning';
}

export function lint(index: WorkspaceIndex, config: LintConfig, options: LintOptions = {}): Map<string, LintDiagnostic[]> {
  const byFile = new Map<string, LintDiagnostic[]>();
  const push = (d: LintDiagnostic) => {
    if (options.onlyFiles && !options.onlyFiles.has(d.src.file)) return;
    const list = byFile.get(d.src.file);
    if (list) list.push(d);
    else byFile.set(d.src.file, [d]);
  };
  const findings = collectFindings(index, config, options.partial);
  const findingsByFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = findingsByFile.get(f.src.file);
    if (list) list.push(f);
    else findingsByFile.set(f.src.file, [f]);
  }
  const emit = (f: Finding) => {
    const severity = effectiveSeverity(f.rule, config, options.severityOverrides);
    if (severity === 'off') return;
    push({ rule: f.rule, severity, message: f.message, src: f.src, related: f.related, data: f.data });
  };
  const files = new Set<string>([...findingsByFile.keys(), ...[...index.files()].filter((f) => f.suppressions.length).map((f) => f.file)]);
  for (const file of files) {
    const summary = index.get(file);
    const suppressions = summary?.suppressions ?? [];
    const used = new Set<number>();
    for (const f of findingsByFile.get(file) ?? []) {
      const line = f.src.range.start.line;
      const index = suppressions.findIndex((s) => (s.line === -1 || s.line === line) && s.ids.includes(f.rule));
      if (index >= 0 && f.rule !== 'syntax-error') {
        used.add(index);
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
  }
  for (const list of byFile.values()) list.sort(compareDiagnostics);
  return byFile;
}

export function compareDiagnostics(a: LintDiagnostic, b: LintDiagnostic): number {
  return a.src.range.start.line - b.src.range.start.line || a.src.range.start.character - b.src.range.start.character || a.rule.localeCompare(b.rule);
}
