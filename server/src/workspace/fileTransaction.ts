// Writes a set of workspace files all or nothing (`hwc new`, `hwc lint --fix`):
//   1. verify every target: its real path stays in the root, a new file's path is free, an
//      edited file is a writable regular file that still holds the bytes the edit was made from;
//   2. write every new text to a temp file beside its real target (mode and owner of the file
//      it replaces; fsync'd);
//   3. publish: a new file by hard link (never over anything), an edited file by rename after
//      checking, just before, that nobody changed it since it was read; the original stays
//      reachable through a hard-linked backup until everything is published. A deleted file
//      (`hwc remove`, the old side of a rename) is renamed to that backup, after the same check.
// Any failure undoes what was published, removes what was made and throws WriteRefused saying
// what happened. A symlinked file is written through to its target (checked to be inside the
// root), so the link stays a link.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { WriteRefused, describeIoError, isInside, realRoot as realRootOf, resolveWriteTarget, type WriteTarget } from './rootPaths';

export interface FileWrite {
  /** Workspace-relative path, `/`-separated. */
  path: string;
  action: 'create' | 'replace' | 'delete';
  /** The new content (bytes for a moved binary file); ignored for `delete`. */
  text: string | Buffer;
  /** For `replace` and `delete`: what the file held when the change was computed (bytes, or text as read). */
  before?: Buffer | string;
}

export interface TransactionHooks {
  /**
   * Called just before an edited file's last check and rename. In-process only (tests inject
   * a concurrent edit here); nothing on the command line or in a repository can set it.
   */
  beforeReplace?: (relative: string) => void;
}

interface Step {
  write: FileWrite;
  target: WriteTarget;
  before?: Buffer;
  temp?: string;
  backup?: string;
  published?: boolean;
}

const canWrite = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

const sameFile = (a: fs.Stats, b: fs.Stats) => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.mode === b.mode;

function siblingName(target: string, kind: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.hwc-${kind}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
}

/** Step 1 for one file; throws WriteRefused naming the file and the reason. */
function verify(root: string, write: FileWrite): Step {
  const target = resolveWriteTarget(root, write.path);
  if (write.action === 'create') {
    if (target.stat) throw new WriteRefused(`${write.path} already exists (EEXIST); existing files are never overwritten`);
    const nearest = target.missingFolders.length > 0 ? path.dirname(target.missingFolders[0]) : target.folder;
    if (!canWrite(nearest)) throw new WriteRefused(`${write.path}: cannot create it, the folder ${path.relative(root, nearest) || '.'} is not writable (EACCES)`);
    return { write, target };
  }
  if (!target.stat) throw new WriteRefused(`${write.path} no longer exists`);
  const before = Buffer.isBuffer(write.before) ? write.before : Buffer.from(write.before ?? '', 'utf8');
  if (!fs.readFileSync(target.real).equals(before)) throw new WriteRefused(`${write.path} changed on disk after it was read`);
  const mode = target.stat.mode & 0o7777;
  // Root may write anything; a file nobody may write is still meant to stay as it is.
  if ((mode & 0o222) === 0) throw new WriteRefused(`${write.path} is read-only (mode ${mode.toString(8).padStart(4, '0')}); make it writable first if it should be changed`);
  if (write.action === 'delete') {
    // Deleting through a link would remove its target and leave the link dangling: not a guess to make.
    if (fs.lstatSync(path.join(root, write.path)).isSymbolicLink()) throw new WriteRefused(`${write.path} is a symbolic link; remove it by hand`);
    if (!canWrite(target.folder)) throw new WriteRefused(`${write.path}: cannot delete it, its folder is not writable (EACCES)`);
    return { write, target, before };
  }
  if (!canWrite(target.real)) throw new WriteRefused(`${write.path} is not writable by this user (EACCES)`);
  if (!canWrite(target.folder)) throw new WriteRefused(`${write.path}: its folder is not writable (EACCES), and the file is replaced through a temporary file there`);
  return { write, target, before };
}

