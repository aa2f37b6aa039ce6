// The server's scan of one root: every `.nix` file on disk read, parsed and summarised,
// on worker threads when there are many (workspace/parallel.ts, the machinery `hwc lint`
// uses), then indexed in discovery order, as the CLI indexes them. While it runs the
// session keeps answering: open documents are indexed from their editor text as they
// arrive, and their disk copies are not indexed over them; files that change on disk are
// loaded by the session at once, and the scan's older copy of them is dropped.
import * as path from 'path';
import type { FileSummary } from '../model/summary';
import { readSource } from '../workspace/discover';
import { Helpers, Known, PARALLEL_MIN_FILES, indexOutcomes, startHelpers, stopHelpers, summariseInParallel } from '../workspace/parallel';
import type { Workspace } from '../workspace/workspace';
import { keepYoungGenerationSmall } from './youngGeneration';

/** A summary found without parsing its file, and the content hash of the text it summarises. */
export interface Found {
  summary: FileSummary;
  hash: string;
}

/**
 * Where a scan may find a file's summary without parsing it (a cache keyed by the text). What
 * it returns must be what summarising that text in this workspace (its effective
 * configuration) would.
 */
export interface SummarySource {
  /** Asked first, before the file is read: its summary when the file is known unchanged without reading it. */
  unchanged(relative: string): Found | undefined;
  /** Then, when set, with the file's text (read here): the summary of that text. */
  ofText?(relative: string, text: string): Found | undefined;
}

export interface ScanHooks {
  /** The files open in the editor when the scan indexes: their editor text is indexed, not the disk's. */
  openFiles(): Set<string>;
  /** Files summarised so far (called after every chunk of files). */
  progress?(done: number, total: number): void;
  summarySource?: SummarySource;
  /** Keep, for each file summarised here, the content hash of its text (see `summarised`). */
  hashTexts?: boolean;
}

/** A summary the scan indexed from disk, and the content hash of the text it was made from. */
export interface ScannedSummary {
  file: string;
  hash: string;
  summary: FileSummary;
  /** From the summary source (it has it already), not made here. */
  cached?: true;
}

export class WorkspaceScan {
  private cancelled = false;
  /** Files created, changed or deleted on disk since the scan began (deleted folders too). */
  private readonly changedOnDisk = new Set<string>();
  /** With `hashTexts`: what this scan indexed from disk with its content hash (not open documents). */
  summarised: ScannedSummary[] = [];
  /** How many files the summary source answered for, and how many of them it knew unchanged without their text. */
  fromSource = 0;
  unread = 0;

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
    const known: Known = { summaries: new Map(), texts: new Map() };
    const hashes = new Map<string, string>();
    const unread = this.hooks.summarySource ? this.takeFromSource(files, known, hashes, this.hooks.summarySource) : 0;
    const fromSource = known.summaries.size;
    const helpers = files.length - fromSource >= PARALLEL_MIN_FILES ? await startedHelpers(workspace) : [];
    if (this.cancelled) {
      stopHelpers(helpers);
      return false;
    }
    const outcomes = await summariseInParallel(workspace, files, {
      started: helpers,
      cancelled: () => this.cancelled,
      onProgress: (done) => this.hooks.progress?.(fromSource + done, files.length),
      hashTexts: this.hooks.hashTexts,
      known,
    });
    this.fromSource = fromSource;
    this.unread = unread;
    if (this.cancelled) return false;
    const open = this.hooks.openFiles();
    const keep = (file: string) => !open.has(file) && !this.changedDuringScan(file);
    indexOutcomes(workspace, files, outcomes, keep);
    if (this.hooks.hashTexts) {
      files.forEach((file, i) => {
        const outcome = outcomes[i];
        if (!outcome || !('summary' in outcome) || !keep(file)) return;
        const cachedHash = hashes.get(file);
        if (cachedHash !== undefined) this.summarised.push({ file, hash: cachedHash, summary: outcome.summary, cached: true });
        else if (outcome.hash !== undefined) this.summarised.push({ file, hash: outcome.hash, summary: outcome.summary });
      });
    }
    return true;
  }

  /**
   * Asks the summary source about every file first: by its stat, then (when the source looks
   * texts up) by its text, read here. Texts read and not found are parsed from what was read
   * (`known.texts`), not read again.
   */
  private takeFromSource(files: string[], known: Known, hashes: Map<string, string>, source: SummarySource): number {
    const { workspace } = this;
    const ask = (question: () => Found | undefined) => {
      try {
        return question();
      } catch {
        return undefined;
      }
    };
    let unread = 0;
    for (const file of files) {
      if (workspace.isIgnored(file)) continue;
      let found = ask(() => source.unchanged(file));
      if (found) unread++;
      else if (source.ofText) {
        const read = readSource(path.join(workspace.root, file), workspace.maxFileBytes, workspace.root);
        if ('text' in read) {
          found = ask(() => source.ofText!(file, read.text));
          if (!found) known.texts.set(file, read.text);
        }
      }
      if (found) {
        known.summaries.set(file, found.summary);
        hashes.set(file, found.hash);
      }
    }
    return unread;
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
