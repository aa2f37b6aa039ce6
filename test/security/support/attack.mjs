// Shared by the resource-limit attack tests: run `hwc` as a process with a deadline, build a
// workspace from real-looking Nix, and fingerprint a folder to prove nothing changed.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWorkspace, inLintCache } from '../../helpers/lintCache.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const hwcBin = path.join(repo, 'bin', 'hwc');
export const homelab = path.join(repo, 'examples', 'homelab');

/**
 * Runs `hwc …`; resolves with the exit code, output, elapsed time and the peak RSS (KiB)
 * of the process, or with `code: 'killed'` when it outlives `deadlineMs`.
 */
export function hwc(args, { cwd = repo, deadlineMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [hwcBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let peakRssKb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakRssKb = Math.max(peakRssKb, rss);
      } catch {
        /* exited */
      }
    }, 50);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(sample);
      resolve({ code: killed ? 'killed' : code, stdout, stderr, ms: performance.now() - started, peakRssKb });
    });
  });
}

/** A copy of examples/homelab (a real nixos-hwc layout) in a fresh temp folder. */
export function homelabCopy(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hwc-${prefix}-`));
  copyWorkspace(homelab, dir);
  return dir;
}

/**
 * Path → sha256 of every file (and the target of every symlink) below dir; not the root's
 * `.hwc-cache/`, which `hwc lint` writes on every run (its attacks are in test/unit/cache-robustness).
 */
export function fingerprint(dir) {
  const out = new Map();
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (inLintCache(child)) continue;
      const abs = path.join(dir, child);
      if (entry.isSymbolicLink()) out.set(child, `-> ${fs.readlinkSync(abs)}`);
      else if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.set(child, crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
      else out.set(child, 'special');
    }
  };
  walk('');
  return Object.fromEntries([...out].sort());
}

/** A real FIFO (named pipe) at `file`: opening it for reading blocks until a writer comes. */
export function mkfifo(file) {
  const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${file}: ${r.stderr}`);
}
