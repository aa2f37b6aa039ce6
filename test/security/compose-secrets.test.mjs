// Compose secrets read by `hwc import compose`: the compose file comes from someone else, and
// its `secrets.<x>.file` decides what the import reads and encrypts into the repository. These
// attacks name files outside the compose folder through a folder link and a file link, a huge
// file, and a FIFO that would block a read forever; each is refused or asked about, nothing is
// written, and no value reaches the terminal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprint, homelabCopy, hwc } from './support/attack.mjs';

/** A compose project in its own folder (outside the repository) whose one service mounts `token` from `file`. */
function project(file) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-compose-attack-'));
  fs.writeFileSync(
    path.join(dir, 'compose.yaml'),
    `services:\n  webhook:\n    image: ghcr.io/example/webhook:3.0.1\n    secrets: [token]\nsecrets:\n  token:\n    file: ${JSON.stringify(file)}\n`,
  );
  return dir;
}

describe('hwc import compose: secret files the compose file names', () => {
  test('a folder link and a file link out of the compose folder are asked about, never read', { timeout: 60_000 }, async () => {
    const repo = homelabCopy('compose-links');
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-compose-private-'));
    try {
      fs.writeFileSync(path.join(outsideDir, 'id_ed25519'), 'PRIVATE-KEY-MATERIAL-7f3a');
      for (const [file, plant] of [
        ['keys/id_ed25519', (dir) => fs.symlinkSync(outsideDir, path.join(dir, 'keys'))],
        ['./token', (dir) => fs.symlinkSync(path.join(outsideDir, 'id_ed25519'), path.join(dir, 'token'))],
      ]) {
        const dir = project(file);
        plant(dir);
        const before = fingerprint(repo);
        const r = await hwc(['import', 'compose', path.join(dir, 'compose.yaml'), '--root', repo]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /these secret files lie outside the compose file's folder/);
        assert.match(r.stderr, new RegExp(`\\(a link to ${outsideDir}/id_ed25519\\)`));
        assert.ok(!r.stdout.includes('PRIVATE-KEY-MATERIAL') && !r.stderr.includes('PRIVATE-KEY-MATERIAL'));
        assert.deepEqual(fingerprint(repo), before, 'nothing was written');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
      fs.rmSync(outsideDir, { recursive: true, force: true });
    }
  });

  test('a FIFO is refused at once and a file over 256 KiB is refused, not read', { timeout: 60_000 }, async () => {
    const repo = homelabCopy('compose-fifo');
    try {
      const fifoProject = project('./token');
      assert.equal(spawnSync('mkfifo', [path.join(fifoProject, 'token')]).status, 0);
      const bigProject = project('./token');
      fs.writeFileSync(path.join(bigProject, 'token'), 'x'.repeat(300 * 1024));
      const before = fingerprint(repo);
      const fifo = await hwc(['import', 'compose', path.join(fifoProject, 'compose.yaml'), '--root', repo], { deadlineMs: 20_000 });
      assert.equal(fifo.code, 2, fifo.stderr);
      assert.match(fifo.stderr, /secrets\.token\.file: \.\/token: a FIFO, not a file/);
      const big = await hwc(['import', 'compose', path.join(bigProject, 'compose.yaml'), '--root', repo]);
      assert.equal(big.code, 2, big.stderr);
      assert.match(big.stderr, /secrets\.token\.file: \.\/token: \d+ bytes; a secret file is at most 256 KiB/);
      assert.deepEqual(fingerprint(repo), before, 'nothing was written');
      for (const dir of [fifoProject, bigProject]) fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
