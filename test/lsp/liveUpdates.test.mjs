// The workspace index stays current as files change on disk and in the editor:
// findings in one file appear and disappear because of edits to another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { copyHomelab } from '../helpers/editorFeatures.mjs';

const copyExample = () => copyHomelab('hwc-live-');

const codes = (diagnostics) => diagnostics.map((d) => d.code);

test('a tmpfiles rule added in another file clears state-dir-missing-tmpfiles', async () => {
  const dir = copyExample();
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const paperless = fileUri(path.join(dir, 'domains/server/containers/paperless/index.nix'));
    const before = await server.waitDiagnostics(paperless, (d) => codes(d).includes('state-dir-missing-tmpfiles'));
    assert.equal(before.filter((d) => d.code === 'state-dir-missing-tmpfiles').length, 2);
    // A new file, created on disk, that creates the state directory.
    const storage = path.join(dir, 'domains/server/storage.nix');
    fs.writeFileSync(storage, '{ ... }:\n{\n  systemd.tmpfiles.rules = [\n    "d /opt/business/paperless 0755 1000 1000 -"\n  ];\n}\n');
    server.filesChanged([{ uri: fileUri(storage), type: 1 }]);
    await server.waitDiagnostics(paperless, (d) => !codes(d).includes('state-dir-missing-tmpfiles'));
    // Deleting it brings the finding back.
    fs.rmSync(storage);
    server.filesChanged([{ uri: fileUri(storage), type: 3 }]);
    await server.waitDiagnostics(paperless, (d) => codes(d).filter((c) => c === 'state-dir-missing-tmpfiles').length === 2);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('deleting a .age file raises secret-file-missing on its declaration', async () => {
  const dir = copyExample();
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const secretsIndex = fileUri(path.join(dir, 'domains/secrets/index.nix'));
    const ageFile = path.join(dir, 'domains/secrets/parts/server/postgres-env.age');
    assert.ok(fs.existsSync(ageFile));
    fs.rmSync(ageFile);
    server.filesChanged([{ uri: fileUri(ageFile), type: 3 }]);
    const diagnostics = await server.waitDiagnostics(secretsIndex, (d) => codes(d).includes('secret-file-missing'));
    const finding = diagnostics.find((d) => d.code === 'secret-file-missing');
    assert.match(finding.message, /postgres-env/);
    assert.equal(finding.severity, 1);
    assert.ok(finding.relatedInformation?.length >= 1, 'points at the declaration');
    // Restoring the file clears it.
    fs.writeFileSync(ageFile, 'age-encryption.org/v1\n');
    server.filesChanged([{ uri: fileUri(ageFile), type: 1 }]);
    await server.waitDiagnostics(secretsIndex, (d) => !codes(d).includes('secret-file-missing'));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('renaming a container in the editor raises depends-on-unknown where others depend on it', async () => {
  const dir = copyExample();
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const postgresFile = path.join(dir, 'domains/server/containers/postgres/index.nix');
    const n8n = fileUri(path.join(dir, 'domains/server/containers/n8n/index.nix'));
    const text = fs.readFileSync(postgresFile, 'utf8');
    const uri = server.open(postgresFile, text);
    await server.waitDiagnostics(uri, () => true);
    const renamed = text.replace('containers.postgres =', 'containers.postgresql =');
    assert.notEqual(renamed, text, 'the example defines containers.postgres');
    server.change(uri, [{ text: renamed }]);
    const diagnostics = await server.waitDiagnostics(n8n, (d) => codes(d).includes('depends-on-unknown'));
    assert.match(diagnostics.find((d) => d.code === 'depends-on-unknown').message, /postgres/);
    // Undo in the editor: the finding goes away again.
    server.change(uri, [{ text }]);
    await server.waitDiagnostics(n8n, (d) => !codes(d).includes('depends-on-unknown'));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid .hwc-lint.json gives config-invalid at the key and the server keeps linting on defaults', async () => {
  const dir = copyExample();
  const config = path.join(dir, '.hwc-lint.json');
  fs.writeFileSync(config, '{\n  "categories": "media"\n}\n');
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const diagnostics = await server.waitDiagnostics(fileUri(config), (d) => codes(d).includes('config-invalid'));
    assert.equal(diagnostics[0].range.start.line, 1);
    const kuma = fileUri(path.join(dir, 'domains/server/containers/uptime-kuma/index.nix'));
    await server.waitDiagnostics(kuma, (d) => codes(d).includes('state-path-category'));
    // Fixing the config on disk clears the finding.
    fs.writeFileSync(config, '{\n  "categories": ["media", "services", "databases", "monitoring", "business", "apps"]\n}\n');
    server.filesChanged([{ uri: fileUri(config), type: 2 }]);
    await server.waitDiagnostics(fileUri(config), (d) => d.length === 0);
    await server.waitDiagnostics(kuma, (d) => !codes(d).includes('state-path-category'));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a burst of didChange is analysed once, at its last version', async () => {
  const dir = copyExample();
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const file = path.join(dir, 'domains/server/containers/sonarr/index.nix');
    const text = fs.readFileSync(file, 'utf8');
    const uri = server.open(file, text);
    // sonarr is clean: nothing is published for it until an edit breaks something.
    const line = text.split('\n').findIndex((l) => l.includes(':8989"'));
    const character = text.split('\n')[line].indexOf(':8989"') + 5;
    const start = server.notifications.length;
    // Every other state has an invalid container port (89890), so a lint per change would
    // publish 21 times; the burst ends broken.
    let version = 0;
    for (let i = 0; i < 21; i++) {
      const range = i % 2 === 0 ? { start: { line, character }, end: { line, character } } : { start: { line, character }, end: { line, character: character + 1 } };
      version = server.change(uri, [{ range, text: i % 2 === 0 ? '0' : '' }]);
    }
    const final = await server.waitFor(() => {
      const d = server.diagnostics.get(uri);
      return d?.version === version ? d.diagnostics : undefined;
    }, 10000, `diagnostics for version ${version}`);
    assert.deepEqual(codes(final), ['invalid-port-mapping']);
    const publishes = server.notifications.slice(start).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
    assert.ok(publishes.length <= 3, `${publishes.length} publishes for one burst of 21 changes`);
    assert.equal(publishes.at(-1).params.version, version);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
