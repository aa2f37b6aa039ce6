// `hwc lint --cache` (the default): what a run can reuse from the last one, at two levels.
//
// 1. The whole result. The key is every input of the findings: the engine version, the root,
//    the config file's settings and problems, the --rule overrides, the file size limit, the
//    list of files (all kinds: an `.age` file's presence matters) with each `.nix` file's
//    content hash. When it matches the last run's, its findings are printed again without
//    indexing anything: a warm run with nothing changed lists the folders, stats the files,
//    and replays.
// 2. File summaries (summaryStore.ts), by content hash and config. When anything changed,
//    unchanged files are indexed from their cached summaries and only the changed ones are
//    read and parsed; the lint itself runs on the full index, so cross-file findings are
//    exactly those of a run without the cache.
//
// Whether a file changed is decided by its content hash. A stat (mtime, ctime, size, inode)
// equal to the one recorded with the hash stands in for reading it, as in git, ruff and
// eslint; a file modified within two seconds of being stat'ed is "racy" (a second change in
// the same clock tick would not show) and is read and hashed next time.
import * as fs from 'fs';
import * as path from 'path';
import type { LintDiagnostic } from '../rules/engine';
import { type WhenMany, discover, readSource } from '../workspace/discover';
import { type Helpers, type Known, PARALLEL_MIN_FILES, loadInParallel, startHelpers, stopHelpers } from '../workspace/parallel';
import type { Workspace } from '../workspace/workspace';
import { CacheDir } from './cacheDir';
import { CorruptCache, FORMAT, FORMAT_VERSION, contentHash, decodePayload, encodePayload, fields, readCacheFile, writeCacheFile } from './cacheFiles';
import { engineVersion } from './engineVersion';
import { SummaryStore, configKey } from './summaryStore';
import { LintStateStore } from './lintStateStore';
import type { LintState } from '../rules/incremental';
import { NotSerializable } from './serialize';
import { createHash } from 'crypto';
import { statStandIn } from './statStandIn';


/** What a replay gives back: the findings of every file, and what the output needs besides. */
export interface CachedResult {
  diagnostics: LintDiagnostic[];
  /** The indexed files (`filesChecked` counts those in scope). */
  files: string[];
  origins: Workspace['origins'];
  /** Log lines the run printed after listing the files. */
  logs: string[];
}

interface FileState {
  /** Content hash; undefined when the file is skipped (too large, binary, unreadable). */
  hash?: string;
  skip?: string;
  /** The stat that stands in for the hash next time ('' when racy). */
  stat: string;
  /** The text, when this run read it. */
  text?: string;
}

export interface ResultInputs {
  overrides: Record<string, string> | undefined;
}

export class LintCache {
  private readonly dir: CacheDir | undefined;
  private warned = false;
  private summaries!: SummaryStore;
  private readonly states = new Map<string, FileState>();
  private files: string[] = [];
  private listing = '';
  private logs: string[] | undefined;
  private resultKey = '';
  private workspace!: Workspace;
  private emit: (line: string) => void = () => undefined;
  /** A file read during load differed from the hash the result key was computed with. */
  private keyStale = false;

  constructor(
    readonly root: string,
    private readonly warnLine: (line: string) => void,
  ) {
    const dir = CacheDir.at(root);
    if (dir instanceof CacheDir) this.dir = dir;
    else this.warn(dir.unusable);
  }

  /** A log function that also records the lines for the result (wrap the workspace's log with it). */
  tap(log: ((line: string) => void) | undefined): (line: string) => void {
    this.emit = (line) => {
      this.logs?.push(line);
      log?.(line);
    };
    return this.emit;
  }

  /** One warning per run, whatever else goes wrong with the cache. */
  private warn(problem: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warnLine(`cache: ${problem}; linting without it`);
  }

  /**
   * Lists the workspace's files (as Workspace.discoverFiles does) and learns each `.nix`
   * file's content hash, from the last run's stat when it still holds. Starts parse workers
   * early when there is nothing cached (a cold run), as loadAllInParallel does.
   */
  list(workspace: Workspace): { helpers?: Helpers } {
    this.workspace = workspace;
    this.summaries = new SummaryStore(this.dir, this.root, 'cli', (problem) => this.warn(problem));
    this.summaries.lazyWrites = true;
    const previous = this.readManifest();
    let helpers: Helpers | undefined;
    const whenMany = this.summaries.missing ? { files: PARALLEL_MIN_FILES, call: () => (helpers = startHelpers(workspace)) } : undefined;
    try {
      this.listFiles(workspace, previous, whenMany);
    } catch (error) {
      if (helpers) stopHelpers(helpers);
      throw error;
    }
    return { helpers };
  }

