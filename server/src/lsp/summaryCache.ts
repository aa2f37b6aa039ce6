// The language server's use of the lint cache (`server/src/cache/`): a root's scan asks it
// for each file's summary before parsing the file, and leaves the summaries it made there
// for the next start. The editor's summaries are their own cache file (they keep more facts
// than `hwc lint`'s), keyed like the CLI's by content hash and the effective configuration.
//
// Whether a file changed since the last start is decided as `hwc lint` decides it
// (cache/lintCache.ts): by its content hash, for which a stat (mtime, ctime, size, inode)
// equal to the one recorded with the hash stands in, so an unchanged file is not even read.
// A stat is taken before the file is read (a change after it shows as another stat next
// time), and one within two seconds of the file's last change is "racy" (a second change in
// the same clock tick would not show): not recorded, so the file is read and hashed next time.
// A write that keeps the size and sets the old mtime back still changes the ctime.
//
// With the stand-ins it keeps the findings of the start's first full lint and the key of
// everything they depend on (findingsKey). The next start, when it finds every input the same
// (every file by its content hash), publishes them as soon as its index is built, before its
// own first lint, which then finds the same and publishes nothing again.
//
// Only in a trusted workspace: the cache folder belongs to the repository, and although its
// files are signed with a key outside it (cache/cacheKey.ts), Restricted Mode writes nothing
// into a folder the user has not trusted.
import * as fs from 'fs';
import * as path from 'path';
import { CacheDir } from '../cache/cacheDir';
import { createHash } from 'crypto';
import { FORMAT, FORMAT_VERSION, contentHash, decodePayload, encodePayload, fields, readCacheFile, writeCacheFile } from '../cache/cacheFiles';
import { NotSerializable } from '../cache/serialize';
import { statStandIn } from '../cache/statStandIn';
import { engineVersion } from '../cache/engineVersion';
import { configKey, hasCachedSummaries, storeSummaries, summaryByHash } from '../cache/summaryStore';
import { isWorkspaceTrusted } from '../features/support/trust';
import type { LintDiagnostic } from '../rules/engine';
import type { Workspace } from '../workspace/workspace';
import type { SummaryCache } from './session';

/** Stored after the first lint has been published, so encoding never delays diagnostics. */
const STORE_DELAY_MS = 1000;

/** The stat that stands in for a file's content hash ('' when racy or unreadable). */
function standIn(absolute: string, now: number): string {
  try {
    return statStandIn(fs.statSync(absolute), now);
  } catch {
    return '';
  }
}

const statsFileName = () => `stats-${engineVersion()}-editor`;

type ByFile = Map<string, LintDiagnostic[]>;

/** What the last start left: file -> [content hash, stat], and its first lint's findings (encoded) with their key. */
interface LastStart {
  standIns: Map<string, [string, string]>;
  findings?: { key: string; payload: string };
}

function readLastStart(dir: CacheDir, root: string, log: (line: string) => void): LastStart {
  const last: LastStart = { standIns: new Map() };
  try {
    const split = readCacheFile(dir, statsFileName(), { kind: 'stats', engine: engineVersion(), root });
    for (const record of split?.records ?? []) {
      const [hash, stat, rest] = fields(record, 3);
      if (hash === 'findings') {
        if (typeof split!.header.findings === 'string') last.findings = { key: split!.header.findings, payload: rest };
        continue;
      }
      const name = JSON.parse(rest);
      if (typeof name === 'string') last.standIns.set(name, [hash, stat]);
    }
  } catch (error) {
    last.standIns.clear();
    last.findings = undefined;
    log(`hwc: cache: ${statsFileName()}: ${error instanceof Error ? error.message : String(error)}; every file is read`);
  }
  return last;
}

/**
 * The key of everything a root's findings depend on: the engine, the config file's settings
 * and problems, the effective config (conventions discovered included), the file size limit,
 * the severity overrides, every file that exists with each indexed `.nix` file's content
 * hash (`hashes`; an open document's is its editor text's). Undefined when a file's hash is
 * not known (it was loaded outside the scan, e.g. changed on disk while it ran).
 */
