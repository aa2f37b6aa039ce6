// Reads a configuration file that came with the repository (untrusted, see
// io/readBounded.ts): only a regular file of bounded size is read; anything else is
// refused with a reason the caller reports (`config-invalid` in the workspace, exit 2 in
// the CLI).
import { readBounded } from '../io/readBounded';

/** `.hwc-lint.json` holds a few dozen settings; 256 KiB is far beyond any real one. */
export const MAX_CONFIG_BYTES = 256 * 1024;

export type ConfigRead = { text: string } | { missing: true } | { refused: string };

/** Reads `file`; with `within`, a symlink whose target leaves that folder is refused. */
export function readConfigFile(file: string, within?: string): ConfigRead {
  const read = readBounded(file, MAX_CONFIG_BYTES, within);
  if ('missing' in read) return { missing: true };
  if ('notRegular' in read) return { refused: `is ${read.notRegular}, not a regular file; not read` };
  if ('tooLarge' in read) return { refused: `is larger than ${MAX_CONFIG_BYTES / 1024} KiB; not read` };
  if ('outside' in read) return { refused: 'is a symlink to a file outside the workspace; not read' };
  if ('error' in read) return { refused: read.error === 'ELOOP' ? 'is a looping symlink; not read' : `cannot be read (${read.error})` };
  let text = read.buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}
