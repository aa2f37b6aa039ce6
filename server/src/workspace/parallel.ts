// Cold indexing of many files on several threads (the CLI, the language server's scan). Worker threads read and parse
// files and copy each tree into a FlatTree, whose one buffer they hand back without copying;
// this thread summarises those trees (and parses files itself whenever no tree is waiting),
// then indexes every file in the order loadAll would, with the same results. Files with
// syntax errors come back as text: their repair and explanation need the real tree.
//
// A worker runs out/parseWorker.js (parseWorker.ts) next to this bundle, or else the bundle
// this code is in (`__filename`), with `workerData` marking it: that bundle must not start
// anything at load (true of out/cli.js and out/engine.js, not of out/server.js).
import { contentHash } from '../cache/cacheFiles';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { forgetInterned } from '../model/intern';
import type { FileSummary } from '../model/summary';
import { FileLimitError, firstLineOf } from '../parse/limits';
import { flatTreeOver, flattenTree, initParser, parseNix, type Tree } from '../parse/parser';
import { readSource } from './discover';
import type { Workspace } from './workspace';

/** Fewer files than this load on this thread: starting a worker costs about as much as parsing 300 files. */
export const PARALLEL_MIN_FILES = 500;
const CHUNK_FILES = 24;
const YIELD_FILES = 6;
const WORKER_MARK = 'hwc-parse-worker';

interface Job {
  chunk: number;
  files: string[];
  /** Texts already read (by the lint cache, which hashed them): the worker parses these, not the disk's. */
  texts?: Array<string | undefined>;
}

type Parsed =
  | { file: string; skip: string }
  | { file: string; text: string }
  /** Over a limit of parse/limits.ts (not parsed again here). */
  | { file: string; notAnalysed: string; firstLine: string }
  | { file: string; flat: { buffer: ArrayBuffer; capacity: number; count: number; text: string } };

interface Done {
  chunk: number;
  results: Parsed[];
}

/** A file's summary (with, on request, the content hash of the text it was made from), or why it was skipped. */
export type Outcome = { summary: FileSummary; hash?: string } | { skip: string } | undefined;

interface Helper {
  worker: Worker;
  outstanding: Set<number>;
  alive: boolean;
  /** What a failed or exited worker's chunks become (set once there are chunks). */
  lost: () => void;
}

export type Helpers = Helper[];

/** The small worker bundle when it was built next to this one, else this bundle. */
function workerScript(): string {
  const small = path.join(__dirname, 'parseWorker.js');
  return fs.existsSync(small) ? small : __filename;
}

function workerCount(): number {
  const fromEnv = Number(process.env.HWC_WORKERS);
  if (Number.isInteger(fromEnv) && fromEnv >= 0) return fromEnv;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  // One core (a CI container limited to one CPU): a worker would only take turns with this
  // thread, after loading its own bundle and parser, so everything stays here.
  return Math.max(0, Math.min(cores - 1, 3));
}

/**
 * Starts the worker threads for loadInParallel before the file list is complete: a worker
 * takes about as long to load and initialise its parser as discovery of 2,000 modules, so
 * it can do that while discovery goes on. Workers no job reaches end with `stopHelpers`.
 */
export function startHelpers(workspace: Workspace): Helpers {
  const helpers: Helper[] = [];
  const count = workerCount();
  const script = count > 0 ? workerScript() : '';
  for (let k = 0; k < count; k++) {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: { mark: WORKER_MARK, root: workspace.root, maxFileBytes: workspace.maxFileBytes } });
    } catch {
      break;
    }
    const helper: Helper = { worker, outstanding: new Set(), alive: true, lost: () => undefined };
    const lose = () => {
      if (!helper.alive) return;
      helper.alive = false;
      helper.lost();
    };
    worker.on('error', lose);
    worker.on('exit', lose);
    helpers.push(helper);
  }
  return helpers;
}

export function stopHelpers(helpers: Helpers): void {
  for (const helper of helpers) {
    helper.alive = false;
    void helper.worker.terminate();
  }
}