export function findingsKey(workspace: Workspace, hashes: Map<string, string>, overrides: Record<string, string> | undefined): string | undefined {
  const hash = createHash('sha1').update(
    JSON.stringify({
      engine: engineVersion(),
      root: workspace.root,
      configFile: workspace.configFileRelative,
      exists: workspace.configFileExists,
      fileConfig: workspace.fileConfig,
      explicit: workspace.explicitKeys,
      problems: workspace.configProblems,
      config: workspace.config,
      maxFileBytes: workspace.maxFileBytes,
      overrides: overrides ?? {},
    }),
  );
  for (const file of [...workspace.index.knownFiles()].sort()) {
    const indexed = workspace.index.get(file) !== undefined;
    const contentHash = indexed ? hashes.get(file) : '';
    if (contentHash === undefined) return undefined;
    hash.update(`\n${file}\t${contentHash}`);
  }
  return hash.digest('base64');
}

export function summaryCacheFor(workspace: Workspace, log: (line: string) => void): SummaryCache | undefined {
  if (!isWorkspaceTrusted()) return undefined;
  const { root } = workspace;
  const dir = CacheDir.at(root);
  if (!(dir instanceof CacheDir)) return undefined;
  // The scan summarises under the config of this moment (discovery comes after it).
  const config = workspace.config;
  const key = configKey(config);
  // Nothing cached yet (a first start): no file is read on this thread only to miss.
  const cached = hasCachedSummaries(root);
  const lastStart: LastStart = cached ? readLastStart(dir, root, log) : { standIns: new Map() };
  const last = lastStart.standIns;
  const lastKey = lastStart.findings?.key;
  const now = Date.now();
  /** Each file's stat as this scan took it, before reading it. */
  const stats = new Map<string, string>();
  return {
    source: {
      unchanged(file) {
        const stat = standIn(path.join(root, file), now);
        stats.set(file, stat);
        const before = last.get(file);
        if (!stat || !before || before[1] !== stat) return undefined;
        const summary = summaryByHash(root, file, before[0], key);
        return summary && { summary, hash: before[0] };
      },
      ofText: cached
        ? (file, text) => {
            const hash = contentHash(text);
            const summary = summaryByHash(root, file, hash, key);
            return summary && { summary, hash };
          }
        : undefined,
    },
    keyOf: findingsKey,
    findings(wanted) {
      if (!lastStart.findings || lastStart.findings.key !== wanted) return undefined;
      try {
        const entries = decodePayload(lastStart.findings.payload);
        if (!Array.isArray(entries)) return undefined;
        const byFile: ByFile = new Map();
        for (const entry of entries) {
          if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) return undefined;
          for (const d of entry[1]) if (!d || typeof d.rule !== 'string' || typeof d.message !== 'string' || typeof d.severity !== 'string' || typeof d.src?.file !== 'string' || typeof d.src.range?.start?.line !== 'number') return undefined;
          byFile.set(entry[0], entry[1]);
        }
        return byFile;
      } catch (error) {
        log(`hwc: cache: ${statsFileName()}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      } finally {
        // Used once: a long session need not hold the text.
        lastStart.findings = undefined;
      }
    },
    store(summaries, firstLint) {
      const timer = setTimeout(() => {
        try {
          storeSummaries(
            root,
            summaries.filter((s) => !s.cached),
            config,
          );
          const records: string[] = [];
          let same = true;
          for (const { file, hash } of summaries) {
            const stat = stats.get(file);
            if (!stat) continue;
            records.push(`${hash}\t${stat}\t${JSON.stringify(file)}`);
            const before = last.get(file);
            same &&= before !== undefined && before[0] === hash && before[1] === stat;
          }
          const lint = firstLint;
          // Nothing changed since the last start: the file it read says the same.
          if (same && records.length === last.size && lint?.key === lastKey) return;
          let findings: string | undefined;
          try {
            findings = lint && encodePayload([...lint.byFile].filter(([, list]) => list.length > 0));
          } catch (error) {
            if (!(error instanceof NotSerializable)) throw error;
          }
          if (findings !== undefined) records.push(`findings\t\t${findings}`);
          const header = { format: FORMAT, version: FORMAT_VERSION, kind: 'stats' as const, engine: engineVersion(), root, findings: findings === undefined ? undefined : lint!.key };
          writeCacheFile(dir, statsFileName(), header, records);
        } catch (error) {
          log(`hwc: cache: could not store the summaries of ${root}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }, STORE_DELAY_MS);
      timer.unref?.();
    },
  };
}