  private listFiles(workspace: Workspace, previous: Map<string, { hash: string; stat: string }>, whenMany: WhenMany | undefined): void {
    const found = discover(this.root, workspace.config.ignore, undefined, whenMany);
    for (const skipped of found.skipped) this.log(`skipped ${skipped.file}: ${skipped.reason}`);
    for (const other of found.other) workspace.index.setExists(other, true);
    this.files = found.nix;
    const now = Date.now();
    for (const file of this.files) {
      if (workspace.isIgnored(file)) continue;
      const absolute = path.join(this.root, file);
      let stat = '';
      try {
        stat = statStandIn(fs.statSync(absolute), now);
      } catch {
        // Read below, which says why it cannot be.
      }
      const before = previous.get(file);
      if (stat && before && before.stat === stat) {
        this.states.set(file, { hash: before.hash, stat });
        continue;
      }
      this.states.set(file, this.readState(file, stat));
    }
    this.listing = [...this.files.map((f) => `${f}\t${this.states.get(f)?.hash ?? `skip:${this.states.get(f)?.skip ?? 'ignored'}`}`), '', ...found.other, '', ...found.skipped.map((s) => `${s.file}\t${s.reason}`)].join('\n');
    this.logs = [];
  }

  private log(line: string): void {
    this.emit(line);
  }

  private readState(file: string, stat: string): FileState {
    const read = readSource(path.join(this.root, file), this.workspace.maxFileBytes, this.root);
    if ('skip' in read) return { skip: read.skip, stat: '' };
    return { hash: contentHash(read.text), stat, text: read.text };
  }