/**
 * What the caller already has (the lint cache): summaries of unchanged files, which are
 * indexed as they are, and texts it read, which are parsed instead of reading the file again.
 */
export interface Known {
  summaries: Map<string, FileSummary>;
  texts: Map<string, string>;
}

/**
 * Indexes `files` (from discoverFiles) as loadAll does, on worker threads when there are
 * many: those `started` for it, else its own. Stops the workers when done.
 */
export async function loadInParallel(workspace: Workspace, files: string[], onProgress?: (done: number, total: number) => void, started?: Helpers, known?: Known): Promise<void> {
  const outcomes = await summariseInParallel(workspace, files, { onProgress, started, known });
  indexOutcomes(workspace, files, outcomes);
}

export interface SummariseOptions {
  onProgress?: (done: number, total: number) => void;
  /** Workers startHelpers started for these files (else started here when there are many). */
  started?: Helpers;
  /** Checked between chunks: true stops the work (workers terminated; the outcomes are incomplete). */
  cancelled?: () => boolean;
  /** Summaries and texts the caller already has (the lint cache). */
  known?: Known;
  /** Each summary's outcome also carries the content hash of its text (for a cache to store it). */
  hashTexts?: boolean;
}

/**
 * What loadInParallel computes before it indexes: each file's summary (or why it was
 * skipped), in the order of `files`, on worker threads when there are many. Nothing is
 * indexed, so the caller decides what to keep (the language server keeps open documents).
 * The event loop gets a turn after every chunk this thread summarises.
 */
