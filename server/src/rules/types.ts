// The contract every rule implements. A rule reads the model through the index and the
// resolver and reports findings; it never parses.
import type { LintConfig, Severity } from '../config/schema';
import type { Src } from '../model/source';
import type { TextOrigin } from '../model/values';
import type { ContainerModel, FileSummary } from '../model/summary';
import type { ModuleInfo, WorkspaceIndex } from '../workspace/index';
import type { Resolver } from '../workspace/resolve';

export interface RelatedSite {
  src: Src;
  message: string;
}

export interface Finding {
  rule: string;
  message: string;
  src: Src;
  related?: RelatedSite[];
  /** Facts a quick-fix needs (the mapping, the secret name…), plain JSON. */
  data?: Record<string, unknown>;
  /** The container a per-container rule was checking (set by the engine; baseline fingerprints use it). */
  container?: string;
}

/** What the image registries said, asked before a command-line lint (`registry.lookups`); absent otherwise. */
export interface RegistryFacts {
  /** The newest stable tag on the image's track, when the registry was asked and it differs from the pinned one. */
  newerTag(image: string): string | undefined;
}

export interface RuleContext {
  readonly config: LintConfig;
  readonly index: WorkspaceIndex;
  readonly resolver: Resolver;
  /** Only `hwc lint` with registry lookups on supplies it; rules that need it stay silent otherwise. */
  readonly registry?: RegistryFacts;
  report(finding: Omit<Finding, 'rule'>): void;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** One line, shown by `hwc rules` and in hovers. */
  summary: string;
  checkContainer?(container: ContainerModel, ctx: RuleContext): void;
  /** Judges one module folder; reads only its files, the config and the import graph. */
  checkModule?(module: ModuleInfo, ctx: RuleContext): void;
  checkFile?(file: FileSummary, ctx: RuleContext): void;
  /** A rule that compares what many files hold (see JoinCheck). */
  join?: JoinCheck<never>;
}

/** What a JoinCheck's `facts` may read: one file, and values resolved through the resolver. */
export interface FactContext {
  readonly config: LintConfig;
  readonly index: WorkspaceIndex;
  readonly resolver: Resolver;
}

/** What a JoinCheck's `judge` may read: the facts under other keys, and which files exist. */
export interface JudgeContext {
  readonly config: LintConfig;
  /** Every fact under `key`, from every file (in file order). */
  lookup<F>(key: string): F[];
  /** The keys starting with `prefix` that hold facts. */
  keys(prefix: string): string[];
  /** Whether a workspace-relative file exists. */
  exists(file: string): boolean;
  report(finding: Omit<Finding, 'rule'>): void;
}

/**
 * A cross-file rule as a join: every file contributes facts under string keys (a host port,
 * a state directory, a secret name), and findings are judged one key at a time. After an
 * edit only the changed files' facts are recomputed and only the keys they touched (and
 * the keys whose judgement read those) are judged again, so an edit costs what it changes,
 * not what the workspace holds.
 */
export interface JoinCheck<F> {
  /** Facts one container contributes; kept while the container and what it resolves are unchanged. */
  containerFacts?(container: ContainerModel, ctx: FactContext): Iterable<readonly [string, F]>;
  /** Facts the rest of a file contributes (tmpfiles, routes, option declarations…). */
  fileFacts?(file: FileSummary, ctx: FactContext): Iterable<readonly [string, F]>;
  /** Judges the facts under one key; `facts` is never empty. */
  judge(key: string, facts: F[], ctx: JudgeContext): void;
}

/** Keeps a JoinCheck's fact type checked where it is written. */
export function joinCheck<F>(check: JoinCheck<F>): JoinCheck<never> {
  return check as unknown as JoinCheck<never>;
}

/** Where a finding about a resolved value belongs, with the use site as related info when it is elsewhere. */
/**
 * Where a finding about characters [at, at+1) of a composed string's text sits (rules.md v2 §3):
 * on the literal elsewhere that supplied them (an option default), with the use as related
 * information; on the string itself when it wrote them.
 */
export function siteOfText(value: { src: Src; via?: Src; origins?: TextOrigin[] }, at: number): { src: Src; related?: RelatedSite[] } {
  const origin = value.origins?.find((o) => o.from <= at && at < o.to);
  if (!origin) return siteOf(value);
  return siteOf({ src: origin.src, via: value.via ?? value.src });
}

export function siteOf(value: { src: Src; via?: Src }): { src: Src; related?: RelatedSite[] } {
  if (value.via && (value.via.file !== value.src.file || value.via.range.start.line !== value.src.range.start.line)) {
    return { src: value.src, related: [{ src: value.via, message: 'used here' }] };
  }
  return { src: value.src };
}
