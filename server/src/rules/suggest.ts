// "Did you mean …?" for names a user typed: a container in dependsOn, a rule id in a
// suppression comment.

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest name within max(1, ⌊length/3⌋) edits, at most 3 (ignoring case), or null: the same reach as the did-you-mean quick fix. A caller may set its own reach. */
export function closest(name: string, names: Iterable<string>, limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)))): string | null {
  let best: string | null = null;
  let bestDistance = limit + 1;
  const lower = name.toLowerCase();
  for (const candidate of names) {
    // The distance is at least the difference in length: most names need no comparison.
    if (candidate === name || Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}
