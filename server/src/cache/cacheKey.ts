// The key that signs the cache files. `.hwc-cache/` sits in the repository, so a repository
// (a pull request, a template) can commit one; a well-formed cache whose engine version and
// root match would then be replayed, and could hide findings in CI. Every cache file is
// therefore signed with a key the repository cannot know, and a file whose signature does not
// verify is not ours: it is rebuilt, never read.
//
// The key comes from HWC_CACHE_KEY when set (CI: a secret, so caches restored between runs
// stay valid), else from a file the user owns outside any repository:
// `$XDG_CACHE_HOME/hwc/cache-key` (`~/.cache/hwc/cache-key`), created on first use (random,
// mode 0600). When neither can be had (no home, read-only), the process makes up a key of its
// own: nothing it reads verifies, so the cache is rebuilt each run — slower, never wrong.
import { type Hmac, createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const KEY_BYTES = 32;
let memo: Buffer | undefined;

/** Where the per-user key lives. */
function keyFilePath(): string | undefined {
  const env = process.env;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : env.HOME ? path.join(env.HOME, '.cache') : safeHomedir();
  return base ? path.join(base, 'hwc', 'cache-key') : undefined;
}

function safeHomedir(): string | undefined {
  try {
    const home = os.homedir();
    return home ? path.join(home, '.cache') : undefined;
  } catch {
    return undefined;
  }
}

export function cacheKey(): Buffer {
  if (memo) return memo;
  const fromEnv = process.env.HWC_CACHE_KEY;
  memo = fromEnv && fromEnv.length >= 16 ? Buffer.from(fromEnv, 'utf8') : (keyFromFile() ?? randomBytes(KEY_BYTES));
  return memo;
}

/** Reads the user's key, creating it (exclusively, 0600) the first time. */
function keyFromFile(): Buffer | undefined {
  const file = keyFilePath();
  if (!file) return undefined;
  const read = (): Buffer | undefined => {
    try {
      const stat = fs.lstatSync(file);
      // Only a regular file of ours; anything else (a link, someone else's file) is not trusted.
      if (!stat.isFile() || (typeof process.getuid === 'function' && stat.uid !== process.getuid()) || stat.size !== KEY_BYTES * 2) return undefined;
      const text = fs.readFileSync(file, 'utf8');
      return /^[0-9a-f]+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = read();
  if (existing) return existing;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      fs.writeSync(fd, randomBytes(KEY_BYTES).toString('hex'));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Another process made it first (read it below), or the folder cannot be written.
  }
  return read();
}

/** The signature of a cache file's text (everything before its end line). */
export function sign(text: string): string {
  return createHmac('sha256', cacheKey()).update(text).digest('base64');
}

/** The same signature computed piece by piece (update with each chunk of the text, in order). */
export function signer(): Hmac {
  return createHmac('sha256', cacheKey());
}
