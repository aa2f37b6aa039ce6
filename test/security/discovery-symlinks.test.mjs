// Issue 15, item 12: discovery followed file symlinks out of the root, so `hwc lint` and the
// language server read files the repository does not hold — a syntax error then quoted the
// outside file to the terminal or the editor. Symlinks whose target leaves the root are
// now skipped with a log line (folder symlinks were never followed); symlinks that stay
// inside are linted as before.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { fingerprint, homelabCopy, hwc } from './support/attack.mjs';

const SECRET = 'TOPSECRET-do-not-quote';

/** Outside the repository: a "Nix" file whose syntax error would quote the secret, and a folder of them. */
function outsideFiles() {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.nix'), `{\n  password = ${SECRET} ${SECRET};\n  x = ;\n}\n`);
  fs.mkdirSync(path.join(outside, 'folder'));
  fs.writeFileSync(path.join(outside, 'folder', 'index.nix'), `{ x = ${SECRET} = ; }\n`);
  return outside;
}

function plant(dir, outside) {
  const evil = path.join(dir, 'domains/server/containers/evil');
  fs.mkdirSync(evil, { recursive: true });
  fs.symlinkSync(path.join(outside, 'secret.nix'), path.join(evil, 'index.nix'));
  // The same through `../..`: a relative target that climbs out.
  fs.symlinkSync(path.relative(evil, path.join(outside, 'secret.nix')), path.join(evil, 'relative.nix'));
  fs.symlinkSync(path.join(outside, 'folder'), path.join(dir, 'domains/server/containers/linked-folder'));
  // A link that stays inside the repository is fine.
  fs.symlinkSync('../postgres/index.nix', path.join(evil, 'inside.nix'));
}

describe('file symlinks out of the root', () => {
  test('hwc lint skips them with a log line and never quotes the outside file', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('link');
    const outside = outsideFiles();
    try {
      plant(dir, outside);
      const before = fingerprint(dir);
      const outsideBefore = fingerprint(outside);
      const r = await hwc(['lint', '--format', 'json', dir]);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.ok(!r.stdout.includes(SECRET), 'no finding quotes the outside file');
      const findings = JSON.parse(r.stdout);
      assert.ok(!findings.some((f) => f.file.startsWith('domains/server/containers/evil/index') || f.file.startsWith('domains/server/containers/evil/relative') || f.file.startsWith('domains/server/containers/linked-folder')));
      for (const name of ['index.nix', 'relative.nix']) {
        assert.match(r.stderr, new RegExp(`hwc: skipped domains/server/containers/evil/${name.replace('.', '\\.')}: symlink to a file outside the workspace; not read`));
      }
      assert.ok(findings.some((f) => f.file === 'domains/server/containers/evil/inside.nix' && f.rule === 'database-port-exposed'), 'the inside link is linted');
      assert.deepEqual(fingerprint(dir), before);
      assert.deepEqual(fingerprint(outside), outsideBefore);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('the language server neither indexes them at start nor on a watched-file event', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('link-lsp');
    const outside = outsideFiles();
    plant(dir, outside);
    const server = await startServer(dir);
    try {
      await server.waitReady(30_000);
      const evil = fileUri(path.join(dir, 'domains/server/containers/evil/index.nix'));
      // The editor's file watcher reports the link as changed: still not read.
      server.filesChanged([{ uri: evil, type: 2 }]);
      await server.waitDiagnostics(fileUri(path.join(dir, 'domains/server/containers/evil/inside.nix')), (d) => d.some((x) => x.code === 'database-port-exposed'), 20_000);
      const symbols = await server.request('workspace/symbol', { query: '' });
      assert.ok(!JSON.stringify(symbols ?? []).includes(SECRET));
      for (const [uri, { diagnostics }] of server.diagnostics) {
        assert.ok(!JSON.stringify(diagnostics).includes(SECRET), `${uri} quotes the outside file`);
        assert.ok(!uri.includes('/evil/index.nix') && !uri.includes('/evil/relative.nix') && !uri.includes('/linked-folder/'), `${uri} was indexed`);
      }
      assert.ok(server.logs.some((l) => l.includes('skipped domains/server/containers/evil/index.nix: symlink to a file outside the workspace')), server.logs.join('\n'));
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
