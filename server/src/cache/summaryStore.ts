// File summaries in `.hwc-cache/summaries-<engine>-<flavour>`, keyed by the file, its
// content hash and the configuration it was summarised with (a summary depends on the
// namespace, the containers folder, the routes file and the helpers, so the key is a hash
// of the whole effective config: simple, and never wrong). `flavour` separates the CLI's
// summaries from the editor's, which keep more (editorFacts).
//
// Also the narrow API the language server can start from: summaryFromCache / storeSummaries.
import type { LintConfig } from '../config/schema';
import type { FileSummary } from '../model/summary';
import { CacheDir } from './cacheDir';
import { CorruptCache, FORMAT, FORMAT_VERSION, contentHash, decodePayload, encodePayload, fields, readCacheFile, writeCacheFile } from './cacheFiles';
import { engineVersion } from './engineVersion';
import { NotSerializable } from './serialize';
import { createHash } from 'crypto';

export type Flavour = 'cli' | 'editor';

/** The key of the configuration a summary was made with. */
export function configKey(config: LintConfig): string {
  return createHash('sha1').update(JSON.stringify(config)).digest('base64');
}

interface Cached {
  summary: FileSummary;
  /** Lines the workspace logged while summarising it (`not analysing …`), printed again on use. */
  logs: string[];
}

export class SummaryStore {
  /** Records by `configKey \t file` as read: [content hash, the whole record line]. */
  private readonly records = new Map<string, [string, string]>();
  /** The records the next save keeps: those used or added since opening. */
  private readonly kept = new Map<string, string>();
  private changed = false;
  /** Read on first use: a run that replays its whole result never needs it. */
  private loaded = false;
  /** After `release`: a later read keeps every record it finds (they were all kept when written). */
  private released = false;
  /** Summaries added since the file was read, and whether a record had to be dropped (it was corrupt). */
  private added = 0;
  private dropped = false;
  /**
   * Leave the file as it is while few summaries are missing from it (`hwc lint`): those files
   * are parsed again next time, milliseconds each, instead of megabytes written now.
   */
  lazyWrites = false;

  constructor(
    private readonly dir: CacheDir | undefined,
    private readonly root: string,
    private readonly flavour: Flavour,
    private readonly warn: (problem: string) => void,
  ) {}

  get fileName(): string {
    return `summaries-${engineVersion()}-${this.flavour}`;
  }

