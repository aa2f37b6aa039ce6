// Finds the files of a workspace: every `.nix` file to index and every other file name
// (so `age.secrets.<n>.file` can be checked), skipping VCS folders, node_modules, nix
// build results and the configured ignore globs. Never follows directory symlinks, nor
// file symlinks whose target is outside the root.
import * as fs from 'fs';
import * as path from 'path';
import { compileGlobs } from '../config/glob';
import { readBounded } from '../io/readBounded';

export interface DiscoveredFiles {
  nix: string[];
  other: string[];
  skipped: Array<{ file: string; reason: string }>;
}

// .hwc-cache: the lint cache's own files (cache/cacheDir.ts), never part of the workspace.
export const SKIP_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.direnv', '.tools', '.hg', '.svn', '.hwc-cache']);

export function makeIgnore(globs: string[]): (relative: string) => boolean {
  return compileGlobs(globs);
}

/** Called once when discovery has found `files` `.nix` files (it goes on). */
export interface WhenMany {
  files: number;
  call: () => void;
}

// Sorting every folder's entries with localeCompare looks up the collator on each call (the
// same order, ten times the time).
let collator: Intl.Collator | undefined;

export function discover(root: string, ignoreGlobs: string[], limit = 200_000, whenMany?: WhenMany): DiscoveredFiles {
  const result: DiscoveredFiles = { nix: [], other: [], skipped: [] };
  const compare = (collator ??= new Intl.Collator()).compare;
  let pending = whenMany;
  const ignored = makeIgnore(ignoreGlobs);
  const stack = [''];
  let seen = 0;
  let realRoot: string | undefined;
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      result.skipped.push({ file: dir || '.', reason: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? error}` });
      continue;
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (++seen > limit) {
        result.skipped.push({ file: relative, reason: `more than ${limit} files; the rest is not indexed` });
        return result;
      }
      if (ignored(relative)) continue;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) stack.push(relative);
      } else if (entry.isSymbolicLink()) {
        if (/^result(-.*)?$/.test(entry.name)) continue;
        // A link out of the root would make the workspace quote (and lint) someone else's file.
        try {
          const absolute = path.join(root, relative);
          const stat = fs.statSync(absolute);
          if (!stat.isFile()) continue;
          const inside = path.relative(realRoot ??= fs.realpathSync.native(root), fs.realpathSync.native(absolute));
          if (inside.startsWith('..') || path.isAbsolute(inside)) result.skipped.push({ file: relative, reason: OUTSIDE_ROOT });
          else (entry.name.endsWith('.nix') ? result.nix : result.other).push(relative);
        } catch {
          result.skipped.push({ file: relative, reason: 'broken or looping symlink' });
        }
      } else if (entry.isFile()) {
        (entry.name.endsWith('.nix') ? result.nix : result.other).push(relative);
      }
    }
    if (pending && result.nix.length >= pending.files) {
      pending.call();
      pending = undefined;
    }
  }
  return result;
}

export type ReadResult = { text: string } | { skip: string };

/**
 * Reads a file as text, refusing what is not Nix source (too big, binary, unreadable, not a
 * regular file) and, with `root`, a symlink whose target is outside the workspace.
 */
export function readSource(absolute: string, maxBytes: number, root?: string): ReadResult {
  const read = readBounded(absolute, maxBytes, root);
  if ('buffer' in read) return decodeSource(read.buffer);
  if ('tooLarge' in read) return { skip: `larger than ${Math.round(maxBytes / 1024)} KiB (${Math.round(read.tooLarge / 1024)} KiB); raise hwc.maxFileSizeKb to lint it` };
  if ('notRegular' in read) return { skip: 'not a regular file' };
  if ('outside' in read) return { skip: OUTSIDE_ROOT };
  return { skip: `cannot read: ${'missing' in read ? 'ENOENT' : read.error}` };
}

const OUTSIDE_ROOT = 'symlink to a file outside the workspace; not read';

export function decodeSource(buffer: Buffer): ReadResult {
  if (buffer.subarray(0, 8192).includes(0)) return { skip: 'binary content (NUL bytes), not Nix source' };
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}
