// FileAccess over the disk (the CLI, and the server for files no editor has open).
import * as fs from 'fs';
import * as path from 'path';
import type { FileAccess } from './context';

export function diskFileAccess(root: string, overlay?: (relative: string) => { text: string; version: number } | undefined): FileAccess {
  const absolute = (relative: string) => path.join(root, ...relative.split('/'));
  return {
    read(relative) {
      const open = overlay?.(relative);
      if (open) return open.text;
      try {
        return fs.readFileSync(absolute(relative), 'utf8');
      } catch {
        return undefined;
      }
    },
    exists(relative) {
      return !!overlay?.(relative) || fs.existsSync(absolute(relative));
    },
    version(relative) {
      return overlay?.(relative)?.version ?? null;
    },
  };
}
