// The kinds of cache file in `.hwc-cache/` and their text format. All are lines:
//   a header (JSON: format, version, kind, engine, root, …),
//   records (tab-separated, a JSON payload last),
//   an end line (JSON: how many records, and the signature of everything before it, see
//   cacheKey.ts) — a file cut short has none and is refused; a file this machine's key did
//   not sign (committed to the repository, copied from elsewhere) is not ours and is rebuilt.
// - `summaries-<engine>-<flavour>`: one record per file summary: content hash, config key,
//   the file (JSON string), the summary with the log lines summarising it printed
//   (serialize.ts). Records are kept as text and decoded only when used, and a rewrite copies
//   the records it keeps verbatim.
// - `lint-<engine>`: the files a run read (content hash and the stat that let it skip
//   reading them next time), the key of the run's inputs and its findings (one record).
// - `stats-<engine>-editor`: the language server's stand-ins (lsp/summaryCache.ts): each
//   file's content hash and the stat it was read at.
// - `state-<engine>`: the last run's lint state (lintStateStore.ts).
// - `replay-<engine>`: what an unchanged `hwc lint` invocation printed, for bin/hwc's fast
//   path (replayEntry.ts).
import { createHash } from 'crypto';
import { StringDecoder } from 'string_decoder';
import type { CacheDir } from './cacheDir';
import { sign, signer } from './cacheKey';
import { BadEncoding, decodeText, encodeToText } from './serialize';

export const FORMAT = 'hwc-cache';
/** The text format; a file of another version is ignored with a warning. */
export const FORMAT_VERSION = 1;

export class CorruptCache extends Error {}

export interface Header {
  format: string;
  version: number;
  kind: 'summaries' | 'lint' | 'replay' | 'state' | 'stats';
  engine: string;
  root: string;
  [more: string]: unknown;
}

/** sha1 of a file's text: the truth a stat only stands in for. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** A whole cache file as one string: the format stated plainly, which the streamed writer (cacheFileChunks) must equal byte for byte (test/unit/cache-streamed-write.test.mjs). */
export function joinLines(header: Header, records: string[]): string {
  const body = `${JSON.stringify(header)}\n${records.join('\n')}${records.length ? '\n' : ''}`;
  return `${body}${JSON.stringify({ end: records.length, mac: sign(body) })}\n`;
}

/** How much text a streamed write gathers before encoding and writing it: bounded, and few system calls. */
const CHUNK_CHARS = 1 << 20;

/**
 * A cache file's bytes in chunks of about CHUNK_CHARS, exactly joinLines(header, records)
 * encoded: records are taken one at a time from `records` and signed as they go, so the
 * whole file is never one string (at 20,000 modules the summaries are about 120 MB).
 */
export function* cacheFileChunks(header: Header, records: Iterable<string>): Generator<Buffer> {
  const mac = signer();
  let count = 0;
  let pending = `${JSON.stringify(header)}\n`;
  const flush = (): Buffer => {
    const chunk = Buffer.from(pending);
    pending = '';
    mac.update(chunk);
    return chunk;
  };
  for (const record of records) {
    pending += `${record}\n`;
    count++;
    if (pending.length >= CHUNK_CHARS) yield flush();
  }
  if (pending) yield flush();
  yield Buffer.from(`${JSON.stringify({ end: count, mac: mac.digest('base64') })}\n`);
}

/** Writes a cache file record by record (CacheDir.writeChunks): false when it was not written. */
export function writeCacheFile(dir: CacheDir, name: string, header: Header, records: Iterable<string>): boolean {
  return dir.writeChunks(name, cacheFileChunks(header, records));
}

/**
 * Splits a cache file into its header and records; throws CorruptCache for text that is not
 * one whole file of this format and `expected` kind/engine/root (a stale or foreign file, or
 * one whose signature does not verify, is `undefined`: not corrupt, just not ours).
 */
export function splitLines(text: string, expected: { kind: Header['kind']; engine: string; root: string }): { header: Header; records: string[] } | undefined {
  const lines = text.split('\n');
  if (lines.length < 3 || lines[lines.length - 1] !== '') throw new CorruptCache('truncated');
  const endLine = lines[lines.length - 2];
  return checkedFile(lines[0], lines.slice(1, lines.length - 2), endLine, () => sign(text.slice(0, text.length - endLine.length - 1)), expected);
}

/**
 * The checks splitLines and readCacheFile share, on a file cut into its header line, its
 * records and its end line; `mac` gives the signature of everything before the end line
 * (asked last: only a file of the expected kind, engine and root is signed again).
 */
function checkedFile(headerLine: string, records: string[], endLine: string, mac: () => string, expected: { kind: Header['kind']; engine: string; root: string }): { header: Header; records: string[] } | undefined {
  let header: Header;
  let end: { end?: unknown; mac?: unknown };
  try {
    header = JSON.parse(headerLine);
    end = JSON.parse(endLine);
  } catch {
    throw new CorruptCache(headerLine.startsWith(`{"format":"${FORMAT}"`) ? 'truncated' : 'not a cache file');
  }
  if (typeof header !== 'object' || header === null || header.format !== FORMAT) throw new CorruptCache('not a cache file');
  if (header.version !== FORMAT_VERSION) throw new CorruptCache(`written in format ${String(header.version)}, this hwc reads ${FORMAT_VERSION}`);
  if (typeof end !== 'object' || end === null || end.end !== records.length) throw new CorruptCache('truncated');
  if (header.kind !== expected.kind || header.engine !== expected.engine || header.root !== expected.root) return undefined;
  if (typeof end.mac !== 'string' || end.mac !== mac()) return undefined;
  return { header, records };
}

/** A record's fields: `count` tab-separated fields, the last (JSON) may not hold a tab. */
export function fields(record: string, count: number): string[] {
  const parts = record.split('\t');
  if (parts.length !== count) throw new CorruptCache('a record has the wrong number of fields');
  return parts;
}

export function encodePayload(value: unknown): string {
  return encodeToText(value);
}

export function decodePayload(text: string): unknown {
  try {
    return decodeText(text);
  } catch (error) {
    if (error instanceof BadEncoding) throw new CorruptCache(error.message);
    throw error;
  }
}

/**
 * splitLines(dir.read(name), expected) without the whole text: the file is read a chunk at a
 * time, cut into lines and signed as it goes (the signature of the text as decoded, as
 * splitLines computes it). Undefined when there is no such file; throws as splitLines and
 * CacheDir.read do.
 */
export function readCacheFile(dir: CacheDir, name: string, expected: { kind: Header['kind']; engine: string; root: string }): { header: Header; records: string[] } | undefined {
  const decoder = new StringDecoder('utf8');
  const mac = signer();
  const lines: string[] = [];
  // The last whole line is the end line only if nothing follows it: it is signed once another comes.
  let last: string | undefined;
  let partial = '';
  const takeLine = (line: string) => {
    if (last !== undefined) {
      mac.update(`${last}\n`);
      lines.push(last);
    }
    last = line;
  };
  const takeText = (text: string) => {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      takeLine(start === 0 && partial ? partial + text.slice(0, newline) : text.slice(start, newline));
      if (start === 0) partial = '';
      start = newline + 1;
    }
    partial += text.slice(start);
  };
  if (!dir.readChunks(name, (chunk) => takeText(decoder.write(chunk)))) return undefined;
  takeText(decoder.end());
  // As splitLines: a file that does not end with a newline, or holds fewer than two lines, is cut short.
  if (partial !== '' || last === undefined || lines.length < 1) throw new CorruptCache('truncated');
  return checkedFile(lines[0], lines.slice(1), last, () => mac.digest('base64'), expected);
}
