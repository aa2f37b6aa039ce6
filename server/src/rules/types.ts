// The contract every rule implements. A rule reads the model through the index and the
// resolver and reports findings; it never parses.
import type { LintConfig, Severity } from '../config/schema';
import type { Src } from '../model/source';
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
}

export interface RuleContext {
  readonly config: LintConfig;
  readonly index: WorkspaceIndex;
  readonly resolver: Resolver;
  report(finding: Omit<Finding, 'rule'>): void;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** One line, shown by `hwc rules` and in hovers. */
  summary: string;
  checkContainer?(container: ContainerModel, ctx: RuleContext): void;
  checkModule?(module: ModuleInfo, ctx: RuleContext): void;
  checkFile?(file: FileSummary, ctx: RuleContext): void;
  checkWorkspace?(ctx: RuleContext): void;
}

/** Where a finding about a resolved value belongs, with the use site as related info when it is elsewhere. */
export function siteOf(value: { src: Src; via?: Src }): { src: Src; related?: RelatedSite[] } {
  if (value.via && (value.via.file !== value.src.file || value.via.range.start.line !== value.src.range.start.line)) {
    return { src: value.src, related: [{ src: value.via, message: 'used here' }] };
  }
  return { src: value.src };
}
