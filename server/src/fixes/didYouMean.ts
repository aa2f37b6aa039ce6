// depends-on-unknown → "Did you mean `<container>`?": offered for the defined containers
// closest to the unknown name (within a small edit distance). Unsafe and never in fix-all:
// it is a guess at what the user meant.
import { literalAt, str, withFile } from './common';
import { replaceInLiteral } from './syntax';
import { editsIn } from './text';
import type { Fix } from './types';

/** Levenshtein distance (insert, delete, substitute; a swap of neighbours counts once). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The names within max(1, ⌊len/3⌋) edits (at most 3) of `name`, closest first. */
export function closestNames(name: string, known: string[]): string[] {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  const scored = [...new Set(known)]
    .filter((k) => Math.abs(k.length - name.length) <= limit) // the distance is at least the length difference
    .map((k) => ({ k, d: k.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, k) }))
    .filter((s) => s.d <= limit && s.k !== name);
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.k).sort();
}

export const didYouMean: Fix = {
  id: 'did-you-mean-container',
  rules: ['depends-on-unknown'],
  safety: 'unsafe',
  summary: 'Replace an unknown `dependsOn` name with the closest defined container.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const name = str(data, 'name');
    const known = Array.isArray(data?.known) ? (data!.known as unknown[]).filter((k): k is string => typeof k === 'string') : ctx.index.containers().map((c) => c.name);
    if (!name) return [];
    return closestNames(name, known).flatMap((candidate) => {
      const edit = withFile(ctx, src.file, (_text, tree) => {
        const lit = literalAt(tree, src);
        return lit ? replaceInLiteral(lit, name, candidate) : null;
      });
      return edit ? [{ fix: this.id, title: `Did you mean \`${candidate}\`?`, safety: 'unsafe' as const, autoApply: false, edits: editsIn(src.file, edit) }] : [];
    });
  },
};
