// The lint state of the last run (rules/incremental.ts's `LintStateData`) in
// `.hwc-cache/state-<engine>`, so that a run after a change re-checks only what the change
// reaches, as the language server does between keystrokes: the changed files and the files
// that read their option defaults, every module folder, and the join keys whose facts
// changed or whose judgement read them (see docs/architecture.md "Rules and incremental lint").
//
// A kept state is a consistent picture of the workspace as some run saw it: each file with
// its content hash, under one effective config and one set of option paths (the header's
// key). Restored into an index under the same key, the files whose hash differs (or that
// came or went) are the changes. Any older state with the right key is as good as the
// newest, only slower to bring up to date: a run that cannot write leaves the last one, and a
// run that finds the kept state only a few files behind leaves it too (lazySlack).
//
// Records (cacheFiles.ts's line format, five fields, serialize.ts payloads last):
//   f  <content hash>  <file (JSON)>    the file's deps and fact keys (JSON)   its facts
//   c                  <target (JSON)>  the findings in that file, by source, in source order
//   j  <rule index>                      a join rule's reads, existence readers, key prefixes
//   m                  <folder (JSON)>  the folder's files with their hashes (JSON)
//   i  <imports key>                     every file's imports when the state was kept
// A module folder whose files are unchanged keeps its findings while no file's imports changed.
// A file's facts are decoded only when a judgement reads one of their keys (KeptFact): after a
// small change most keys are never judged. A record whose data this run did not touch is
// copied as it was read.
import type { LintConfig } from '../config/schema';
import { type FileEntry, KeptFact, type LintStateData, LintState } from '../rules/incremental';
import type { Finding } from '../rules/types';
import { type WorkspaceIndex, importsShape, optionShape } from '../workspace/index';
import type { CacheDir } from './cacheDir';
import { CorruptCache, FORMAT, FORMAT_VERSION, decodePayload, encodePayload, fields, readCacheFile, writeCacheFile } from './cacheFiles';
import { engineVersion } from './engineVersion';
import { NotSerializable } from './serialize';
import { lazySlack } from './summaryStore';
import { createHash } from 'crypto';

type JoinData = LintStateData['joins'][number];

interface KeptJoin {
  record: string;
  reads: Array<[string, string[]]>;
  existenceReaders: string[];
  keyPrefixesRead: string[];
}

/** What was read: each record's text with the objects it decoded to (unchanged objects keep their text). */
interface Kept {
  files: Map<string, { hash: string; record: string; entry: FileEntry }>;
  /** Module folder → its files and their hashes (JSON text, compared as text). */
  modules: Map<string, string>;
  importsKey: string;
  targets: Map<string, { record: string; sources: Array<[string, Finding[]]> }>;
  joins: KeptJoin[];
}

/** The key a kept state must match: the effective config and every file's option paths, aliases and module arguments. */
export function stateKey(index: WorkspaceIndex, config: LintConfig): string {
  const hash = createHash('sha1').update(JSON.stringify(config));
  const shapes: string[] = [];
  for (const summary of index.files()) {
    const shape = optionShape(summary);
    if (shape) shapes.push(`${summary.file}\t${shape}`);
  }
  for (const line of shapes.sort()) hash.update('\n').update(line);
  return hash.digest('base64');
}

/** Every file's imports (and so which files exist): module checks read import closures. */
function importsKey(index: WorkspaceIndex): string {
  const lines: string[] = [];
  for (const summary of index.files()) lines.push(`${summary.file}\t${importsShape(summary)}`);
  return createHash('sha1').update(lines.sort().join('\n')).digest('base64');
}

/** The files of each module folder with their hashes, as JSON text. */
function moduleFiles(index: WorkspaceIndex, hashOf: (file: string) => string | undefined): Map<string, string> {
  const modules = new Map<string, string>();
  for (const [folder, info] of index.modules()) modules.set(folder, JSON.stringify(info.files.map((f) => [f.file, hashOf(f.file) ?? null]).sort()));
  return modules;
}

export class LintStateStore {
  private kept: Kept | undefined;
  private key = '';
  /** How many files the kept state was behind this run's (their entries were computed again). */
  private behind = 0;

  constructor(
    private readonly dir: CacheDir | undefined,
    private readonly root: string,
    private readonly warn: (problem: string) => void,
  ) {}

  get fileName(): string {
    return `state-${engineVersion()}`;
  }

