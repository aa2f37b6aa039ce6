// Drift between package.json and the client: every command a menu names is declared,
// every declared command is registered in client/src (hwc.newContainer by the New Container
// wizard in client/src/newContainer), and back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const { contributes } = manifest;
const declared = new Set(contributes.commands.map((c) => c.command));
const registeredElsewhere = new Set();

const clientDir = path.join(root, 'client/src');
const clientSource = readdirSync(clientDir, { recursive: true })
  .filter((file) => String(file).endsWith('.ts'))
  .map((file) => readFileSync(path.join(clientDir, String(file)), 'utf8'))
  .join('\n');
const registered = new Set([...clientSource.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]));

test('every command named in a menu is declared in contributes.commands', () => {
  for (const [menu, items] of Object.entries(contributes.menus)) {
    for (const item of items) if (item.command) assert.ok(declared.has(item.command), `${menu} names undeclared ${item.command}`);
  }
});

test('every declared command is registered by the client', () => {
  for (const id of declared) {
    if (registeredElsewhere.has(id)) continue;
    assert.ok(registered.has(id), `${id} is declared in package.json but no client/src file calls registerCommand('${id}'`);
  }
});

test('the client registers no undeclared command, and hwc.newContainer in the wizard', () => {
  for (const id of registered) assert.ok(declared.has(id), `${id} is registered but not declared in package.json`);
  assert.ok(declared.has('hwc.newContainer'));
  assert.match(readFileSync(path.join(clientDir, 'newContainer/index.ts'), 'utf8'), /registerCommand\('hwc\.newContainer'/, 'hwc.newContainer belongs to the New Container wizard');
});

test('commands are in the HWC category and unique', () => {
  assert.equal(declared.size, contributes.commands.length, 'duplicate command ids');
  for (const command of contributes.commands) assert.equal(command.category, 'HWC', command.command);
});

test('commands that run programs are disabled in untrusted workspaces', () => {
  const runsPrograms = ['hwc.dryBuild', 'hwc.switch', 'hwc.podmanStatus', 'hwc.podmanLogs', 'hwc.testEndpoint', 'hwc.containerLogs', 'hwc.containerStatus'];
  for (const id of runsPrograms) {
    assert.equal(contributes.commands.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
  }
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(manifest.capabilities.untrustedWorkspaces.description);
});

test('Configure for This Repository writes .hwc-lint.json: trusted workspaces only, checked again in the client before writing', () => {
  assert.equal(contributes.commands.find((c) => c.command === 'hwc.configureRepository')?.enablement, 'isWorkspaceTrusted');
  const source = readFileSync(path.join(clientDir, 'configureRepository.ts'), 'utf8');
  const trustCheck = source.indexOf('vscode.workspace.isTrusted');
  assert.ok(trustCheck > 0 && trustCheck < source.indexOf('applyEdit('), 'the trust check comes before any write');
  assert.ok(source.indexOf("'vscode.diff'") < source.indexOf('applyEdit('), 'the diff is shown before writing');
  assert.match(source, /modal: true/, 'writing needs an explicit confirmation');
});

test('view-only commands are hidden from the command palette', () => {
  const hidden = new Set(contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
  for (const id of ['hwc.refreshContainers', 'hwc.containerLogs', 'hwc.containerStatus', 'hwc.openRoute', 'hwc.openModuleFolder']) {
    assert.ok(hidden.has(id), `${id} should be hidden from the palette`);
  }
});

test('the containers view and its item context values match the client', () => {
  assert.ok(contributes.views.explorer.some((v) => v.id === 'hwcContainers'));
  assert.match(clientSource, /createTreeView\('hwcContainers'/);
  for (const item of contributes.menus['view/item/context']) {
    for (const value of item.when.matchAll(/viewItem == (\w+)/g)) assert.match(clientSource, new RegExp(`'${value[1]}'`), `context value ${value[1]}`);
  }
});

test('settings keep the names and defaults the server schema mirrors', () => {
  const properties = contributes.configuration.properties;
  const defaults = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, value.default]));
  assert.deepEqual(defaults, {
    'hwc.enable': true,
    'hwc.trace.server': 'off',
    'hwc.rules': {},
    'hwc.fixAll.includeUnsafe': false,
    'hwc.flakeHost': 'server',
    'hwc.maxFileSizeKb': 1024,
    'hwc.registry.lookups': 'off',
    'hwc.baseline.show': 'hint',
  });
  // Registry lookups tell registries which images you use: only the user turns them on, never a workspace.
  assert.equal(properties['hwc.registry.lookups'].scope, 'application');
  assert.deepEqual(properties['hwc.baseline.show'].enum, ['hint', 'hide']);
  assert.deepEqual(properties['hwc.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(properties['hwc.rules'].additionalProperties.enum, ['error', 'warning', 'info', 'hint', 'off']);
});

test('activation events', () => {
  assert.deepEqual(manifest.activationEvents, ['onLanguage:nix', 'workspaceContains:domains/server/containers', 'workspaceContains:.hwc-lint.json']);
});

test('the Getting Started walkthrough: every step has packaged media and its command links name declared commands', () => {
  const [walkthrough] = contributes.walkthroughs;
  assert.equal(walkthrough.id, 'gettingStarted');
  const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
  for (const step of walkthrough.steps) {
    const media = step.media.markdown;
    assert.ok(readFileSync(path.join(root, media), 'utf8').startsWith('# '), `${step.id}: ${media} exists`);
    assert.ok(ignore.includes(`!${path.dirname(media)}/*.md`), `${step.id}: ${media} is packaged (.vscodeignore)`);
    for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
      if (command.startsWith('hwc.')) assert.ok(declared.has(command), `${step.id}: ${command} is declared`);
    }
  }
});

test('the .vsix holds the parse worker the server starts for its first scan of a large root', () => {
  const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
  // Without it, workspace/parallel.ts would start out/server.js itself as the worker, which starts a server.
  for (const bundle of ['out/server.js', 'out/parseWorker.js']) assert.ok(ignore.includes(`!${bundle}`), `${bundle} is packaged`);
});
