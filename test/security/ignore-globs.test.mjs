// Issue 15, item 4: ReDoS through `ignore` globs. A regex-based matcher took 40 s for
// `*a*a*a*a*a*a*a*a*a*a*a*a*b` against a 40-character name and never answered at 60; the
// matcher now has one resume point per star, so the same globs against long names cost
// microseconds, in the CLI and in the language server. Patterns the matcher refuses (too
// long, too many `{a,b}` alternatives) are config-invalid at their key.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { fingerprint, homelabCopy, hwc } from './support/attack.mjs';

const EVIL = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
const container = (name) => `{ config, lib, ... }:
{
  virtualisation.oci-containers.containers.${name} = {
    image = "ghcr.io/example/${name}:latest";
    ports = [ "127.0.0.1:8080:80" ];
  };
}
`;

/** A workspace whose file and folder names are long runs of `a` (the worst case for the glob above). */
function plantLongNames(dir) {
  const folder = path.join(dir, 'domains', 'server', 'containers', 'a'.repeat(60));
  fs.mkdirSync(folder, { recursive: true });
  for (const n of [40, 60, 200]) fs.writeFileSync(path.join(folder, `${'a'.repeat(n)}.nix`), container('longname'));
  // One name the glob does match, so the test sees that matching still works.
  fs.writeFileSync(path.join(folder, `${'a'.repeat(30)}b`), '');
  fs.writeFileSync(path.join(folder, `${'a'.repeat(30)}b.nix`), container('ignored'));
}

describe('ignore globs with many stars against long names', () => {
  test('hwc lint finishes in seconds and still applies the glob', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('glob');
    try {
      plantLongNames(dir);
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), JSON.stringify({ ignore: [EVIL, `domains/**/${EVIL}.nix`, `**/${'*a'.repeat(12)}*b*`] }) + '\n');
      const before = fingerprint(dir);
      const r = await hwc(['lint', '--format', 'json', dir], { deadlineMs: 30_000 });
      assert.notEqual(r.code, 'killed', 'hwc lint did not finish in 30 s');
      assert.ok(r.ms < 15_000, `took ${Math.round(r.ms)} ms`);
      const findings = JSON.parse(r.stdout);
      const files = new Set(findings.map((f) => f.file));
      const long = `domains/server/containers/${'a'.repeat(60)}`;
      for (const n of [40, 60, 200]) assert.ok(files.has(`${long}/${'a'.repeat(n)}.nix`), `the ${n}-character name is linted (image-latest-tag expected)`);
      assert.ok(!files.has(`${long}/${'a'.repeat(30)}b.nix`), 'the name the glob matches is ignored');
      assert.deepEqual(fingerprint(dir), before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a pattern with too many {a,b} alternatives or too long is config-invalid at its key', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('glob-refused');
    try {
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), JSON.stringify({ ignore: ['legacy/**', '{a,b}'.repeat(8), `${'*a'.repeat(300)}`] }, null, 2) + '\n');
      const r = await hwc(['lint', dir]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const lines = r.stdout.split('\n').filter((l) => l.startsWith('.hwc-lint.json:'));
      assert.equal(lines.length, 2, r.stdout);
      assert.match(lines[0], /`ignore\.1`: not a usable glob: more than 64 alternatives/);
      assert.match(lines[1], /`ignore\.2`: not a usable glob: longer than 512 characters/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the language server indexes and answers while the glob is configured', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('glob-lsp');
    plantLongNames(dir);
    fs.writeFileSync(path.join(dir, '.hwc-lint.json'), JSON.stringify({ ignore: [EVIL] }) + '\n');
    const server = await startServer(dir);
    try {
      await server.waitReady(30_000);
      const file = path.join(dir, 'domains', 'server', 'containers', 'a'.repeat(60), `${'a'.repeat(200)}.nix`);
      const uri = server.open(file, fs.readFileSync(file, 'utf8'));
      const started = performance.now();
      await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 14 } });
      assert.ok(performance.now() - started < 10_000, 'hover answered');
      const diagnostics = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'image-latest-tag'), 20_000);
      assert.ok(diagnostics.length > 0);
      assert.equal(server.diagnostics.has(fileUri(path.join(dir, '.hwc-lint.json'))), false, 'the glob itself is valid');
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