  /**
   * The lint state to run: the kept one brought to this index (`hashOf` gives each indexed
   * file's content hash) when its key matches, else a new one that keeps what the next run needs.
   */
  open(index: WorkspaceIndex, config: LintConfig, hashOf: (file: string) => string | undefined): LintState {
    this.key = stateKey(index, config);
    const kept = this.read();
    if (!kept) return new LintState(index, config, index.optionPathsVersion, false);
    this.kept = kept;
    const changed = new Set<string>();
    const files = new Map<string, FileEntry>();
    for (const [file, { hash, entry }] of kept.files) {
      files.set(file, entry);
      if (!index.get(file) || hashOf(file) !== hash) changed.add(file);
    }
    for (const summary of index.files()) if (!kept.files.has(summary.file)) changed.add(summary.file);
    this.behind = changed.size;
    const contributions = new Map<string, Map<string, Finding[]>>();
    for (const [target, { sources }] of kept.targets) contributions.set(target, new Map(sources));
    const joins: JoinData[] = kept.joins.map((j) => ({ reads: new Map(j.reads), existenceReaders: new Set(j.existenceReaders), keyPrefixesRead: new Set(j.keyPrefixesRead) }));
    const modulesUnchanged = new Set<string>();
    if (kept.importsKey === importsKey(index)) for (const [folder, files] of moduleFiles(index, hashOf)) if (kept.modules.get(folder) === files) modulesUnchanged.add(folder);
    return LintState.restore(index, config, { files, contributions, joins }, changed, modulesUnchanged);
  }

