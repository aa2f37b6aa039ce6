// What the benchmark's sections share to time processes: summary statistics, one measured
// child process (wall time, peak RSS), `hwc lint` and the `nix-instantiate --parse` baseline
// on a workspace, and whether this build's `hwc lint` has a cache to turn off.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.dirname(here);
export const hwc = path.join(repo, 'bin', 'hwc');
/** Where the lint cache lives (issue 18: `.hwc-cache/` at the workspace root). */
export const CACHE_DIR = '.hwc-cache';

export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // nearest rank
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export function stats(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const round = (x) => Math.round(x * 100) / 100;
  return {
    n: values.length,
    median: round(median),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
    p50: round(quantile(values, 0.5)),
    p95: round(quantile(values, 0.95)),
    spreadPct: median ? Math.round(((sorted[sorted.length - 1] - sorted[0]) / median) * 1000) / 10 : 0,
  };
}

/** stats of the values that were measured (null when none was). */
export const statsOf = (values) => stats(values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v)));

/** median(a) / median(b), one decimal; null when either is missing. */
export const ratioOf = (a, b) => (a && b ? Math.round((a.median / b.median) * 10) / 10 : null);

export const haveTime = fs.existsSync('/usr/bin/time');

/**
 * Runs a command; wall time around the spawn, peak RSS and CPU time (user + system, which a
 * shared machine disturbs less than wall time) from /usr/bin/time (else RSS from /proc
 * polling and no CPU time).
 */
export function measureProcess(command, args, { cwd, collect = false, env } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(os.tmpdir(), `hwc-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const [cmd, cmdArgs] = haveTime ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, args];
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, { cwd, env: env ?? process.env, stdio: ['ignore', collect ? 'pipe' : 'ignore', 'pipe'] });
    const out = [];
    let stderr = '';
    let polledPeakKb = 0;
    const poll = haveTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledPeakKb = Math.max(polledPeakKb, Number(m[1]));
          } catch {
            /* gone */
          }
        }, 10);
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (poll) clearInterval(poll);
      let peakKb = polledPeakKb;
      let cpuMs = null;
      if (haveTime) {
        try {
          // The last line: time prints "Command exited with non-zero status N" before it.
          const [kb, user, system] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
          peakKb = kb;
          cpuMs = (user + system) * 1000;
          fs.rmSync(rssFile, { force: true });
        } catch {
          peakKb = NaN;
        }
      }
      resolve({ code, wallMs, cpuMs, peakMb: peakKb / 1024, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** Splits a file list into argument lists of at most ~1 MB (ARG_MAX is 2 MB here). */
function chunkArgs(files, maxBytes = 1_000_000) {
  const chunks = [[]];
  let size = 0;
  for (const f of files) {
    if (size + f.length + 1 > maxBytes && chunks[chunks.length - 1].length) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(f);
    size += f.length + 1;
  }
  return chunks;
}

/**
 * Whether `hwc lint` has the lint cache (it lists `--no-cache` in its help). Without it the
 * warm rows are "not available" and cold runs need no flag.
 */
export function lintHasCache() {
  const help = spawnSync(process.execPath, [hwc, 'lint', '--help'], { encoding: 'utf8' });
  return `${help.stdout}${help.stderr}`.includes('--no-cache');
}

/**
 * One `hwc lint --format json` process on `root`. `cache`: 'off' deletes `.hwc-cache/` first
 * and passes `--no-cache` (when the build has a cache), 'on' leaves both alone.
 */
export async function lintOnce(root, { cache = 'off', hasCache = false, notes = [] } = {}) {
  const args = [hwc, 'lint', '--root', root, '--format', 'json'];
  if (cache === 'off') {
    fs.rmSync(path.join(root, CACHE_DIR), { recursive: true, force: true });
    if (hasCache) args.push('--no-cache');
  }
  const r = await measureProcess(process.execPath, args, { cwd: root, collect: true, env: { ...process.env, NO_COLOR: '1' } });
  let findings = null;
  try {
    findings = JSON.parse(r.stdout);
  } catch {
    notes.push(`lint of ${root} printed no JSON (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
  }
  return { ...r, findings };
}

/** `nix-instantiate --parse` of every .nix file of the workspace, in as few processes as ARG_MAX allows. */
export async function parseBaselineOnce(root, nixFiles) {
  const chunks = chunkArgs(nixFiles);
  let wallMs = 0;
  let cpuMs = 0;
  let peakMb = 0;
  let failed = null;
  for (const chunk of chunks) {
    const r = await measureProcess('nix-instantiate', ['--store', 'dummy://', '--parse', ...chunk], { cwd: root });
    wallMs += r.wallMs;
    cpuMs = cpuMs === null || r.cpuMs === null ? null : cpuMs + r.cpuMs;
    peakMb = Math.max(peakMb, r.peakMb);
    if (r.code !== 0) failed = r.stderr.split('\n').slice(0, 3).join(' ');
  }
  return { wallMs, cpuMs, peakMb, processes: chunks.length, failed };
}

/** Findings per rule and per severity. */
export function countFindings(findings) {
  const bySeverity = {};
  const byRule = {};
  for (const f of findings ?? []) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  return { bySeverity, byRule };
}