/** A new file beside `target` holding `data`, with the given mode and owner (an edited file's). */
function writeSibling(target: string, kind: string, data: string | Buffer, keep?: fs.Stats, label = target): string {
  const temp = siblingName(target, kind);
  const fd = fs.openSync(temp, 'wx', keep ? 0o600 : 0o666);
  try {
    if (keep) {
      const own = fs.fstatSync(fd);
      if (own.uid !== keep.uid || own.gid !== keep.gid) {
        try {
          fs.fchownSync(fd, keep.uid, keep.gid);
        } catch {
          throw new WriteRefused(`${label}: cannot keep its owner (uid ${keep.uid}, gid ${keep.gid}) when written by this user; run as its owner`);
        }
      }
      fs.fchmodSync(fd, keep.mode & 0o7777);
    }
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return temp;
}

/** A hard link keeps the original inode (bytes, mode, owner) for the undo; a copy if links are not possible. */
function backUp(step: Step): string {
  const name = siblingName(step.target.real, 'backup');
  try {
    fs.linkSync(step.target.real, name);
    return name;
  } catch {
    return writeSibling(step.target.real, 'backup', step.before!, step.target.stat, step.write.path);
  }
}

/** Publishes a new file only if nothing is there (a hard link never replaces a file). */
function publishExclusive(temp: string, target: string): void {
  try {
    fs.linkSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    fs.copyFileSync(temp, target, fs.constants.COPYFILE_EXCL);
  }
  fs.unlinkSync(temp);
}

function replace(step: Step, hooks: TransactionHooks): void {
  const { real } = step.target;
  hooks.beforeReplace?.(step.write.path);
  // Someone may have saved the file since it was read: never lose their edit.
  const now = fs.statSync(real);
  if (!sameFile(now, step.target.stat!) || !fs.readFileSync(real).equals(step.before!)) {
    throw new WriteRefused(`${step.write.path} changed on disk while the changes were being written (after it was read); it was left as it is`);
  }
  if (step.write.action === 'delete') {
    // The file itself becomes the backup: a rename back undoes the deletion exactly.
    const backup = siblingName(real, 'backup');
    fs.renameSync(real, backup);
    step.backup = backup;
    return;
  }
  step.backup = backUp(step);
  fs.renameSync(step.temp!, real);
  step.temp = undefined;
}

/** Undoes a failed transaction; returns what could not be undone. */
function rollBack(steps: Step[], madeFolders: string[]): string[] {
  const failures: string[] = [];
  for (const step of [...steps].reverse()) {
    try {
      if (step.published) {
        if (step.write.action === 'create') fs.unlinkSync(step.target.real);
        else fs.renameSync(step.backup!, step.target.real);
        step.backup = undefined;
      }
    } catch (error) {
      failures.push(`${step.write.path} (${describeIoError(error)}${step.backup ? `; its previous content is in ${step.backup}` : ''})`);
    }
    for (const leftover of [step.temp, step.backup]) if (leftover) fs.rmSync(leftover, { force: true });
  }
  for (const dir of [...madeFolders].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // Not empty: something else lives there now.
    }
  }
  return failures;
}

/**
 * Writes every file or none (see the top of this file). Throws WriteRefused; its message
 * ends with what was left: "nothing was written" when that is true.
 */
export function commitFiles(root: string, writes: FileWrite[], hooks: TransactionHooks = {}): void {
  const steps: Step[] = [];
  const madeFolders: string[] = [];
  let current: FileWrite | undefined;
  try {
    for (const write of writes) {
      current = write;
      steps.push(verify(root, write));
    }
    for (const step of steps) {
      current = step.write;
      for (const dir of step.target.missingFolders) {
        if (fs.existsSync(dir)) continue;
        fs.mkdirSync(dir);
        madeFolders.push(dir);
      }
      if (step.write.action === 'delete') continue;
      step.temp = writeSibling(step.target.real, 'new', step.write.text, step.write.action === 'replace' ? step.target.stat : undefined, step.write.path);
    }
    for (const step of steps) {
      current = step.write;
      if (step.write.action === 'create') publishExclusive(step.temp!, step.target.real);
      else replace(step, hooks);
      step.temp = undefined;
      step.published = true;
    }
  } catch (error) {
    const failures = rollBack(steps, madeFolders);
    const reason = error instanceof WriteRefused ? error.message : `${current?.path}: could not write it: ${describeIoError(error)}`;
    throw new WriteRefused(failures.length === 0 ? `${reason}; nothing was written` : `${reason}; the other files could not all be restored: ${failures.join(', ')}`);
  }
  for (const step of steps) if (step.backup) fs.rmSync(step.backup, { force: true });
  removeEmptiedFolders(root, steps);
}

/** A folder whose last file a delete took (a removed or renamed module folder) goes too, up to the root. */
function removeEmptiedFolders(root: string, steps: Step[]): void {
  const top = realRootOf(root);
  for (const step of steps) {
    if (step.write.action !== 'delete') continue;
    for (let dir = step.target.folder; dir !== top && isInside(top, dir); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty: something else lives there
      }
    }
  }
}
