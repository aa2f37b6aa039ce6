// HWC: Import Docker Compose File… against the real server on stdio: images to pin come back
// as a list, the plan is one WorkspaceEdit whose every change needs confirmation (the editor's
// refactoring preview), it applies cleanly and lints clean, and the secret values of the
// compose file never appear in anything the server sends.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileUri, startServer } from '../helpers/lspClient.mjs';
import { ageIdentity, applyWorkspaceEdit, assertParses, cleanup, filesContaining, hasNix, lintFindings, repoRoot, scratchWorkspace, writeLintConfig } from '../fixtures/scaffold/harness.mjs';

const fixtures = path.join(repoRoot, 'test/fixtures/compose');
let server;
let root;
after(async () => {
  await server?.stop();
  cleanup();
});
before(async () => {
  let keys;
  ({ root, keys } = scratchWorkspace(path.join(fixtures, 'workspace')));
  writeLintConfig(root, { ageRecipients: [ageIdentity(keys).recipient] });
  server = await startServer(root, { initializationOptions: { trusted: true } });
  await server.waitReady();
});

const execute = (args) => server.request('workspace/executeCommand', { command: 'hwc.server.importCompose', arguments: args });

describe('hwc.server.importCompose', () => {
  test('images without a tag come back as a list to pin; nothing is planned', async () => {
    const result = await execute([{ file: fileUri(path.join(fixtures, 'unpinned/compose.yaml')) }]);
    assert.deepEqual(result, { status: 'needs-pin', images: [{ service: 'uptime-kuma', image: 'louislam/uptime-kuma:latest' }, { service: 'dozzle', image: 'amir20/dozzle' }] });
  });

  test('one previewed edit that applies cleanly, lints clean and carries no plaintext secret', async () => {
    const result = await execute([{ file: fileUri(path.join(fixtures, 'paperless/compose.yaml')), publicDomains: { webserver: 'paperless.example.com' } }]);
    assert.equal(result.status, 'planned');
    assert.deepEqual(result.services.map((s) => s.name), ['broker', 'db', 'webserver']);
    const wire = JSON.stringify(result);
    for (const secret of ['correct-horse-battery-staple', 'k9#vQ2!mZ7$pL4wX']) assert.ok(!wire.includes(secret), 'secret values never cross the connection');
    assert.equal(result.edit.changeAnnotations['hwc.importCompose'].needsConfirmation, true);
    for (const change of result.edit.documentChanges) {
      if (change.kind === 'create') assert.equal(change.annotationId, 'hwc.importCompose');
      else for (const edit of change.edits) assert.equal(edit.annotationId, 'hwc.importCompose');
    }
    const touched = applyWorkspaceEdit(result.edit);
    assert.deepEqual(touched.map((f) => fileUri(f)).sort(), [...result.files].sort());
    assert.ok(touched.some((f) => f.endsWith('domains/server/containers/caddy/routes/webserver.nix')), 'the public service gets its route');
    if (hasNix) assertParses(touched);
    assert.deepEqual(await lintFindings(root), [], 'the workspace lints clean after the import');
    assert.deepEqual(filesContaining(root, ['correct-horse-battery-staple']), []);
  });

  test('a broken compose file is a request error naming the problem', async () => {
    await assert.rejects(execute([{ file: fileUri(path.join(fixtures, 'multi-document/compose.yaml')) }]), /holds 2 YAML documents/);
    await assert.rejects(execute([{ file: fileUri(path.join(fixtures, 'missing.yaml')) }]), /no such file/);
  });
});

describe('hwc.server.importCompose: compose secrets', () => {
  // A workspace of its own: the import above already made modules named like these services.
  let secretsServer;
  let secretsRoot;
  before(async () => {
    let keys;
    ({ root: secretsRoot, keys } = scratchWorkspace(path.join(fixtures, 'workspace')));
    writeLintConfig(secretsRoot, { ageRecipients: [ageIdentity(keys).recipient] });
    secretsServer = await startServer(secretsRoot, { initializationOptions: { trusted: true } });
    await secretsServer.waitReady();
  });
  after(() => secretsServer?.stop());
  const execute = (args) => secretsServer.request('workspace/executeCommand', { command: 'hwc.server.importCompose', arguments: args });

  test('compose secrets: encrypted on the server, mounted from agenix, nothing in plaintext on the wire', async () => {
    const result = await execute([{ file: fileUri(path.join(fixtures, 'secrets-wordpress/compose.yaml')) }]);
    assert.equal(result.status, 'planned');
    const wire = JSON.stringify(result);
    for (const secret of ['Tr0ub4dor&3-wp-db', 'r00t-Gz8#qLm2@vX9', 'm9#Lq2!vT7@xZ4%k']) assert.ok(!wire.includes(secret), 'secret values never cross the connection');
    const touched = applyWorkspaceEdit(result.edit);
    assert.ok(touched.some((f) => f.endsWith('domains/secrets/parts/server/db-password.age')));
    const db = readFileSync(path.join(secretsRoot, 'domains/server/containers/db/index.nix'), 'utf8');
    assert.match(db, /"\$\{config\.age\.secrets\."db-password"\.path\}:\/run\/secrets\/db_password:ro"/);
    if (hasNix) assertParses(touched);
    assert.deepEqual(await lintFindings(secretsRoot), [], 'the workspace lints clean after the import');
    assert.deepEqual(filesContaining(secretsRoot, ['Tr0ub4dor&3-wp-db']), []);
  });

  test('a secret file outside the compose folder: the server asks first, and reads it once allowed', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'hwc-compose-consent-'));
    try {
      mkdirSync(path.join(base, 'app'));
      writeFileSync(path.join(base, 'token.txt'), 'outside-token-4Fq8');
      const compose = path.join(base, 'app', 'compose.yaml');
      writeFileSync(compose, 'services:\n  webhook:\n    image: ghcr.io/example/webhook:3.0.1\n    secrets: [token]\nsecrets:\n  token:\n    file: ../token.txt\n');
      const asked = await execute([{ file: fileUri(compose) }]);
      assert.deepEqual(asked, { status: 'needs-consent', files: [{ secret: 'token', path: path.join(base, 'token.txt') }] });
      const planned = await execute([{ file: fileUri(compose), allowRead: [fileUri(path.join(base, 'token.txt'))] }]);
      assert.equal(planned.status, 'planned');
      assert.ok(!JSON.stringify(planned).includes('outside-token-4Fq8'));
      assert.ok(planned.files.some((f) => f.endsWith('/domains/secrets/parts/server/webhook-token.age')));
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

});
