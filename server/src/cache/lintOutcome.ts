// What the last `hwc lint` of this process did with its cache and read besides the workspace:
// noted by cli/lint.ts, read by the fast replay's recorder (cache/replayEntry.ts, through
// bin/hwc), which keeps a run's output for the next identical invocation only when it is the
// output such a run will print again.

export interface LintOutcome {
  /**
   * replayed: the lint cache's stored result stood in for the run; computed: the run indexed
   * and linted (some files perhaps from cached summaries); unrepeatable: what it printed
   * depends on more than its inputs (a cache warning, registry answers).
   */
  cacheUse: 'replayed' | 'computed' | 'unrepeatable';
  /** Whether an "indexing n/m files…" progress line went to stderr (a warm run prints none). */
  progressShown: boolean;
  /** Absolute paths outside the workspace's files that the output depends on (config file, baseline, rule pages). */
  inputs: string[];
}

let last: LintOutcome | undefined;

export function noteLintOutcome(outcome: LintOutcome): void {
  last = outcome;
}

export function lastLintOutcome(): LintOutcome | undefined {
  return last;
}
