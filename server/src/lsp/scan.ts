// The server's scan of one root: every `.nix` file on disk read, parsed and summarised,
// on worker threads when there are many (workspace/parallel.ts, the machinery `hwc lint`
// uses), then indexed in discovery order, as the CLI indexes them. While it runs the
// session keeps answering: open documents are indexed from their editor text as they
// arrive, and their disk copies are not indexed over them; files that change on disk are
// loaded by the session at once, and the scan's older copy of them is dropped.
import * as path from 'path';
import type { FileSummary } from '../model/summary';
import { readSource } from '../workspace/discover';
import { Helpers, Outcome, PARALLEL_MIN_FILES, indexOutcomes, startHelpers, stopHelpers, summariseInParallel } from '../workspace/parallel';
import type { Workspace } from '../workspace/workspace';
import { keepYoungGenerationSmall } from './youngGeneration';

/**
 * A summary of a file's text found without parsing it (e.g. a cache keyed by the text), or
 * undefined to parse it. Tried first for every file a scan reads; it must return what
 * summarising that text in this workspace (its effective configuration) would.
 */
export type SummarySource = (relative: string, text: string) => FileSummary | undefined;

export interface ScanHooks {
  /** The files open in the editor when the scan indexes: their editor text is indexed, not the disk's. */
  openFiles(): Set<string>;
  /** Files summarised so far (called after every chunk of files). */
  progress?(done: number, total: number): void;
  summarySource?: SummarySource;
  /** Keep, for each file summarised here, the content hash of its text (see `summarised`). */
  hashTexts?: boolean;
}

/** A summary the scan made, and the content hash of the text it made it from. */
export interface ScannedSummary {
  file: string;
  hash: string;
  summary: FileSummary;
}

export class WorkspaceScan {
  private cancelled = false;
  /** Files created, changed or deleted on disk since the scan began (deleted folders too). */
  private readonly changedOnDisk = new Set<string>();
  /** With `hashTexts`: what this scan summarised and indexed itself (not the source's, not open documents). */
  summarised: ScannedSummary[] = [];
  /** How many files the summary source answered for. */
  fromSource = 0;

  constructor(readonly workspace: Workspace, private readonly hooks: ScanHooks) {}

  /** Stops the scan; nothing it read is indexed (a rescan or a removed root makes it moot). */
  cancel(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /**
   * A file (or, when deleted, a folder) changed on disk while the scan runs. The session
   * has indexed its new state itself; what the scan read of it may be older.
   */
  changed(relative: string): void {
    this.changedOnDisk.add(relative);
  }

  private changedDuringScan(file: string): boolean {
    if (this.changedOnDisk.size === 0) return false;
    if (this.changedOnDisk.has(file)) return true;
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
      if (this.changedOnDisk.has(file.slice(0, slash))) return true;
    }
    return false;
  }

  /**
   * Reads, summarises and indexes every file; false when cancelled (nothing indexed then).
   * Unlike `hwc lint`, the workers start after discovery, not during it (see startedHelpers).
   */
  async run(): Promise<boolean> {
    const { workspace } = this;
    const files = workspace.discoverFiles();
    const outcomes: Outcome[] = new Array(files.length);
    let toSummarise = files;
    let fromSource = 0;
    if (this.hooks.summarySource) {
      ({ toSummarise, fromSource } = this.takeFromSource(files, outcomes, this.hooks.summarySource));
    }
    const helpers = toSummarise.length >= PARALLEL_MIN_FILES ? await startedHelpers(workspace) : [];
    if (this.cancelled) {
      stopHelpers(helpers);
      return false;
    }
    const summarised = await summariseInParallel(workspace, toSummarise, {
      started: helpers,
      cancelled: () => this.cancelled,
      onProgress: (done) => this.hooks.progress?.(fromSource + done, files.length),
      hashTexts: this.hooks.hashTexts,
    });
    this.fromSource = fromSource;
    if (this.cancelled) return false;
    if (toSummarise === files) outcomes.splice(0, outcomes.length, ...summarised);
    else {
      const position = new Map(files.map((file, i) => [file, i]));
      toSummarise.forEach((file, k) => (outcomes[position.get(file)!] = summarised[k]));
    }
    const open = this.hooks.openFiles();
    const keep = (file: string) => !open.has(file) && !this.changedDuringScan(file);
    indexOutcomes(workspace, files, outcomes, keep);
    if (this.hooks.hashTexts) {
      toSummarise.forEach((file, k) => {
        const outcome = summarised[k];
        if (outcome && 'summary' in outcome && outcome.hash !== undefined && keep(file)) this.summarised.push({ file, hash: outcome.hash, summary: outcome.summary });
      });
    }
    return true;
  }

  /**
   * Asks the summary source about every file first (reading it here); the files it has no
   * summary for are summarised as usual (their workers read them again: reading is a small
   * part of summarising a file, and a source that knows most files saves all their parses).
   */
  private takeFromSource(files: string[], outcomes: Outcome[], source: SummarySource): { toSummarise: string[]; fromSource: number } {
    const { workspace } = this;
    const toSummarise: string[] = [];
    let fromSource = 0;
    files.forEach((file, i) => {
      if (workspace.isIgnored(file)) return;
      const read = readSource(path.join(workspace.root, file), workspace.maxFileBytes, workspace.root);
      let summary: FileSummary | undefined;
      if ('text' in read) {
        try {
          summary = source(file, read.text);
        } catch {
          summary = undefined;
        }
      }
      if (summary) {
        outcomes[i] = { summary };
        fromSource++;
      } else toSummarise.push(file);
    });
    return { toSummarise, fromSource };
  }
}

/**
 * Worker threads for a scan, once they run. Starting a worker's isolate resets V8's flags,
 * and with them the small young generation main.ts asks for: allocating on this thread
 * before the flag is set again let it grow to 16 MB for the rest of the session, so this
 * thread waits for the workers (a few tens of ms, which they spend starting anyway).
 */
async function startedHelpers(workspace: Workspace): Promise<Helpers> {
  const helpers = startHelpers(workspace);
  await Promise.all(
    helpers.map(
      (helper) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          helper.worker.once('online', done);
          helper.worker.once('exit', done);
          helper.worker.once('error', done);
        }),
    ),
  );
  keepYoungGenerationSmall();
  return helpers;
}
