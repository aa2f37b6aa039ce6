// Rename and remove over JSON-RPC on copies of the homelab example: prepareRename finds the container
// name wherever it is written, and the WorkspaceEdit of textDocument/rename, applied the way
// a client applies it (edits in order, then the file and folder renames), leaves exactly the
// files `hwc rename` writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileUri, startServer } from '../helpers/lspClient.mjs';
import { copyHomelab, positionOf } from '../helpers/editorFeatures.mjs';
import { applyWorkspaceEdit, snapshot } from '../helpers/workspaceEdits.mjs';

const hwc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'hwc');

describe('rename on a copy of examples/homelab', () => {
  let server;
  let root;
  const at = (file, needle, delta = 0) => ({ textDocument: { uri: fileUri(path.join(root, file)) }, position: positionOf(fs.readFileSync(path.join(root, file), 'utf8'), needle, delta) });

  before(async () => {
    root = copyHomelab('hwc-rename-lsp-');
    server = await startServer(root);
    await server.waitReady();
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('announces rename with prepare', () => {
    assert.deepEqual(server.initializeResult.capabilities.renameProvider, { prepareProvider: true });
  });

  test('prepareRename finds the name in the attribute, a dependsOn entry, the secret, the profile and the options; not elsewhere', async () => {
    const prepare = (...args) => server.request('textDocument/prepareRename', at(...args));
    const attr = await prepare('domains/server/containers/n8n/index.nix', 'oci-containers.containers.n8n', 28);
    assert.deepEqual(attr, { range: { start: { line: 7, character: 45 }, end: { line: 7, character: 48 } }, placeholder: 'n8n' });
    assert.equal((await prepare('domains/server/containers/paperless/index.nix', '[ "postgres"', 5)).placeholder, 'postgres');
    assert.equal(await prepare('domains/server/containers/paperless/index.nix', 'PAPERLESS_DBHOST = "postgres"', 22), null, 'a host name in the environment is listed by hwc rename, not renamed');
    const secret = await prepare('domains/server/containers/n8n/index.nix', '"n8n-env".path', 6);
    assert.equal(secret.placeholder, 'n8n', 'from the secret n8n-env, the container');
    assert.equal(secret.range.end.character - secret.range.start.character, 3, 'the range covers the name part of the secret');
    assert.equal((await prepare('profiles/server.nix', 'containers/sonarr/index.nix', 12)).placeholder, 'sonarr');
    assert.equal((await prepare('profiles/server.nix', 'hwc.server.containers.radarr.enable', 23)).placeholder, 'radarr');
    assert.equal((await prepare('domains/server/containers/prowlarr/options.nix', 'containers.prowlarr', 12)).placeholder, 'prowlarr');
    assert.equal(await prepare('domains/server/containers/n8n/index.nix', 'DB_POSTGRESDB_DATABASE = "n8n"', 27), null, 'an environment value is not the container name');
    assert.equal(await prepare('domains/server/containers/n8n/index.nix', 'image = ', 2), null);
  });

  test('a refused name is an error and nothing changes', async () => {
    const before = snapshot(root);
    await assert.rejects(server.request('textDocument/rename', { ...at('domains/server/containers/n8n/index.nix', 'oci-containers.containers.n8n', 27), newName: 'Sonarr Two' }), /contains spaces/);
    await assert.rejects(server.request('textDocument/rename', { ...at('domains/server/containers/n8n/index.nix', 'oci-containers.containers.n8n', 27), newName: 'sonarr' }), /a container named `sonarr` already exists/);
    assert.deepEqual(snapshot(root), before);
  });

  test('the WorkspaceEdit, applied, gives exactly what hwc rename writes', async () => {
    const edit = await server.request('textDocument/rename', { ...at('domains/server/containers/radarr/index.nix', '"prowlarr"', 4), newName: 'indexer' });
    const renames = edit.documentChanges.filter((c) => c.kind === 'rename').map((c) => [path.relative(root, fileURLToPath(c.oldUri)), path.relative(root, fileURLToPath(c.newUri))]);
    assert.deepEqual(renames, [
      ['domains/server/containers/prowlarr', 'domains/server/containers/indexer'],
      ['domains/server/containers/caddy/routes/prowlarr.nix', 'domains/server/containers/caddy/routes/indexer.nix'],
    ]);
    const cliCopy = copyHomelab('hwc-rename-cli-');
    try {
      const r = spawnSync(process.execPath, [hwc, 'rename', 'prowlarr', 'indexer', '--root', cliCopy], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      applyWorkspaceEdit(edit);
      assert.deepEqual(snapshot(root), snapshot(cliCopy));
    } finally {
      fs.rmSync(cliCopy, { recursive: true, force: true });
    }
  });
});

describe('Remove container (hwc.server.removeContainer) on a copy of examples/homelab', () => {
  test('untrusted: refused; trusted: dependents refuse, and the edit applied equals hwc remove', async () => {
    const root = copyHomelab('hwc-remove-lsp-');
    const cliCopy = copyHomelab('hwc-remove-cli-');
    const untrusted = await startServer(root);
    try {
      await untrusted.waitReady();
      await assert.rejects(untrusted.request('workspace/executeCommand', { command: 'hwc.server.removeContainer', arguments: [{ name: 'n8n', uri: fileUri(path.join(root, 'flake.nix')) }] }), /trust the workspace first/);
    } finally {
      await untrusted.stop();
    }
    const server = await startServer(root, { initializationOptions: { trusted: true } });
    try {
      await server.waitReady();
      const remove = (args) => server.request('workspace/executeCommand', { command: 'hwc.server.removeContainer', arguments: [{ uri: fileUri(path.join(root, 'flake.nix')), ...args }] });
      const refused = await remove({ name: 'postgres' });
      assert.deepEqual(refused.dependents.sort(), ['n8n', 'paperless']);
      assert.match(refused.refused, /still in the dependsOn of/);

      const result = await remove({ name: 'n8n' });
      assert.deepEqual(result.secrets, ['n8n-env']);
      assert.deepEqual(result.deletes, ['domains/secrets/parts/server/n8n-env.age', 'domains/server/containers/caddy/routes/n8n.nix', 'domains/server/containers/n8n/index.nix', 'domains/server/containers/n8n/options.nix']);
      assert.deepEqual(result.edits, ['domains/secrets/index.nix', 'profiles/server.nix', 'secrets.nix']);
      const kept = await remove({ name: 'n8n', keepSecret: true });
      assert.ok(!kept.deletes.includes('domains/secrets/parts/server/n8n-env.age'));

      const r = spawnSync(process.execPath, [hwc, 'remove', 'n8n', '--root', cliCopy], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      applyWorkspaceEdit(result.edit);
      assert.deepEqual(snapshot(root), snapshot(cliCopy));
      assert.ok(!fs.existsSync(path.join(root, 'domains/server/containers/n8n')), 'the emptied module folder is deleted too');
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(cliCopy, { recursive: true, force: true });
    }
  });
});

describe('Move state to another category (hwc.server.moveState) on a copy of examples/homelab', () => {
  test('offers the configured categories, refuses an unknown one, and its edit applied equals hwc move', async () => {
    const root = copyHomelab('hwc-move-lsp-');
    const cliCopy = copyHomelab('hwc-move-cli-');
    const server = await startServer(root);
    try {
      await server.waitReady();
      const move = (args) => server.request('workspace/executeCommand', { command: 'hwc.server.moveState', arguments: [{ name: 'uptime-kuma', uri: fileUri(path.join(root, 'flake.nix')), ...args }] });
      assert.deepEqual(await move({}), { categories: ['media', 'services', 'databases', 'monitoring', 'business'], current: 'apps', stateRoot: '/opt' });
      assert.match((await move({ category: 'apps' })).refused, /`apps` is not a state category/);
      const result = await move({ category: 'monitoring' });
      assert.deepEqual(result.edits, ['domains/server/containers/uptime-kuma/index.nix']);
      assert.match(result.notes[0], /mv \/opt\/apps\/uptime-kuma \/opt\/monitoring\/uptime-kuma$/);
      const r = spawnSync(process.execPath, [hwc, 'move', 'uptime-kuma', 'monitoring', '--root', cliCopy], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      applyWorkspaceEdit(result.edit);
      assert.deepEqual(snapshot(root), snapshot(cliCopy));
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(cliCopy, { recursive: true, force: true });
    }
  });
});
