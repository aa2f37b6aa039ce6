// Reads a compose secret's `file:` for `hwc import compose` and the editor command alike. The
// compose file is text from someone else (a project's repository), and its `file:` may name
// any path: `../../.ssh/id_ed25519`, `/etc/shadow`, a symlink out of the folder, a FIFO that
// blocks a read forever, `/dev/zero`. So a secret is read only from the compose file's own
// folder, or from a path the user allowed by name (`--allow-read`, or the editor's question);
// anything else is reported as `outside` and the import stops to ask. Reads are bounded.
import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from '../io/readBounded';
import type { SecretFileRead } from './secrets';

/** A secret is a password, a key or a certificate: anything bigger is not one. */
export const MAX_SECRET_BYTES = 256 * 1024;

function inside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const realOrSelf = (p: string) => {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
};

/**
 * A reader for secret files named relative to `composeFolder`. `allowed` are files or folders
 * the user named; a secret whose real path (links followed) is under none of them, nor under
 * the compose folder, is `outside`.
 */
export function secretFileReader(composeFolder: string, allowed: readonly string[] = []): (file: string) => SecretFileRead {
  const roots = [composeFolder, ...allowed].map(realOrSelf);
  return (file) => {
    const named = path.resolve(composeFolder, file);
    let real: string;
    try {
      real = fs.realpathSync.native(named);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Missing, but it would still have to be read from an allowed place later.
        return roots.some((root) => inside(realOrSelf(path.dirname(named)) + path.sep + path.basename(named), root)) ? { missing: true } : { outside: named };
      }
      return { refused: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
    const root = roots.find((r) => inside(real, r));
    if (root === undefined) return real === named ? { outside: named } : { outside: named, linkTo: real };
    // The real path, with the root it must stay in: a link swapped in after realpath is refused, not followed.
    const read = readBounded(real, MAX_SECRET_BYTES, root);
    if ('buffer' in read) return { bytes: new Uint8Array(read.buffer) };
    if ('missing' in read) return { missing: true };
    if ('notRegular' in read) return { refused: `${read.notRegular}, not a file` };
    if ('tooLarge' in read) return { refused: `${read.tooLarge} bytes; a secret file is at most ${MAX_SECRET_BYTES / 1024} KiB` };
    if ('outside' in read) return { outside: named };
    return { refused: read.error };
  };
}
