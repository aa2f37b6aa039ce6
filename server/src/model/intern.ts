// One copy of each string the summaries keep (attribute names, option paths, literals):
// thousands of modules repeat the same few hundred names. A kept string is also a flat copy,
// not a slice of its file's text, so the text can be collected once the file is indexed.
// Lists of strings (option paths, literal string parts) are shared the same way.
const MAX_ENTRIES = 200_000;
const table = new Map<string, string>();
/** Lists by their strings, one level per element: the elements are interned, so each step is a lookup by a string whose hash V8 keeps (no key string to build and hash per list). */
interface ListNode {
  list?: string[];
  next?: Map<string, ListNode>;
}
let lists = new Map<string, ListNode>();
let listCount = 0;

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

// Characters JSON must escape inside a string literal.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * A copy that does not point into a larger string: V8 slices strings of 13 characters or
 * more, and a slice keeps its whole parent (the file's text) alive. JSON.parse builds a new
 * sequential string; `(' ' + text).slice(1)`, the usual idiom, makes a 32-byte slice of a
 * copy instead (at 20,000 modules 213,000 of them, 6.5 MB).
 */
function flatCopy(text: string): string {
  if (text.length < 13) return text;
  return JSON.parse(NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`) as string;
}

/**
 * One shared array for each list of strings (an option path such as
 * `hwc.server.containers.sonarr.port`, read in one module and declared in another; the
 * parts of a literal string). Callers never modify the lists they keep, so equal lists may
 * be one array.
 */
export function internList(list: string[]): string[] {
  if (list.length === 0) return list;
  let level = lists;
  let node: ListNode | undefined;
  for (let i = 0; ; i++) {
    node = level.get(list[i]);
    if (node === undefined) level.set(list[i], (node = {}));
    if (i === list.length - 1) break;
    level = node.next ??= new Map();
  }
  if (node.list === undefined) {
    // The table only saves memory: when it grows past its bound, start over.
    if (listCount >= MAX_ENTRIES) forgetLists();
    node.list = list;
    listCount++;
  }
  return node.list;
}

function forgetLists(): void {
  lists = new Map();
  listCount = 0;
}

/**
 * Forgets the shared strings and lists (the summaries keep theirs). After a bulk load the
 * tables are up to MAX_ENTRIES entries each that only summaries made later would share.
 */
export function forgetInterned(): void {
  table.clear();
  forgetLists();
}
