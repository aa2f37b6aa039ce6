// Shared by the write-path attack tests: scratch copies of examples/homelab with an
// "outside" folder beside them, a full picture of a folder (bytes, modes, owners, link
// targets; links are never followed) to prove nothing changed, and the real `hwc` CLI,
// optionally run as the unprivileged user `nobody` (root ignores file permissions).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWorkspace } from '../helpers/lintCache.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const engine = createRequire(import.meta.url)('../../out/engine.js');
export const homelab = path.join(repoRoot, 'examples', 'homelab');
/** `nobody`/`nogroup` on Debian: an unprivileged user that exists on every machine. */
export const NOBODY = 65534;

const scratch = [];
export function cleanup() {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** `base/workspace` (a copy of the homelab example) and `base/outside` (a folder the workspace must never write to). */
export function scratchWorkspace() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-sec-writes-'));
  scratch.push(base);
  fs.chmodSync(base, 0o755);
  const root = path.join(base, 'workspace');
  copyWorkspace(homelab, root);
  const outside = path.join(base, 'outside');
  fs.mkdirSync(outside);
  return { base, root, outside };
}

/** Every entry under `dir` as `relative -> description`: type, mode, owner, and the bytes' hash or the link's target. */
export function picture(dir) {
  const out = new Map();
  const walk = (relative) => {
    const absolute = path.join(dir, relative);
    const st = fs.lstatSync(absolute);
    const head = `${st.mode.toString(8)} ${st.uid}:${st.gid}`;
    if (st.isSymbolicLink()) out.set(relative, `${head} link -> ${fs.readlinkSync(absolute)}`);
    else if (st.isDirectory()) {
      out.set(relative, `${head} dir`);
      for (const name of fs.readdirSync(absolute).sort()) walk(path.join(relative, name));
    } else out.set(relative, `${head} file ${crypto.createHash('sha256').update(fs.readFileSync(absolute)).digest('hex')}`);
  };
  walk('.');
  return out;
}

/** The entries that differ between two pictures (for a readable assertion message). */
export function changes(before, after) {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => `${k}: ${before.get(k) ?? '(absent)'} => ${after.get(k) ?? '(absent)'}`);
}

/**
 * Runs the built CLI; `as: NOBODY` drops to that uid/gid with no supplementary groups;
 * `maxFileKb` sets RLIMIT_FSIZE, so writing a bigger file fails with a real EFBIG.
 */
export function hwc(args, { cwd, input = '', as, maxFileKb, env = {} } = {}) {
  let node = [process.execPath, path.join(repoRoot, 'bin', 'hwc'), ...args];
  if (maxFileKb !== undefined) node = ['bash', '-c', `ulimit -f ${Number(maxFileKb)} && exec "$@"`, 'bash', ...node];
  const [command, ...rest] = as === undefined ? node : ['setpriv', `--reuid=${as}`, `--regid=${as}`, '--clear-groups', ...node];
  const r = spawnSync(command, rest, { cwd, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', HOME: os.tmpdir(), ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A message for a person: no JavaScript stack frame, no "internal error". */
export function assertNoTrace(assert, text) {
  assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?\n|internal error/, text);
}

/** Hands the tree to `uid` (so `nobody` may write where the test wants it to). */
export function chownTree(dir, uid) {
  const walk = (p) => {
    fs.lchownSync(p, uid, uid);
    if (fs.lstatSync(p).isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
}