  /** Whether there is no summaries file (a cold start: worth starting parse workers early); does not read it. */
  get missing(): boolean {
    return !this.dir || !this.dir.has(this.fileName);
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.dir) return;
    try {
      const split = readCacheFile(this.dir, this.fileName, { kind: 'summaries', engine: engineVersion(), root: this.root });
      if (!split) return;
      for (const record of split.records) {
        const [hash, config, file] = fields(record, 4);
        this.records.set(`${config}\t${file}`, [hash, record]);
        if (this.released) this.kept.set(`${config}\t${file}`, record);
      }
    } catch (error) {
      this.records.clear();
      this.warn(`${this.fileName}: ${error instanceof CorruptCache ? error.message : error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The summary of `file` with this content hash under this config, or undefined. */
  get(file: string, hash: string, config: string): Cached | undefined {
    this.load();
    const key = `${config}\t${JSON.stringify(file)}`;
    const found = this.records.get(key);
    if (!found || found[0] !== hash) return undefined;
    try {
      const payload = decodePayload(found[1].slice(found[1].lastIndexOf('\t') + 1)) as Cached;
      if (!payload || typeof payload !== 'object' || !Array.isArray(payload.logs) || !payload.logs.every((l) => typeof l === 'string')) throw new CorruptCache('a record is not a summary');
      const summary = payload.summary;
      if (!summary || typeof summary !== 'object' || summary.file !== file || !Array.isArray(summary.containers)) throw new CorruptCache('a record is not a summary');
      this.kept.set(key, found[1]);
      return payload;
    } catch (error) {
      this.records.delete(key);
      this.changed = true;
      this.dropped = true;
      this.warn(`${this.fileName}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Adds a summary (replacing the file's record under this config). False when it cannot be cached. */
  put(file: string, hash: string, config: string, summary: FileSummary, logs: string[] = []): boolean {
    this.load();
    const key = `${config}\t${JSON.stringify(file)}`;
    let payload: string;
    try {
      payload = encodePayload({ summary, logs });
    } catch (error) {
      if (error instanceof NotSerializable) return false;
      throw error;
    }
    const record = `${hash}\t${key}\t${payload}`;
    this.records.set(key, [hash, record]);
    this.kept.set(key, record);
    this.changed = true;
    this.added++;
    return true;
  }

  /**
   * Saves, then lets go of the file's text (its records are slices of it: 120 MB at 20,000
   * modules, which the lint that follows should not carry). Used again, it reads the file again.
   */
  release(): void {
    this.save();
    this.records.clear();
    this.kept.clear();
    this.loaded = false;
    this.released = true;
  }

  /** Writes the kept records when anything changed (or some were dropped); silently nothing when it cannot. */
  save(): void {
    if (!this.dir || !this.loaded) return;
    if (!this.changed && this.kept.size === this.records.size) return;
    if (this.lazyWrites && !this.dropped && this.added <= lazySlack(this.records.size)) return;
    const header = { format: FORMAT, version: FORMAT_VERSION, kind: 'summaries' as const, engine: engineVersion(), root: this.root };
    writeCacheFile(this.dir, this.fileName, header, this.kept.values());
    this.changed = false;
    this.added = 0;
    this.dropped = false;
  }
}

/**
 * How many files a lazily written cache file may be behind the workspace before it is
 * rewritten: each costs a parse (or a re-check) of a few milliseconds on every run until then,
 * while a rewrite costs about as much as tens of them (megabytes encoded, signed and written).
 */
export function lazySlack(records: number): number {
  return Math.max(16, Math.ceil(records / 200));
}

// The language server's entry points: one store per root and flavour for the process.
const stores = new Map<string, SummaryStore>();

function storeFor(root: string, flavour: Flavour): SummaryStore | undefined {
  const key = `${flavour}\0${root}`;
  let store = stores.get(key);
  if (!store) {
    const dir = CacheDir.at(root);
    if (!(dir instanceof CacheDir)) return undefined;
    store = new SummaryStore(dir, root, flavour, () => undefined);
    stores.set(key, store);
  }
  return store;
}

/** Whether the root has a file of cached summaries of this flavour at all (it is not read). */
export function hasCachedSummaries(root: string, options: { editorFacts?: boolean } = {}): boolean {
  return storeFor(root, options.editorFacts === false ? 'cli' : 'editor')?.missing === false;
}

/**
 * The cached summary of `file` (workspace-relative) with exactly this text, summarised under
 * `config` (the workspace's effective config at the time); undefined when there is none.
 * `editorFacts` picks the editor's summaries (true, the language server's) or the CLI's.
 */
export function summaryFromCache(root: string, file: string, text: string, config: LintConfig, options: { editorFacts?: boolean } = {}): FileSummary | undefined {
  return storeFor(root, options.editorFacts === false ? 'cli' : 'editor')?.get(file, contentHash(text), configKey(config))?.summary;
}

/**
 * As summaryFromCache, for a file whose content hash is already known (the language server's
 * stat stand-in, lsp/summaryCache.ts) and a config already keyed (configKey, once per scan).
 */
export function summaryByHash(root: string, file: string, hash: string, config: string): FileSummary | undefined {
  return storeFor(root, 'editor')?.get(file, hash, config)?.summary;
}

/**
 * Remembers summaries (each with the text it was made from, or that text's hash) for the next start, and writes
 * the cache file: the records kept are those looked up or stored since the process started
 * (call it once the first scan is done: files not looked up or stored by then are dropped).
 */
export function storeSummaries(root: string, entries: Iterable<{ file: string; summary: FileSummary } & ({ text: string } | { hash: string })>, config: LintConfig, options: { editorFacts?: boolean } = {}): void {
  const store = storeFor(root, options.editorFacts === false ? 'cli' : 'editor');
  if (!store) return;
  const key = configKey(config);
  // The text's content hash (contentHash), or the text to hash.
  for (const entry of entries) store.put(entry.file, 'hash' in entry ? entry.hash : contentHash(entry.text), key, entry.summary);
  // Written, then let go: a long-running server need not hold the file's text.
  store.release();
}
