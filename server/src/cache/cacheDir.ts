// `.hwc-cache/` at a workspace root: where the lint cache lives, and the only code that
// touches it. The folder is the repository's (untrusted) territory, so:
// - it must be a real folder directly in the root: a symbolic link (a repository may commit
//   one pointing anywhere) or a file in its place disables the cache, nothing is followed;
// - files are read only when they are regular files (never through a link) and never
//   written in place: a new file is made with O_EXCL next to its target and renamed over
//   it, so a reader sees the old file or the new one, never half of one, and two runs at
//   once each publish a whole file (the last rename wins);
// - it cannot be written (read-only checkout, permissions): the run goes on without
//   writing, silently;
// - it is bounded: at most MAX_FILES cache files (one per engine version and kind) and
//   MAX_BYTES in all; the ones written longest ago go first (a run that changes nothing
//   rewrites nothing, so "oldest" is the last change, which is good enough to drop the
//   files of engine versions no longer run).
import * as fs from 'fs';
import * as path from 'path';
import { isInside, realRoot } from '../workspace/rootPaths';

export const CACHE_DIR = '.hwc-cache';
/** A cache file is rewritten whole: beyond this, it is not written at all. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/**
 * Several engine versions (an upgrade, a branch switch, the editor's and the CLI's
 * bundles) keep their files side by side; an older one beyond the first few is dead weight.
 */
const MAX_FILES = 12;
/** About two 20,000-module workspaces' summaries; the oldest files go first beyond it. */
const MAX_BYTES = 1024 * 1024 * 1024;
/** How much of a cache file is read at once. */
const READ_CHUNK_BYTES = 1 << 20;

const GITIGNORE = '# Written by hwc lint: a cache, never committed.\n*\n';
const CACHEDIR_TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by hwc (the lint cache).\n# For information about cache directory tags, see https://bford.info/cachedir/\n';

const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