export async function summariseInParallel(workspace: Workspace, files: string[], options: SummariseOptions = {}): Promise<Outcome[]> {
  const { onProgress, started, cancelled, known, hashTexts = false } = options;
  const outcomes: Outcome[] = new Array(files.length);
  const chunks: number[][] = [];
  let toParse = 0;
  for (let i = 0; i < files.length; i++) {
    if (workspace.isIgnored(files[i])) continue;
    const summary = known?.summaries.get(files[i]);
    if (summary) {
      outcomes[i] = { summary };
      continue;
    }
    toParse++;
    const last = chunks[chunks.length - 1];
    if (last && last.length < CHUNK_FILES) last.push(i);
    else chunks.push([i]);
  }
  const helpers = started ?? (toParse < PARALLEL_MIN_FILES ? [] : startHelpers(workspace));
  const textOf = (i: number) => known?.texts.get(files[i]);
  const inbox: Done[] = [];
  const orphans: number[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let next = 0;
  const give = (helper: Helper) => {
    if (!helper.alive || next >= chunks.length) return;
    const chunk = next++;
    helper.outstanding.add(chunk);
    helper.worker.postMessage({ chunk, files: chunks[chunk].map((i) => files[i]), texts: known ? chunks[chunk].map(textOf) : undefined } satisfies Job);
  };
  for (const helper of helpers) {
    helper.lost = () => {
      orphans.push(...helper.outstanding);
      helper.outstanding.clear();
      notify();
    };
    helper.worker.on('message', (done: Done) => {
      helper.outstanding.delete(done.chunk);
      inbox.push(done);
      give(helper);
      notify();
    });
    // Two chunks each, so a worker has the next one while this thread takes the last reply.
    give(helper);
    give(helper);
  }

  const finished = new Uint8Array(chunks.length);
  let filesDone = 0;
  const progress = (n: number) => {
    filesDone += n;
    onProgress?.(filesDone, known ? toParse : files.length);
  };
  try {
    for (let completed = 0; completed < chunks.length; ) {
      if (cancelled?.()) break;
      const done = inbox.shift();
      if (done) {
        // A chunk of a worker that failed may already have been done here.
        if (finished[done.chunk]) continue;
        finished[done.chunk] = 1;
        // Replies list the chunk's files in order.
        done.results.forEach((parsed, k) => (outcomes[chunks[done.chunk][k]] = summariseParsed(workspace, parsed, hashTexts)));
        progress(done.results.length);
        completed++;
        continue;
      }
      const chunk = orphans.length > 0 ? orphans.pop()! : next < chunks.length ? next++ : undefined;
      if (chunk !== undefined) {
        if (finished[chunk]) continue;
        finished[chunk] = 1;
        const own = chunks[chunk];
        for (let k = 0; k < own.length; k++) {
          outcomes[own[k]] = loadHere(workspace, files[own[k]], textOf(own[k]), hashTexts);
          // Let the workers' replies in every few files: a reply hands its worker the next
          // chunk, and a whole chunk here takes longer than the two a worker holds.
          // Without workers, one turn per chunk keeps a server answering during a long scan.
          if ((helpers.length > 0 && k % YIELD_FILES === YIELD_FILES - 1) || k === own.length - 1) await new Promise((resolve) => setImmediate(resolve));
        }
        progress(own.length);
        completed++;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stopHelpers(helpers);
  }
  return outcomes;
}

/** Indexes what summariseInParallel returned, in the order of `files` (as loadAll would). */
export function indexOutcomes(workspace: Workspace, files: string[], outcomes: Outcome[], keep: (file: string) => boolean = () => true): void {
  files.forEach((file, i) => {
    const outcome = outcomes[i];
    if (!outcome || !keep(file)) return;
    if ('skip' in outcome) workspace.skipFile(file, outcome.skip);
    else workspace.index.update(outcome.summary);
  });
  // Every file is summarised: the table of shared strings has done its work for this load.
  forgetInterned();
}

function loadHere(workspace: Workspace, file: string, text: string | undefined, hashTexts: boolean): Outcome {
  if (text === undefined) {
    const read = readSource(path.join(workspace.root, file), workspace.maxFileBytes, workspace.root);
    if ('skip' in read) return { skip: read.skip };
    text = read.text;
  }
  const summary = workspace.summariseText(file, text);
  return hashTexts ? { summary, hash: contentHash(text) } : { summary };
}

function summariseParsed(workspace: Workspace, parsed: Parsed, hashTexts: boolean): Outcome {
  if ('skip' in parsed) return { skip: parsed.skip };
  // Not analysed: nothing worth caching (and no text here to hash).
  if ('notAnalysed' in parsed) return { summary: workspace.notAnalysed(parsed.file, parsed.notAnalysed, parsed.firstLine) };
  if ('text' in parsed) {
    const summary = workspace.summariseText(parsed.file, parsed.text);
    return hashTexts ? { summary, hash: contentHash(parsed.text) } : { summary };
  }
  const { buffer, capacity, count, text } = parsed.flat;
  const summary = workspace.summariseFlat(parsed.file, flatTreeOver(buffer, capacity, count, text));
  return hashTexts ? { summary, hash: contentHash(text) } : { summary };
}

/** The worker's side: read, parse, copy out; the tree is freed before the reply. */
async function serve(data: { root: string; maxFileBytes: number }): Promise<void> {
  await initParser();
  parentPort!.on('message', (job: Job) => {
    const results: Parsed[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const [k, file] of job.files.entries()) {
      const given = job.texts?.[k];
      const read = given !== undefined ? { text: given } : readSource(path.join(data.root, file), data.maxFileBytes, data.root);
      if ('skip' in read) {
        results.push({ file, skip: read.skip });
        continue;
      }
      let tree: Tree | undefined;
      try {
        tree = parseNix(read.text);
        if (tree.rootNode.hasError) {
          results.push({ file, text: read.text });
        } else {
          const flat = flattenTree(tree);
          results.push({ file, flat: { buffer: flat.buffer, capacity: flat.capacity, count: flat.count, text: flat.text } });
          transfer.push(flat.buffer);
        }
      } catch (error) {
        // The main thread parses it again and reports what went wrong; a file over a limit
        // is not worth a second try.
        if (error instanceof FileLimitError) results.push({ file, notAnalysed: error.reason, firstLine: firstLineOf(read.text) });
        else results.push({ file, text: read.text });
      } finally {
        tree?.delete();
      }
    }
    parentPort!.postMessage({ chunk: job.chunk, results } satisfies Done, transfer);
  });
}

if (!isMainThread && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) void serve(workerData);
