// One copy of each string the summaries keep (attribute names, option paths, literals):
// thousands of modules repeat the same few hundred names. A kept string is also a flat copy,
// not a slice of its file's text, so the text can be collected once the file is indexed.
const MAX_ENTRIES = 200_000;
const table = new Map<string, string>();

export function intern(text: string): string {
  let shared = table.get(text);
  if (shared === undefined) {
    // The table only saves memory: when it grows past its bound, start over.
    if (table.size >= MAX_ENTRIES) table.clear();
    shared = flatCopy(text);
    table.set(shared, shared);
  }
  return shared;
}

/** A copy that does not point into a larger string (V8 slices strings of 13 characters or more). */
function flatCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/**
 * Forgets the shared strings (the summaries keep theirs). After a bulk load the table is
 * up to MAX_ENTRIES entries (about 7 MB) that only summaries made later would share.
 */
export function forgetInterned(): void {
  table.clear();
}
