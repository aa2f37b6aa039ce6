// missing-puid-pgid → "Rename `GUID` to `PGID`": when only one of PUID/PGID is set and the
// other is there misspelt, renames the misspelt key where it is written (in `environment`, or
// in the `let` attrset several containers share). Unsafe: the container then runs its files
// under another group (or user), which changes what it may access; in bulk only with
// `hwc.fixAll.includeUnsafe`.
import type { Range } from '../model/source';
import { offsetAt } from './text';
import type { Fix } from './types';

function typoSite(data: Record<string, unknown> | undefined): { file: string; range: Range } | null {
  const at = data?.typoAt as { file?: unknown; range?: Range } | undefined;
  return at && typeof at.file === 'string' && at.range ? { file: at.file, range: at.range } : null;
}

export const renameEnvTypo: Fix = {
  id: 'rename-env-typo',
  rules: ['missing-puid-pgid'],
  safety: 'unsafe',
  summary: 'Rename the misspelt PUID/PGID key (`GUID` → `PGID`) where it is written.',
  actions(ctx) {
    const { data } = ctx.diagnostic;
    const typo = typeof data?.typo === 'string' ? data.typo : null;
    const missing = data?.missing === 'PUID' || data?.missing === 'PGID' ? data.missing : null;
    const site = typoSite(data);
    if (!typo || !missing || !site) return [];
    const text = ctx.text(site.file);
    if (text === undefined) return [];
    const start = offsetAt(text, site.range.start);
    const end = offsetAt(text, site.range.end);
    const written = text.slice(start, end);
    // The key as written: bare (`GUID`) or quoted (`"GUID"`); anything else has changed since the lint.
    const newText = written === typo ? missing : written === `"${typo}"` ? `"${missing}"` : null;
    if (newText === null) return [];
    return [
      {
        fix: this.id,
        title: `Rename \`${typo}\` to \`${missing}\``,
        safety: 'unsafe',
        autoApply: true,
        preferred: true,
        edits: new Map([[site.file, [{ start, end, newText }]]]),
      },
    ];
  },
};
