// The server on a repository that follows the house layout loosely: discovered
// conventions fill the settings .hwc-lint.json leaves out (its diagnostics equal
// `hwc lint`'s, with no routes or downloads findings), `hwc.server.proposeConfig` returns
// the file `hwc init` would write and writes nothing, and editing .hwc-lint.json wins
// over discovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileUri, startServer } from '../helpers/lspClient.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = path.join(repo, 'test/fixtures/adoption/loose-flake');

function copyFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-configure-'));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

test('discovered conventions reach the editor; the proposal is the file hwc init writes; the file wins once edited', async () => {
  const dir = copyFixture();
  const cli = spawnSync(process.execPath, [path.join(repo, 'bin', 'hwc'), 'lint', '--format', 'json', '--root', dir], { encoding: 'utf8' });
  const expected = JSON.parse(cli.stdout).map((f) => `${f.file}:${f.line}:${f.rule}`).sort();
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const flatten = () =>
      [...server.diagnostics.values()].flatMap((p) => p.diagnostics.map((d) => `${path.relative(dir, fileURLToPath(p.uri)).split(path.sep).join('/')}:${d.range.start.line + 1}:${d.code}`)).sort();
    await server.waitFor(() => flatten().length === expected.length, 10000, `${expected.length} diagnostics`);
    assert.deepEqual(flatten(), expected, 'the editor and hwc lint agree');
    assert.ok(!flatten().some((k) => /proxy-route-missing|downloads/.test(k)), 'routes.nix is read as the routes file');

    const proposal = await server.request('workspace/executeCommand', { command: 'hwc.server.proposeConfig', arguments: [{ folder: fileUri(dir) }] });
    assert.equal(proposal.before, null);
    assert.equal(proposal.uri, fileUri(path.join(dir, '.hwc-lint.json')));
    const init = spawnSync(process.execPath, [path.join(repo, 'bin', 'hwc'), 'init', '--dry-run', '--root', dir], { encoding: 'utf8' });
    assert.ok(init.stdout.includes(proposal.diff), 'the same diff as hwc init');
    assert.deepEqual(proposal.added.map((a) => a.key).sort(), ['categories', 'mediaPrefixes', 'modulesImportFile', 'namespace', 'namespaceAliases', 'profile', 'routesFile', 'secretsFolder', 'secretsIndex', 'timezone', 'tmpfiles']);
    assert.ok(proposal.added.every((a) => a.reason.length > 0));
    assert.ok(!fs.existsSync(path.join(dir, '.hwc-lint.json')), 'proposing writes nothing');

    // The user pins categories by hand: the file wins, /opt/downloads is no category again.
    fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{\n  // only the house categories\n  "categories": ["media", "services", "databases", "monitoring", "business"]\n}\n');
    server.filesChanged([{ uri: fileUri(path.join(dir, '.hwc-lint.json')), type: 1 }]);
    await server.waitFor(() => flatten().filter((k) => k.endsWith('state-path-category')).length === 5, 10000, 'state-path-category on the four downloads containers and homepage');
    assert.ok(!flatten().some((k) => k.endsWith('proxy-route-missing')), 'the other discovered settings still apply');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('files changing on disk are discovered again: routes.nix appearing makes it the routes file', async () => {
  const dir = copyFixture();
  const routes = path.join(dir, 'domains/server/routes.nix');
  const text = fs.readFileSync(routes, 'utf8');
  fs.rmSync(routes);
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const missing = () => [...server.diagnostics.values()].flatMap((p) => p.diagnostics).filter((d) => d.code === 'proxy-route-missing').length;
    await server.waitFor(() => missing() === 9, 10000, 'proxy-route-missing for the 9 modules with a domain, no routes known');
    fs.writeFileSync(routes, text);
    server.filesChanged([{ uri: fileUri(routes), type: 1 }]);
    await server.waitFor(() => missing() === 0, 10000, 'the routes file discovered and read as routes');
    const proposal = await server.request('workspace/executeCommand', { command: 'hwc.server.proposeConfig', arguments: [] });
    assert.ok(proposal.added.some((a) => a.key === 'routesFile'));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
