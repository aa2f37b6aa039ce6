// Reading a file that came with the repository, so it is untrusted: a name may be a symlink
// to /dev/zero (read forever), to a FIFO (the open blocks), to a file outside the workspace,
// or a file may be swapped between a stat and a read. One open, checks on the open file
// descriptor, and a read that never goes past the cap.
import * as fs from 'fs';
import * as path from 'path';

export type BoundedRead =
  | { buffer: Buffer }
  | { missing: true }
  | { notRegular: string }
  | { tooLarge: number }
  | { outside: true }
  | { error: string };

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

const realRoots = new Map<string, string>();

/** Whether the real path of `file` (a symlink) stays inside the real path of `root`. */
function staysInside(file: string, root: string): boolean {
  let realRoot = realRoots.get(root);
  if (realRoot === undefined) {
    realRoot = fs.realpathSync.native(root);
    if (realRoots.size > 64) realRoots.clear();
    realRoots.set(root, realRoot);
  }
  const relative = path.relative(realRoot, fs.realpathSync.native(file));
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Reads `file` when it is a regular file of at most `maxBytes` bytes. With `within`, a
 * symlink whose target leaves that folder is refused (`outside`).
 */
export function readBounded(file: string, maxBytes: number, within?: string): BoundedRead {
  let fd: number | undefined;
  try {
    // O_NOFOLLOW first: a regular file (the common case) costs no extra system call; a
    // symlink fails with ELOOP and is checked before it is followed.
    const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
    try {
      fd = fs.openSync(file, within === undefined ? flags : flags | fs.constants.O_NOFOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOOP' || within === undefined) throw error;
      if (!staysInside(file, within)) return { outside: true };
      fd = fs.openSync(file, flags);
    }
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { notRegular: kindOf(stat) };
    if (stat.size > maxBytes) return { tooLarge: stat.size };
    // The file may grow after fstat: read at most one byte past the cap, to notice.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, stat.size) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return { tooLarge: length };
      // Grew but is still under the cap: make room and go on.
      if (length === buffer.length) return readGrowing(fd, buffer, length, maxBytes);
    }
    return { buffer: buffer.subarray(0, length) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: true };
    return { error: code ?? String(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function readGrowing(fd: number, start: Buffer, length: number, maxBytes: number): BoundedRead {
  const buffer = Buffer.allocUnsafe(maxBytes + 1);
  start.copy(buffer, 0, 0, length);
  for (;;) {
    const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) return { buffer: buffer.subarray(0, length) };
    length += n;
    if (length > maxBytes) return { tooLarge: length };
  }
}