export class CacheDir {
  /** The folder's absolute path (inside the root). */
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * The root's cache folder when it is usable: a real folder inside the root, or nothing there
   * yet. `unusable` says why not (a link, a file in its place, a folder that leaves the root).
   */
  static at(root: string): CacheDir | { unusable: string } {
    const dir = path.join(root, CACHE_DIR);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(dir);
    } catch (error) {
      if (code(error) !== 'ENOENT') return { unusable: `${CACHE_DIR} cannot be read (${code(error) ?? error})` };
    }
    if (stat?.isSymbolicLink()) return { unusable: `${CACHE_DIR} is a symbolic link; it is not followed` };
    if (stat && !stat.isDirectory()) return { unusable: `${CACHE_DIR} is not a folder` };
    try {
      // The root itself may be reached through a link; the folder must not lead out of it.
      const parentReal = realRoot(root);
      if (!isInside(parentReal, path.join(fs.realpathSync(path.dirname(dir)), CACHE_DIR))) return { unusable: `${CACHE_DIR} is outside the root` };
    } catch (error) {
      return { unusable: `the root cannot be resolved (${code(error) ?? error})` };
    }
    return new CacheDir(dir);
  }

  /** Whether a cache file is there (whatever it holds). */
  has(name: string): boolean {
    try {
      fs.lstatSync(path.join(this.dir, name));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A cache file's text; undefined when there is none. Throws for one that is there but is
   * not a regular file (a folder, a link, a FIFO) or cannot be read.
   */
  read(name: string): string | undefined {
    const file = path.join(this.dir, name);
    let fd: number;
    try {
      // O_NOFOLLOW: a link in the cache folder is refused, not followed; O_NONBLOCK: a FIFO never hangs.
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return undefined;
      throw new Error(`${CACHE_DIR}/${name} cannot be opened (${code(error) ?? error})`);
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) throw new Error(`${CACHE_DIR}/${name} is not a regular file`);
      if (stat.size > MAX_FILE_BYTES) throw new Error(`${CACHE_DIR}/${name} is larger than a cache file may be`);
      return fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * As read, a chunk at a time (`take` gets each in order): a large file is never one buffer
   * and one string at once. False when there is none; throws as read does.
   */
  readChunks(name: string, take: (chunk: Buffer) => void): boolean {
    const file = path.join(this.dir, name);
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return false;
      throw new Error(`${CACHE_DIR}/${name} cannot be opened (${code(error) ?? error})`);
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) throw new Error(`${CACHE_DIR}/${name} is not a regular file`);
      if (stat.size > MAX_FILE_BYTES) throw new Error(`${CACHE_DIR}/${name} is larger than a cache file may be`);
      let total = 0;
      for (;;) {
        // A fresh buffer each time: `take` may keep slices of what it decodes.
        const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
        const got = fs.readSync(fd, buffer, 0, buffer.length, null);
        if (got === 0) return true;
        total += got;
        // Grown since the stat (another run rewrites by rename, so only a file written in place).
        if (total > MAX_FILE_BYTES) throw new Error(`${CACHE_DIR}/${name} is larger than a cache file may be`);
        take(got === buffer.length ? buffer : buffer.subarray(0, got));
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Replaces a cache file atomically (temp file + rename). Returns false, silently, when
   * the folder cannot be made or written (a read-only root); anything is better than failing a lint.
   */
  write(name: string, text: string): boolean {
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) return false;
    return this.writeChunks(name, [Buffer.from(text)]);
  }

  /**
   * As write, for a file produced piece by piece: each chunk is written to the temp file as
   * it comes, so a 120 MB file never exists whole in memory. A file that grows past
   * MAX_FILE_BYTES is abandoned (its temp removed, the old file left as it was), as is one
   * whose producer throws (the error is passed on once the temp is gone).
   */
  writeChunks(name: string, chunks: Iterable<Buffer>): boolean {
    if (!this.ensure()) return false;
    const target = path.join(this.dir, name);
    const temp = path.join(this.dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    const produced = chunks[Symbol.iterator]();
    let fd: number | undefined;
    let written = false;
    // The producer's own error (a bug, or something that cannot be encoded) is not the disk's: it is thrown again.
    let producerFailed: { error: unknown } | undefined;
    try {
      // O_CREAT|O_EXCL never follows a link planted under the temp name.
      fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o644);
      let bytes = 0;
      for (;;) {
        let step: IteratorResult<Buffer>;
        try {
          step = produced.next();
        } catch (error) {
          producerFailed = { error };
          return false;
        }
        if (step.done) break;
        const chunk = step.value;
        bytes += chunk.length;
        if (bytes > MAX_FILE_BYTES) return false;
        for (let offset = 0; offset < chunk.length; ) offset += fs.writeSync(fd, chunk, offset, chunk.length - offset);
      }
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(temp, target);
      written = true;
      return true;
    } catch {
      return false;
    } finally {
      if (fd !== undefined) {
        try {
          fs.closeSync(fd);
        } catch {
          // Closed already.
        }
      }
      if (!written) {
        remove(temp);
        // Stop a generator half-way (its finally blocks run).
        if (!producerFailed) produced.return?.();
      }
      this.prune(name);
      if (producerFailed) throw producerFailed.error;
    }
  }

  /** Makes the folder with its .gitignore and CACHEDIR.TAG; false when it cannot. */
  private ensure(): boolean {
    try {
      fs.mkdirSync(this.dir);
    } catch (error) {
      if (code(error) !== 'EEXIST') return false;
    }
    // Made by someone else in the meantime: still a real folder?
    try {
      if (!fs.lstatSync(this.dir).isDirectory()) return false;
    } catch {
      return false;
    }
    for (const [name, text] of [['.gitignore', GITIGNORE], ['CACHEDIR.TAG', CACHEDIR_TAG]]) {
      try {
        fs.writeFileSync(path.join(this.dir, name), text, { flag: 'wx', mode: 0o644 });
      } catch (error) {
        if (code(error) !== 'EEXIST') return false;
      }
    }
    return true;
  }

  /** Keeps the MAX_FILES cache files written last within MAX_BYTES (never `keep`, just written); drops stale temp files. */
  private prune(keep: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const files: Array<{ name: string; mtime: number; size: number }> = [];
    const now = Date.now();
    for (const name of names) {
      if (name === '.gitignore' || name === 'CACHEDIR.TAG') continue;
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(path.join(this.dir, name));
      } catch {
        continue;
      }
      if (!stat.isFile()) continue;
      // A temp file a killed run left behind (a live one is seconds old).
      if (name.endsWith('.tmp')) {
        if (now - stat.mtimeMs > 10 * 60_000) remove(path.join(this.dir, name));
        continue;
      }
      if (name !== keep) files.push({ name, mtime: stat.mtimeMs, size: stat.size });
    }
    files.sort((a, b) => b.mtime - a.mtime);
    let bytes = 0;
    files.forEach((file, i) => {
      bytes += file.size;
      if (i >= MAX_FILES - 1 || bytes > MAX_BYTES) remove(path.join(this.dir, file.name));
    });
  }
}

function remove(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Another run removed it first.
  }
}
