// "Did you mean …?" for names a user typed: a container in dependsOn, a rule id in a
// suppression comment.

/** One row of the distance table, reused: a messy workspace asks for hundreds of suggestions over thousands of names. */
let row = new Int32Array(64);

/**
 * Levenshtein distance when it is at most `bound`, else `bound + 1`. Only the cells within
 * `bound` of the diagonal can stay within it, and once a whole row is past it the rest is
 * too, so a far name costs a few cells (the messy benchmark's 540 unknown `dependsOn` names
 * against 2,000 containers took 260 ms with the full table).
 */
function distanceWithin(a: string, b: string, bound: number): number {
  const n = b.length;
  const over = bound + 1;
  if (Math.abs(a.length - n) > bound) return over;
  if (row.length <= n) row = new Int32Array(2 * n + 1);
  for (let j = 0; j <= n; j++) row[j] = j <= bound ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - bound);
    const to = Math.min(n, i + bound);
    // The cell left of the band is out of reach; row[0] is the column of deletions only.
    let diagonal = row[from - 1];
    row[from - 1] = from === 1 && i <= bound ? i : over;
    let rowMin = row[from - 1];
    const code = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const above = row[j];
      const cell = Math.min(above + 1, row[j - 1] + 1, diagonal + (code === b.charCodeAt(j - 1) ? 0 : 1));
      row[j] = cell > over ? over : cell;
      diagonal = above;
      if (row[j] < rowMin) rowMin = row[j];
    }
    // The cell right of the band was never written for this row: it is out of reach.
    if (to < n) row[to + 1] = over;
    if (rowMin > bound) return over;
  }
  return row[n] > over ? over : row[n];
}

/** The closest name within max(1, ⌊length/3⌋) edits, at most 3 (ignoring case), or null: the same reach as the did-you-mean quick fix. A caller may set its own reach. */
export function closest(name: string, names: Iterable<string>, limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)))): string | null {
  if (Array.isArray(names) && names.length >= INDEXED_NAMES) return closestIndexed(name, candidateIndex(names), limit);
  let best: string | null = null;
  let bestDistance = limit + 1;
  const lower = name.toLowerCase();
  for (const candidate of names) {
    // The distance is at least the difference in length: most names need no comparison.
    if (candidate === name || Math.abs(candidate.length - name.length) >= bestDistance) continue;
    // Only a distance below the best so far matters (the first of equals wins).
    const d = distanceWithin(lower, candidate.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** From this many names on (every container of a workspace), a list asked again is indexed once. */
const INDEXED_NAMES = 64;

/** A list of names, lower-cased once and grouped by length (positions ascending). */
interface CandidateIndex {
  names: readonly string[];
  lowered: string[];
  byLength: Map<number, number[]>;
}

const indexes = new WeakMap<readonly string[], CandidateIndex>();

function candidateIndex(names: readonly string[]): CandidateIndex {
  let index = indexes.get(names);
  if (index) return index;
  const byLength = new Map<number, number[]>();
  names.forEach((candidate, i) => {
    const list = byLength.get(candidate.length);
    if (list) list.push(i);
    else byLength.set(candidate.length, [i]);
  });
  index = { names, lowered: names.map((candidate) => candidate.toLowerCase()), byLength };
  indexes.set(names, index);
  return index;
}

/**
 * The loop above over only the names whose length is within reach: the same answer (the
 * smallest distance, the earliest of equals), since the loop's answer is exactly that. The
 * list must not change while it is indexed (callers pass lists they keep as they are).
 */
function closestIndexed(name: string, index: CandidateIndex, limit: number): string | null {
  const lower = name.toLowerCase();
  let best = -1;
  let bestDistance = limit;
  for (let delta = 0; delta <= limit; delta++) {
    for (const length of delta === 0 ? [name.length] : [name.length - delta, name.length + delta]) {
      for (const i of index.byLength.get(length) ?? []) {
        // A name farther in length than the best distance cannot match it; one as far only ties.
        if (delta > bestDistance || index.names[i] === name) continue;
        const d = distanceWithin(lower, index.lowered[i], bestDistance);
        if (d < bestDistance || (d === bestDistance && (best < 0 || i < best))) [best, bestDistance] = [i, d];
      }
    }
  }
  return best < 0 ? null : index.names[best];
}
