// FileAccess over the disk (the CLI, and the server for files no editor has open). Reads are
// bounded (a FIFO or a device where a profile should be is "not there", never a hang), stay
// inside the root, and a path reached through a symlink names the file it really is.
import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from '../io/readBounded';
import { isInside, realRoot } from '../workspace/rootPaths';
import type { FileAccess } from './context';

/** Larger than any profile, secrets index or routes file a generator edits. */
const MAX_EDITED_FILE_BYTES = 8 * 1024 * 1024;

export function diskFileAccess(root: string, overlay?: (relative: string) => { text: string; version: number } | undefined): FileAccess {
  const absolute = (relative: string) => path.join(root, ...relative.split('/'));
  let rootReal: string | undefined;
  return {
    read(relative) {
      const open = overlay?.(relative);
      if (open) return open.text;
      const read = readBounded(absolute(relative), MAX_EDITED_FILE_BYTES, root);
      return 'buffer' in read ? read.buffer.toString('utf8') : undefined;
    },
    exists(relative) {
      return !!overlay?.(relative) || fs.existsSync(absolute(relative));
    },
    version(relative) {
      return overlay?.(relative)?.version ?? null;
    },
    canonical(relative) {
      try {
        rootReal ??= realRoot(root);
        const real = fs.realpathSync(absolute(relative));
        return isInside(rootReal, real) ? path.relative(rootReal, real).split(path.sep).join('/') : relative;
      } catch {
        return relative;
      }
    },
  };
}
