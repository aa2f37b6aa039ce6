// The language server's use of the lint cache (`server/src/cache/`): a root's scan asks it
// for each file's summary before parsing the file, and leaves the summaries it made there
// for the next start. The editor's summaries are their own cache file (they keep more facts
// than `hwc lint`'s), keyed like the CLI's by content hash and the effective configuration.
//
// Only in a trusted workspace: the cache folder belongs to the repository, and although its
// files are signed with a key outside it (cache/cacheKey.ts), Restricted Mode writes nothing
// into a folder the user has not trusted.
import { hasCachedSummaries, storeSummaries, summaryFromCache } from '../cache/summaryStore';
import { isWorkspaceTrusted } from '../features/support/trust';
import type { Workspace } from '../workspace/workspace';
import type { SummaryCache } from './session';

/** Stored after the first lint has been published, so encoding never delays diagnostics. */
const STORE_DELAY_MS = 1000;

export function summaryCacheFor(workspace: Workspace, log: (line: string) => void): SummaryCache | undefined {
  if (!isWorkspaceTrusted()) return undefined;
  const { root } = workspace;
  // The scan summarises under the config of this moment (discovery comes after it).
  const config = workspace.config;
  return {
    // Nothing cached yet (a first start): no file is read on this thread only to miss.
    source: hasCachedSummaries(root) ? (file, text) => summaryFromCache(root, file, text, config) : undefined,
    store(summaries) {
      const timer = setTimeout(() => {
        try {
          storeSummaries(root, summaries, config);
        } catch (error) {
          log(`hwc: cache: could not store the summaries of ${root}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }, STORE_DELAY_MS);
      timer.unref?.();
    },
  };
}
