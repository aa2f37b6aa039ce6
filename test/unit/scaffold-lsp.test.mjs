// The generator over workspace/executeCommand, against the real server on stdio: the
// wizard's context, a WorkspaceEdit that lints clean once applied, edits computed against
// (and versioned with) an open document's unsaved text, and refusals as request errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../helpers/lspClient.mjs';
import { applyWorkspaceEdit, assertParses, cleanup, hasNix, lintFindings, newFindings, scratchWorkspace } from '../fixtures/scaffold/harness.mjs';

let server;
let root;
after(async () => {
  await server?.stop();
  cleanup();
});
before(async () => {
  ({ root } = scratchWorkspace());
  // New Container writes files: the client tells the server the workspace is trusted.
  server = await startServer(root, { initializationOptions: { trusted: true } });
  await server.waitReady();
});

const execute = (command, args) => server.request('workspace/executeCommand', { command, arguments: args });

describe('hwc.server.newContainerContext', () => {
  test('what the wizard offers and checks against', async () => {
    const context = await execute('hwc.server.newContainerContext', []);
    assert.ok(context.containers.includes('sonarr') && context.containers.includes('prowlarr'));
    assert.ok(context.images.includes('lscr.io/linuxserver/sonarr:4.0.14'));
    assert.deepEqual(context.networks.map((n) => [n.name, n.created]), [['hwc-db', true]]);
    assert.ok(context.publishedPorts.some((p) => p.container === 'sonarr' && p.hostPort === 8989 && p.hostIp === '127.0.0.1'));
    assert.deepEqual(context.conventions.categories, ['media', 'services', 'databases', 'monitoring', 'business']);
    assert.deepEqual(context.recipients, ['age1dw29222anuscqtqnf6e29zyh5yhfkpuqjt3ht7j9n0wd3vd07egsucq724']);
    assert.equal(context.recipientsSource, 'secrets.nix');
    assert.ok(context.domains.includes('sonarr.local'));
    assert.match(context.folder, /^file:\/\//);
  });
});

describe('hwc.server.generateContainer', () => {
  test('an edit that applies cleanly and lints clean; open documents are respected', async () => {
    const baseline = await lintFindings(root);
    // The profile is open with an unsaved comment on top: the edit must target that text and version.
    const profileFile = path.join(root, 'profiles/server.nix');
    const unsaved = `# unsaved line\n${readFileSync(profileFile, 'utf8')}`;
    const profileUri = server.open(profileFile, unsaved);
    const version = server.change(profileUri, [{ text: unsaved }]);
    const result = await execute('hwc.server.generateContainer', [{ name: 'radicale', image: 'tomsquest/docker-radicale:3.3.2.0', ports: ['5232:5232'], proxy: { domain: 'dav.local' }, dependsOn: ['postgres'] }]);
    assert.ok(Array.isArray(result.notes) && result.notes.length > 0);
    assert.match(result.entry, /domains\/server\/containers\/radicale\/index\.nix$/);
    const profileEdit = result.edit.documentChanges.find((c) => c.textDocument?.uri === profileUri);
    assert.equal(profileEdit.textDocument.version, version);
    assert.ok(profileEdit.edits.every((e) => e.range.start.line >= 1), 'positions count the unsaved line');
    // What an editor would save: the open text with the edit applied.
    server.close(profileUri);
    writeFileSync(profileFile, unsaved);
    const touched = applyWorkspaceEdit(result.edit);
    assert.deepEqual(touched.map((f) => `file://${f}`).sort(), [...result.files].sort());
    if (hasNix) assertParses(touched);
    assert.match(readFileSync(profileFile, 'utf8'), /^# unsaved line\n/);
    assert.deepEqual(newFindings(baseline, await lintFindings(root)), []);
  });

  test('asked for folder creates (the VS Code client does), one undo can remove the new folders too', async () => {
    const folder = `file://${root}`;
    const result = await execute('hwc.server.generateContainer', [{ name: 'miniflux', image: 'ghcr.io/miniflux/miniflux:2.2.6', ports: ['8088:8080'], proxy: {} }, { folder, createFolders: true }]);
    const changes = result.edit.documentChanges;
    const describe = (c) => (c.kind === 'create' ? `${c.options.folder ? 'folder' : 'file'} ${c.uri.slice(folder.length + 1)}` : `text ${c.textDocument.uri.slice(folder.length + 1)}`);
    assert.deepEqual(changes.map(describe), [
      'file domains/server/containers/miniflux/options.nix',
      'file domains/server/containers/miniflux/index.nix',
      'file domains/server/containers/caddy/routes/miniflux.nix',
      'folder domains/server/containers/miniflux',
      'text domains/server/containers/miniflux/options.nix',
      'text domains/server/containers/miniflux/index.nix',
      'text domains/server/containers/caddy/routes/miniflux.nix',
      'text profiles/server.nix',
    ]);
    assert.deepEqual(changes[3].options, { overwrite: false, ignoreIfExists: false, folder: true, recursive: true });
    // Not applied: the next test starts from the same workspace.
  });

  test('a refusal is a request error carrying every problem', async () => {
    await assert.rejects(execute('hwc.server.generateContainer', [{ name: '../x', image: 'nginx:latest' }]), (error) => {
      assert.match(error.message, /path characters/);
      assert.match(error.message, /latest/);
      assert.deepEqual(error.data.problems.map((p) => p.field).sort(), ['image', 'name']);
      return true;
    });
  });
});
