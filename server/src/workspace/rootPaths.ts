// Where a write to a workspace-relative path really lands. Paths come from repository
// content (conventions in .hwc-lint.json, files the index found), and any folder on the way
// may be a symbolic link, so a write is allowed only when its real path (every link
// followed) stays inside the real root. Nothing here writes.
import * as fs from 'fs';
import * as path from 'path';

/** A write the workspace must not allow; the message names the file and the reason, for a person. */
export class WriteRefused extends Error {}

export interface WriteTarget {
  /** The path as given, under the root (what messages name). */
  relative: string;
  /** The real path the bytes go to: a symlinked file is written through to its in-root target. */
  real: string;
  /** The real folder that holds `real` (where its temp file is made); may not exist yet. */
  folder: string;
  /** For a path that does not exist: the folders to create, outermost first (real paths). */
  missingFolders: string[];
  /** The file as it is now (following links); undefined when nothing is there. */
  stat?: fs.Stats;
}

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** `child` is `parent` or below it (both real, absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The root's own real path (a root reached through a link is fine; leaving it is not). */
export function realRoot(root: string): string {
  return fs.realpathSync(root);
}

/**
 * Resolves where writing `relative` would land, or throws WriteRefused: a path (or a folder
 * on the way, such as a linked `domains/server/containers` or `profiles`) whose real path
 * leaves the root, a link whose target is missing, a folder or device where a file should be.
 */
export function resolveWriteTarget(root: string, relative: string): WriteTarget {
  const rootReal = realRoot(root);
  const absolute = path.resolve(root, ...relative.split('/'));
  if (relative.includes('\0') || !isInside(path.resolve(root), absolute)) throw new WriteRefused(`${relative}: the path leaves the workspace root`);
  const outside = (real: string) => new WriteRefused(`${relative}: its real path ${real} is outside the workspace root ${rootReal} (a symbolic link on the way leads out)`);
  try {
    const own = lstatOrUndefined(absolute);
    if (own) {
      let real: string;
      try {
        real = fs.realpathSync(absolute);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT' || !own.isSymbolicLink()) throw error;
        throw new WriteRefused(`${relative} is a symbolic link to ${fs.readlinkSync(absolute)}, which does not exist; it is not followed`);
      }
      if (!isInside(rootReal, real)) throw outside(real);
      const stat = fs.statSync(real);
      if (!stat.isFile()) throw new WriteRefused(`${relative} is not a regular file (${stat.isDirectory() ? 'a folder' : 'a device, FIFO or socket'})`);
      return { relative, real, folder: path.dirname(real), missingFolders: [], stat };
    }
    // Nothing there: the nearest folder that exists decides where the new file lands.
    const missing: string[] = [];
    let existing = path.dirname(absolute);
    while (!lstatOrUndefined(existing)) {
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
    let existingReal: string;
    try {
      existingReal = fs.realpathSync(existing);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
      throw new WriteRefused(`${relative}: ${path.relative(root, existing)} is a symbolic link to a target that does not exist; it is not followed`);
    }
    if (!isInside(rootReal, existingReal)) throw outside(path.join(existingReal, ...missing, path.basename(absolute)));
    if (!fs.statSync(existingReal).isDirectory()) throw new WriteRefused(`${relative}: ${path.relative(root, existing)} is a file, not a folder (ENOTDIR)`);
    const folders: string[] = [];
    for (let i = 0, dir = existingReal; i < missing.length; i++) folders.push((dir = path.join(dir, missing[i])));
    const folder = path.join(existingReal, ...missing);
    return { relative, real: path.join(folder, path.basename(absolute)), folder, missingFolders: folders };
  } catch (error) {
    if (error instanceof WriteRefused) throw error;
    throw new WriteRefused(`${relative}: ${describeIoError(error)}`);
  }
}

const IO_ERRORS = new Map([
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EROFS', 'read-only file system'],
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EEXIST', 'already exists'],
  ['ENOTDIR', 'a file is in the way of a folder'],
  ['EISDIR', 'is a folder'],
  ['ELOOP', 'too many symbolic links'],
  ['ENAMETOOLONG', 'the name is too long'],
  ['EIO', 'input/output error'],
  ['EFBIG', 'file too large'],
]);

/** An fs error as a short phrase: `permission denied (EACCES)`. */
export function describeIoError(error: unknown): string {
  const code = errnoCode(error);
  const known = code && IO_ERRORS.get(code);
  if (known) return `${known} (${code})`;
  return code ? `${(error as Error).message.split(',')[0]} (${code})` : String((error as Error)?.message ?? error);
}

/** Whether every one of `files` may be written (see resolveWriteTarget); for offering edits an editor will apply. */
export function writableInRoot(root: string, files: Iterable<string>): boolean {
  try {
    for (const file of files) resolveWriteTarget(root, file);
    return true;
  } catch (error) {
    if (error instanceof WriteRefused) return false;
    throw error;
  }
}
