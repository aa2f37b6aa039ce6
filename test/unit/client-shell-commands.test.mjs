// The exact command lines of the validation commands (client/src/shellCommands.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
function loadTs(entry) {
  const { outputFiles } = esbuild.buildSync({ entryPoints: [path.join(root, entry)], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', outputFiles[0].text)(module, module.exports);
  return module.exports;
}
const shell = loadTs('client/src/shellCommands.ts');

test('nixos-rebuild with the flake host', () => {
  assert.equal(shell.nixosRebuildCommand('dry-build', 'server'), 'nixos-rebuild dry-build --flake .#server');
  assert.equal(shell.nixosRebuildCommand('switch', 'hwc-server.1'), 'nixos-rebuild switch --flake .#hwc-server.1');
  for (const host of ['', 'server; rm -rf ~', '$(id)', 'a b']) assert.throws(() => shell.nixosRebuildCommand('switch', host), /hwc\.flakeHost/);
});

test('podman status and logs', () => {
  assert.equal(shell.podmanStatusCommand(), 'sudo podman ps --all');
  assert.equal(shell.podmanStatusCommand('sonarr'), "sudo podman ps --all --filter 'name=^sonarr$'");
  assert.equal(shell.podmanLogsCommand('sonarr'), 'sudo podman logs -f sonarr');
  assert.equal(shell.podmanLogsCommand("it's"), "sudo podman logs -f 'it'\\''s'");
});

test('host side of published ports', () => {
  assert.equal(shell.hostEndpoint('8989:8989'), 'localhost:8989');
  assert.equal(shell.hostEndpoint('127.0.0.1:5432:5432'), 'localhost:5432');
  assert.equal(shell.hostEndpoint('0.0.0.0:8080:80/tcp'), 'localhost:8080');
  assert.equal(shell.hostEndpoint('192.168.1.5:8080:80'), '192.168.1.5:8080');
  assert.equal(shell.hostEndpoint('[::1]:8080:80'), 'localhost:8080');
  assert.equal(shell.hostEndpoint('8000-8010:8000-8010'), 'localhost:8000');
  for (const mapping of ['53:53/udp', '8080', '127.0.0.1::80', '${toString cfg.port}:8080']) assert.equal(shell.hostEndpoint(mapping), undefined, mapping);
});

test('endpoint tests: one curl per distinct port, then the domain', () => {
  assert.deepEqual(shell.endpointTestCommands(['8989:8989', '127.0.0.1:8989:8989', '53:53/udp'], 'sonarr.local'), [
    "curl -sS -o /dev/null -w '%{http_code}\\n' http://localhost:8989",
    "curl -sS -o /dev/null -w '%{http_code}\\n' http://sonarr.local",
  ]);
  assert.deepEqual(shell.endpointTestCommands([], null), []);
  assert.deepEqual(shell.endpointTestCommands([], '${cfg.domain}'), []);
});