  private read(): Kept | undefined {
    if (!this.dir) return undefined;
    try {
      const split = readCacheFile(this.dir, this.fileName, { kind: 'state', engine: engineVersion(), root: this.root });
      if (!split || split.header.key !== this.key) return undefined;
      const kept: Kept = { files: new Map(), targets: new Map(), joins: [], modules: new Map(), importsKey: '' };
      for (const record of split.records) {
        const [kind, hash, name, payload, factsText] = fields(record, 5);
        // A file's deps and keys are plain JSON (strings only): no decoding walk for the thousands of them.
        const value = kind === 'f' ? parseJson(payload) : kind === 'm' || kind === 'i' ? undefined : decodePayload(payload);
        if (kind === 'f') {
          const head = value as { deps: string[]; keys: string[][] };
          if (!head || !isStrings(head.deps) || !Array.isArray(head.keys) || !head.keys.every(isStrings)) throw new CorruptCache('a file entry is not one');
          kept.files.set(fileName(name), { hash, record, entry: keptEntry(new Set(head.deps), head.keys, factsText) });
        } else if (kind === 'c') {
          if (!Array.isArray(value) || !value.every((s) => Array.isArray(s) && typeof s[0] === 'string' && Array.isArray(s[1]) && s[1].every(isFinding))) throw new CorruptCache('findings are not findings');
          kept.targets.set(fileName(name), { record, sources: value as Array<[string, Finding[]]> });
        } else if (kind === 'j') {
          const join = value as Omit<KeptJoin, 'record'>;
          const index = Number(hash);
          if (!join || !Array.isArray(join.reads) || !Array.isArray(join.existenceReaders) || !Array.isArray(join.keyPrefixesRead) || !Number.isInteger(index) || index !== kept.joins.length) throw new CorruptCache('a join record is not one');
          kept.joins.push({ record, ...join });
        } else if (kind === 'm') kept.modules.set(fileName(name), payload);
        else if (kind === 'i') kept.importsKey = hash;
        else throw new CorruptCache(`unknown record kind ${JSON.stringify(kind)}`);
      }
      return kept;
    } catch (error) {
      this.warn(`${this.fileName}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Writes the state after its pass (records whose data did not change are copied as read). */
  save(state: LintState, index: WorkspaceIndex, hashOf: (file: string) => string | undefined): void {
    const data = state.data();
    if (!this.dir || !data || !this.key) return;
    const kept = this.kept;
    // A state a few files behind is as correct as a new one (those files are checked again
    // next time, as they were now): rewriting it is worth it only once many are.
    if (kept && this.behind <= lazySlack(kept.files.size)) return;
    const header = { format: FORMAT, version: FORMAT_VERSION, kind: 'state' as const, engine: engineVersion(), root: this.root, key: this.key };
    try {
      // Encoded as written (55 MB of records at 20,000 modules, never held at once).
      writeCacheFile(this.dir, this.fileName, header, stateRecords(data, kept, index, hashOf));
    } catch (error) {
      // Something in the state cannot be kept: the write is abandoned, the last state stays (it is consistent, only older).
      if (error instanceof NotSerializable) return;
      throw error;
    }
  }
}

/** The state file's records, one at a time (records whose data did not change are copied as read). */
function* stateRecords(data: LintStateData, kept: Kept | undefined, index: WorkspaceIndex, hashOf: (file: string) => string | undefined): Generator<string> {
  for (const [file, entry] of data.files) {
    const hash = hashOf(file);
    if (hash === undefined) continue;
    const old = kept?.files.get(file);
    yield old && old.entry === entry && old.hash === hash ? old.record : fileRecord(file, hash, entry);
  }
  for (const [target, sources] of data.contributions) {
    if (sources.size === 0) continue;
    const old = kept?.targets.get(target);
    yield old && sameSources(old.sources, sources) ? old.record : `c\t\t${JSON.stringify(target)}\t${encodePayload([...sources])}\t`;
  }
  for (let i = 0; i < data.joins.length; i++) {
    const join = data.joins[i];
    const old = kept?.joins[i];
    if (old && sameJoin(old, join)) yield old.record;
    else yield `j\t${i}\t\t${encodePayload({ reads: [...join.reads], existenceReaders: [...join.existenceReaders], keyPrefixesRead: [...join.keyPrefixesRead] })}\t`;
  }
  for (const [folder, files] of moduleFiles(index, hashOf)) yield `m\t\t${JSON.stringify(folder)}\t${files}\t`;
  yield `i\t${importsKey(index)}\t\t\t`;
}

/** A file's entry as kept: its facts KeptFacts that decode the file's facts on first use. */
function keptEntry(deps: Set<string>, keys: string[][], factsText: string): FileEntry {
  let values: unknown[] | undefined;
  let count = 0;
  for (const list of keys) count += list.length;
  const load = () => {
    if (values) return values;
    const decoded = decodePayload(factsText);
    if (!Array.isArray(decoded) || decoded.length !== count) throw new CorruptCache('a file\'s facts are not its keys\' facts');
    return (values = decoded);
  };
  let at = 0;
  const facts = keys.map((list) => {
    const flat: unknown[] = [];
    for (const key of list) flat.push(key, new KeptFact(load, at++));
    return flat;
  });
  return { deps, facts };
}

/** A file's record: deps and fact keys, then the facts (decoded only when read). */
function fileRecord(file: string, hash: string, entry: FileEntry): string {
  const keys: string[][] = [];
  const values: unknown[] = [];
  for (const list of entry.facts) {
    const listKeys: string[] = [];
    for (let i = 0; i < list.length; i += 2) {
      listKeys.push(list[i] as string);
      const fact = list[i + 1];
      values.push(fact instanceof KeptFact ? fact.value() : fact);
    }
    keys.push(listKeys);
  }
  return `f\t${hash}\t${JSON.stringify(file)}\t${JSON.stringify({ deps: [...entry.deps], keys })}\t${encodePayload(values)}`;
}

function isStrings(list: unknown): list is string[] {
  return Array.isArray(list) && list.every((item) => typeof item === 'string');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CorruptCache('not JSON');
  }
}

function fileName(json: string): string {
  const file = JSON.parse(json);
  if (typeof file !== 'string') throw new CorruptCache('a file name is not a string');
  return file;
}

function isFinding(f: unknown): f is Finding {
  const finding = f as Finding;
  return !!finding && typeof finding.rule === 'string' && typeof finding.message === 'string' && typeof finding.src?.file === 'string' && typeof finding.src.range?.start?.line === 'number';
}

function sameSources(old: Array<[string, Finding[]]>, now: Map<string, Finding[]>): boolean {
  if (old.length !== now.size) return false;
  let i = 0;
  for (const [source, list] of now) {
    const [oldSource, oldList] = old[i++];
    if (source !== oldSource || list !== oldList) return false;
  }
  return true;
}

function sameJoin(old: KeptJoin, now: JoinData): boolean {
  if (old.reads.length !== now.reads.size || old.existenceReaders.length !== now.existenceReaders.size || old.keyPrefixesRead.length !== now.keyPrefixesRead.size) return false;
  let i = 0;
  for (const [key, read] of now.reads) {
    const [oldKey, oldRead] = old.reads[i++];
    if (key !== oldKey || read !== oldRead) return false;
  }
  i = 0;
  for (const key of now.existenceReaders) if (key !== old.existenceReaders[i++]) return false;
  i = 0;
  for (const prefix of now.keyPrefixesRead) if (prefix !== old.keyPrefixesRead[i++]) return false;
  return true;
}