  /** Computes the key of this run's inputs; with `use`, the last run's findings when that key is the same. */
  replay(inputs: ResultInputs, use: boolean): CachedResult | undefined {
    const ws = this.workspace;
    const key = createHash('sha1')
      .update(JSON.stringify({ engine: engineVersion(), root: this.root, configFile: ws.configFileRelative, exists: ws.configFileExists, config: ws.fileConfig, explicit: ws.explicitKeys, problems: ws.configProblems, overrides: inputs.overrides ?? {}, maxFileBytes: ws.maxFileBytes }))
      .update('\n')
      .update(this.listing)
      .digest('base64');
    this.resultKey = key;
    const stored = this.lintFile;
    if (!use || !stored || stored.key !== key || stored.result === undefined) return undefined;
    try {
      const result = decodePayload(stored.result) as CachedResult;
      if (!result || !Array.isArray(result.diagnostics) || !Array.isArray(result.files) || !Array.isArray(result.logs) || typeof result.origins !== 'object') throw new CorruptCache('the stored result is not one');
      for (const d of result.diagnostics) {
        if (!d || typeof d.rule !== 'string' || typeof d.message !== 'string' || typeof d.severity !== 'string' || typeof d.src?.file !== 'string' || typeof d.src.range?.start?.line !== 'number') throw new CorruptCache('a stored finding is not one');
      }
      return result;
    } catch (error) {
      this.warn(`${this.lintFileName}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Replays a result's log lines (what the run printed while indexing and linting). */
  replayLogs(result: CachedResult): void {
    for (const line of result.logs) this.log(line);
  }

  /**
   * Indexes every file: cached summaries for unchanged files, the rest parsed (on worker
   * threads when there are many), then cached for next time.
   */
  async load(onProgress: ((done: number, total: number) => void) | undefined, helpers: Helpers | undefined): Promise<void> {
    const ws = this.workspace;
    const config = configKey(ws.config);
    const known: Known = { summaries: new Map(), texts: new Map() };
    const parsed: string[] = [];
    for (const file of this.files) {
      const state = this.states.get(file);
      if (!state || state.skip !== undefined) continue;
      const hit = this.summaries.get(file, state.hash!, config);
      if (hit) {
        for (const line of hit.logs) this.log(line);
        known.summaries.set(file, hit.summary);
        continue;
      }
      // Known by its stat alone until now: read it (what is parsed is what is hashed).
      let current = state;
      if (current.text === undefined) {
        current = this.readState(file, state.stat);
        if (current.hash !== state.hash) this.keyStale = true;
        this.states.set(file, current);
      }
      if (current.text !== undefined) known.texts.set(file, current.text);
      parsed.push(file);
    }
    const from = this.logs?.length ?? 0;
    await loadInParallel(ws, this.files, onProgress, helpers, known);
    const lines = this.logs?.slice(from) ?? [];
    for (const file of parsed) {
      const state = this.states.get(file)!;
      const summary = ws.index.get(file);
      if (state.hash !== undefined && summary) this.summaries.put(file, state.hash, config, summary, linesAbout(file, lines));
      state.text = undefined;
    }
    if (this.writable) this.summaries.release();
  }

  /** Whether this run writes the cache (not --fix or --fix-dry-run). */
  writable = true;

  private stateStore: LintStateStore | undefined;

  /** The hash of a listed file's content (undefined when it is skipped or ignored). */
  private readonly hashOf = (file: string) => this.states.get(file)?.hash;

  /**
   * The lint state for this run, after load and discovery: the last run's (lintStateStore.ts)
   * when it was kept under the same config and option paths, brought up to date by its pass.
   */
  lintState(): LintState {
    this.stateStore = new LintStateStore(this.dir, this.root, (problem) => this.warn(problem));
    return this.stateStore.open(this.workspace.index, this.workspace.config, this.hashOf);
  }

  /**
   * Summarises one file again after discovery changed a setting summaries depend on
   * (Workspace.applyDiscovery's `resummarise`): from the cache when it can.
   */
  resummarise(file: string): void {
    const ws = this.workspace;
    if (ws.isIgnored(file)) return;
    const config = configKey(ws.config);
    let state = this.states.get(file);
    if (state?.hash !== undefined) {
      const hit = this.summaries.get(file, state.hash, config);
      if (hit) {
        for (const line of hit.logs) this.log(line);
        ws.index.update(hit.summary);
        return;
      }
    }
    const fresh = this.readState(file, state?.stat ?? '');
    if (fresh.hash !== state?.hash) this.keyStale = true;
    state = fresh;
    this.states.set(file, state);
    if (state.text === undefined) {
      ws.loadFile(file);
      return;
    }
    const from = this.logs?.length ?? 0;
    const summary = ws.updateText(file, state.text);
    this.summaries.put(file, state.hash!, config, summary, linesAbout(file, this.logs?.slice(from) ?? []));
    state.text = undefined;
  }

  /** Writes the summaries, the lint state after its pass, and the manifest, with the run's findings when they may be replayed. */
  save(result: Omit<CachedResult, 'logs'> | undefined, state?: LintState): void {
    if (!this.dir || !this.writable) return;
    this.summaries.save();
    if (state) this.stateStore?.save(state, this.workspace.index, this.hashOf);
    const records: string[] = [];
    for (const [file, state] of this.states) if (state.hash !== undefined && state.stat) records.push(`${state.hash}\t${state.stat}\t${JSON.stringify(file)}`);
    let payload: string | undefined;
    if (result && !this.keyStale) {
      try {
        payload = encodePayload({ ...result, logs: this.logs ?? [] });
      } catch (error) {
        if (!(error instanceof NotSerializable)) throw error;
      }
    }
    const header = { format: FORMAT, version: FORMAT_VERSION, kind: 'lint' as const, engine: engineVersion(), root: this.root, key: payload ? this.resultKey : '' };
    if (payload) records.push(`result\t\t${payload}`);
    writeCacheFile(this.dir, this.lintFileName, header, records);
  }

  private get lintFileName(): string {
    return `lint-${engineVersion()}`;
  }

  private lintFileRead: { key: string; result?: string; stats: Map<string, { hash: string; stat: string }> } | undefined | null = null;

  private get lintFile(): { key: string; result?: string; stats: Map<string, { hash: string; stat: string }> } | undefined {
    if (this.lintFileRead !== null) return this.lintFileRead;
    this.lintFileRead = undefined;
    if (!this.dir) return undefined;
    try {
      const split = readCacheFile(this.dir, this.lintFileName, { kind: 'lint', engine: engineVersion(), root: this.root });
      if (!split) return undefined;
      const stats = new Map<string, { hash: string; stat: string }>();
      let result: string | undefined;
      for (const record of split.records) {
        const [hash, stat, rest] = fields(record, 3);
        if (hash === 'result') result = rest;
        else {
          const file = JSON.parse(rest);
          if (typeof file !== 'string') throw new CorruptCache('a file name is not a string');
          stats.set(file, { hash, stat });
        }
      }
      if (typeof split.header.key !== 'string') throw new CorruptCache('no key');
      this.lintFileRead = { key: split.header.key, result, stats };
    } catch (error) {
      this.warn(`${this.lintFileName}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.lintFileRead;
  }

  private readManifest(): Map<string, { hash: string; stat: string }> {
    return this.lintFile?.stats ?? new Map();
  }
}

/** The log lines about one file (`not analysing F: …`, `could not analyse F: …`), to print again with its cached summary. */
function linesAbout(file: string, lines: string[]): string[] {
  return lines.filter((line) => line.startsWith(`not analysing ${file}: `) || line.startsWith(`could not analyse ${file}: `));
}
