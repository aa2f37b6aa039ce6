// The workspace index: option defaults resolve across files and through renamed
// namespaces, imports are followed through folders and `++`, and cached findings follow
// every edit (an option default changed, an option file added or removed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const fixture = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'workspace', 'cross-file');

async function load() {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-index-'));
  fs.cpSync(fixture, dir, { recursive: true });
  const workspace = new engine.Workspace(dir);
  workspace.loadAll();
  const findings = () =>
    [...engine.workspaceDiagnostics(workspace).values()].flat().map((d) => ({ rule: d.rule, file: d.src.file, line: d.src.range.start.line + 1, message: d.message, related: d.related }));
  return { dir, workspace, findings, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('an option default declared in another module resolves inside interpolations', async () => {
  const ws = await load();
  const category = ws.findings().find((f) => f.rule === 'state-path-category');
  assert.ok(category, JSON.stringify(ws.findings(), null, 2));
  assert.match(category.message, /`\/opt\/apps\/sonarr`/);
  assert.equal(category.file, 'domains/server/containers/sonarr/index.nix');
  ws.cleanup();
});

test('a finding on an option default sits on the literal in options.nix and points at the use', async () => {
  const ws = await load();
  const latest = ws.findings().find((f) => f.rule === 'image-latest-tag');
  assert.equal(latest.file, 'domains/server/containers/sonarr/options.nix');
  assert.equal(latest.line, 7);
  assert.equal(latest.related?.[0].src.file, 'domains/server/containers/sonarr/index.nix');
  ws.cleanup();
});

test('mkRenamedOptionModule makes the old namespace an alias of the new one', async () => {
  const ws = await load();
  const findings = ws.findings();
  const port = findings.find((f) => f.rule === 'invalid-port-mapping');
  assert.ok(port, 'cfg.port of the aliased namespace resolves to the default 70000');
  assert.match(port.message, /70000/);
  assert.ok(!findings.some((f) => f.rule === 'namespace-mismatch'), 'the alias is not a namespace mismatch');
  ws.cleanup();
});

test('imports are followed through a folder (default.nix) and lists joined with ++', async () => {
  const ws = await load();
  assert.ok(!ws.findings().some((f) => f.rule === 'module-not-enabled'), JSON.stringify(ws.findings(), null, 2));
  // Drop the bundle from the profile: both modules are no longer imported.
  const profile = path.join(ws.dir, 'profiles/server.nix');
  ws.workspace.updateText('profiles/server.nix', fs.readFileSync(profile, 'utf8').replace('../domains/server/containers/bundle', ''));
  const notEnabled = ws.findings().filter((f) => f.rule === 'module-not-enabled').map((f) => f.file).sort();
  assert.deepEqual(notEnabled, ['domains/server/containers/legacy/index.nix', 'domains/server/containers/sonarr/index.nix']);
  ws.cleanup();
});

test('cached findings follow edits to the option defaults they read', async () => {
  const ws = await load();
  const options = 'domains/server/containers/sonarr/options.nix';
  const original = fs.readFileSync(path.join(ws.dir, options), 'utf8');
  assert.ok(ws.findings().some((f) => f.rule === 'image-latest-tag'));
  ws.workspace.updateText(options, original.replace('sonarr:latest', 'sonarr:4.0.9'));
  assert.ok(!ws.findings().some((f) => f.rule === 'image-latest-tag'), 'pinning the default clears the finding');
  ws.workspace.updateText(options, original);
  assert.ok(ws.findings().some((f) => f.rule === 'image-latest-tag'), 'and restoring it brings it back');

  const paths = 'modules/paths.nix';
  const pathsText = fs.readFileSync(path.join(ws.dir, paths), 'utf8');
  ws.workspace.updateText(paths, pathsText.replace('"/opt"', '"/srv"'));
  assert.ok(!ws.findings().some((f) => f.rule === 'state-path-category'), 'state under /srv is outside the state root');
  ws.workspace.remove(paths);
  assert.ok(!ws.findings().some((f) => f.rule === 'state-path-category'), 'without the option, the path is unknown: silence');
  ws.workspace.updateText(paths, pathsText);
  assert.ok(ws.findings().some((f) => f.rule === 'state-path-category'), 'a re-added option file resolves again');
  ws.cleanup();
});

test('every fixture file is valid Nix for the real parser', async (t) => {
  const { spawnSync } = await import('node:child_process');
  if (spawnSync('nix-instantiate', ['--version']).error) return t.skip('nix-instantiate is not installed');
  const files = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.nix') && files.push(path.join(d, e.name))));
  walk(fixture);
  const result = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...files], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});
