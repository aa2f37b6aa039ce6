// Which folder the CLI treats as the repository: the nearest folder (the PATH argument's,
// then its ancestors) with `flake.nix`, `.hwc-lint.json`, or both `domains/` and
// `profiles/`. With none, the PATH argument itself: never a parent nobody asked about.
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE } from '../config/fileName';
import { UsageError } from './args';

const isDir = (p: string) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** What makes a folder a repository root, or null. */
export function rootMarker(dir: string): string | null {
  if (fs.existsSync(path.join(dir, 'flake.nix'))) return 'flake.nix';
  if (fs.existsSync(path.join(dir, CONFIG_FILE))) return CONFIG_FILE;
  if (isDir(path.join(dir, 'domains')) && isDir(path.join(dir, 'profiles'))) return 'domains/ and profiles/';
  return null;
}

/** The workspace root: --root, else the nearest folder with a root marker, else the PATH argument (or the cwd). */
export function findRoot(explicit: string | undefined, firstPath: string | undefined): string {
  if (explicit) {
    const root = path.resolve(explicit);
    if (!isDir(root)) throw new UsageError(`--root ${explicit}: not a folder`);
    return root;
  }
  let start = path.resolve(firstPath ?? '.');
  if (fs.existsSync(start) && !isDir(start)) start = path.dirname(start);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (rootMarker(dir)) return dir;
    if (path.dirname(dir) === dir) break;
  }
  return start;
}
