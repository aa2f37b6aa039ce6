// The stat that stands in for a file's content hash, as in git, ruff and eslint: the lint
// cache (lintCache.ts), the language server's start (lsp/summaryCache.ts) and the replay
// fast path (replayState.ts) all decide "unchanged" by the same rule. A stat taken within
// RACY_MS of the file's last change (mtime or ctime) is "racy": a second change in the same
// clock tick would not show in it, so it stands in for nothing and the file is read next time.
// Kept free of imports: the replay bundle (out/lintReplay.js) includes it.
import type * as fs from 'fs';

export const RACY_MS = 2000;

/** The stand-in for `stat` taken at `now` (mtime, ctime, size, inode), or '' when racy. */
export function statStandIn(stat: fs.Stats, now: number): string {
  return now - Math.max(stat.mtimeMs, stat.ctimeMs) >= RACY_MS ? `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}:${stat.ino}` : '';
}
