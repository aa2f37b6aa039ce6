// What the fast replay of `hwc lint` (replayEntry.ts) calls "nothing changed": the state of a
// workspace as stats, taken after a run whose output it keeps, and compared before replaying it.
//
// - Every folder under the root (the folders discovery walks: not .git, node_modules … nor
//   .hwc-cache) by its stat: a folder's mtime and ctime change whenever an entry is created,
//   removed or renamed in it (POSIX), so equal stats mean the same names, and no folder
//   needs to be listed again. The root itself is listed instead (names and kinds, without
//   .hwc-cache): making `.hwc-cache/` changes the root's mtime, and the first warm run would
//   otherwise never match.
// - Every `.nix` file by its stat (mtime, ctime, size, inode, mode), as the lint cache's stat
//   stand-in; a symbolic link by its own stat and its target's. Other files matter only by
//   name (an `.age` file's presence), which the folders' stats cover.
// - The files outside the workspace a run read (config file, baseline, rule pages), each by
//   its stat, or its absence.
//
// A state is kept only when every stat in it is older than the run by RACY_MS (the lint
// cache's window): then nothing in it changed during the run, so the output is that state's,
// and any later change gives a different stat (a write sets ctime to a later time).
import * as fs from 'fs';
import * as path from 'path';
import { SKIP_DIRS } from '../workspace/discover';
import { CACHE_DIR } from './cacheDir';
import { RACY_MS } from './statStandIn';

/** discover()'s own limit: beyond it a run reports a truncated workspace; such a run is not kept. */
const MAX_ENTRIES = 200_000;

export interface WorkspaceState {
  /** The root's entries (`name/kind`), sorted, without the cache folder. */
  rootEntries: string[];
  /** Folders below the root: [relative path, stat]. */
  dirs: Array<[string, string]>;
  /** `.nix` files and symbolic links: [relative path, stat], most recently changed first (a changed file is found sooner). */
  files: Array<[string, string]>;
}

/** Why a state cannot be kept or does not match; undefined when it is fine. */
export type Verdict = string | undefined;

export function statKey(stat: fs.Stats): string {
  return `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}:${stat.ino}:${stat.mode}`;
}

/** A path's stat as kept in a state: its own, and a link's target's; 'absent' when there is nothing. */
export function pathKey(absolute: string): string {
  let own: fs.Stats;
  try {
    own = fs.lstatSync(absolute);
  } catch {
    return 'absent';
  }
  if (!own.isSymbolicLink()) return statKey(own);
  try {
    return `${statKey(own)}>${statKey(fs.statSync(absolute))}`;
  } catch {
    return `${statKey(own)}>absent`;
  }
}

/** The latest change a path key records (ms), or 0 for 'absent'. */
function changedAt(key: string): number {
  let latest = 0;
  for (const part of key.split('>')) {
    if (part === 'absent') continue;
    const [mtime, ctime] = part.split(':');
    latest = Math.max(latest, Number(mtime), Number(ctime));
  }
  return latest;
}

function kindOf(entry: fs.Dirent): string {
  return entry.isDirectory() ? 'd' : entry.isFile() ? 'f' : entry.isSymbolicLink() ? 'l' : 'o';
}

export function rootEntries(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.name !== CACHE_DIR)
    .map((entry) => `${entry.name}/${kindOf(entry)}`)
    .sort();
}

/**
 * The workspace's state now, for a run that started at `started` (ms); a string says why it
 * cannot be kept (something changed within RACY_MS of the run, or the walk failed).
 */
export function takeState(root: string, started: number): WorkspaceState | string {
  const limit = started - RACY_MS;
  const state: WorkspaceState = { rootEntries: [], dirs: [], files: [] };
  const files: Array<[string, string, number]> = [];
  let seen = 0;
  const stack = [''];
  try {
    state.rootEntries = rootEntries(root);
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const absoluteDir = dir ? path.join(root, dir) : root;
      for (const entry of fs.readdirSync(absoluteDir, { withFileTypes: true })) {
        if (++seen > MAX_ENTRIES) return `more than ${MAX_ENTRIES} entries`;
        const relative = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (SKIP_DIRS.has(entry.name)) continue;
          const key = pathKey(path.join(root, relative));
          if (changedAt(key) > limit) return `${relative} changed within ${RACY_MS} ms of the run`;
          state.dirs.push([relative, key]);
          stack.push(relative);
        } else if (entry.isSymbolicLink() ? !/^result(-.*)?$/.test(entry.name) : entry.isFile() && entry.name.endsWith('.nix')) {
          // Nix build results (`result`, `result-*`) are links discovery never reads.
          const key = pathKey(path.join(root, relative));
          const at = changedAt(key);
          if (at > limit) return `${relative} changed within ${RACY_MS} ms of the run`;
          files.push([relative, key, at]);
        }
      }
    }
  } catch (error) {
    return `the workspace cannot be listed (${(error as NodeJS.ErrnoException).code ?? error})`;
  }
  files.sort((a, b) => b[2] - a[2]);
  state.files = files.map(([relative, key]) => [relative, key]);
  return state;
}

/** Stats of paths outside the workspace that a run read; a string when one changed too recently to be kept. */
export function takeInputs(paths: string[], started: number): Array<[string, string]> | string {
  const inputs: Array<[string, string]> = [];
  for (const input of paths) {
    const key = pathKey(input);
    if (changedAt(key) > started - RACY_MS) return `${input} changed within ${RACY_MS} ms of the run`;
    inputs.push([input, key]);
    // A folder (the rule pages): its entries too.
    if (!key.includes('>') && key !== 'absent' && fs.lstatSync(input).isDirectory()) {
      for (const name of fs.readdirSync(input).sort()) {
        const entry = path.join(input, name);
        const entryKey = pathKey(entry);
        if (changedAt(entryKey) > started - RACY_MS) return `${entry} changed within ${RACY_MS} ms of the run`;
        inputs.push([entry, entryKey]);
      }
    }
  }
  return inputs;
}

/** undefined when the files outside the workspace are as they were; else the first that is not. */
export function compareInputs(inputs: Array<[string, string]>): Verdict {
  for (const [input, key] of inputs) if (pathKey(input) !== key) return `${input} changed`;
  return undefined;
}

/** undefined when every kept stat of the workspace still holds; else the first difference, for the report. */
export function compareState(root: string, state: WorkspaceState): Verdict {
  let entries: string[];
  try {
    entries = rootEntries(root);
  } catch {
    return 'the root cannot be listed';
  }
  if (entries.length !== state.rootEntries.length || entries.some((entry, i) => entry !== state.rootEntries[i])) return 'the root has other entries';
  // Joined by hand: the paths were made by takeState from this root, and path.join's normalising is a third of the stat's cost.
  const prefix = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  for (const [relative, key] of state.files) if (pathKey(prefix + relative) !== key) return `${relative} changed`;
  for (const [relative, key] of state.dirs) if (pathKey(prefix + relative) !== key) return `${relative}/ changed`;
  return undefined;
}

/** Whether a parsed state has the shape takeState gives (it comes from a signed file, but from an older format too). */
export function isState(value: unknown): value is WorkspaceState {
  const pairs = (list: unknown) => Array.isArray(list) && list.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string');
  const state = value as WorkspaceState;
  return !!state && Array.isArray(state.rootEntries) && state.rootEntries.every((e) => typeof e === 'string') && pairs(state.dirs) && pairs(state.files);
}

export function isInputs(value: unknown): value is Array<[string, string]> {
  return Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string');
}
