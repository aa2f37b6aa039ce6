// Findings that name other sites (port conflicts, shared state) stay readable and cheap
// when many containers are involved: a few related sites, then "and N more".

/** How many other sites a finding lists in its message and relatedInformation. */
export const MAX_RELATED = 8;

/** `a, b and c`, or `a, b, … and 12 more`. */
export function listNames(names: string[], more = 0): string {
  const shown = names.slice(0, MAX_RELATED);
  const rest = names.length - shown.length + more;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/**
 * The items of `candidates` that `matches` accepts. Small groups are scanned whole; in a
 * large group the scan stops after MAX_RELATED matches (so n sites cost O(n), not O(n²))
 * and `more` only says that there may be others.
 */
export function boundedMatches<T>(candidates: T[], matches: (item: T) => boolean): { found: T[]; more: boolean } {
  const exhaustive = candidates.length <= 200;
  const found: T[] = [];
  for (const item of candidates) {
    if (!matches(item)) continue;
    if (!exhaustive && found.length === MAX_RELATED) return { found, more: true };
    found.push(item);
  }
  return { found, more: false };
}
