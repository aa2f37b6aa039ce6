// The validation commands as programs with argument arrays (client/src/hostCommands.ts):
// what runs for a container, a host and the endpoint test, and what the user is shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTs } from '../helpers/loadTs.mjs';

const host = loadTs('client/src/hostCommands.ts');
const argv = (c) => [c.program, ...c.args];

test('nixos-rebuild with the flake host', () => {
  assert.deepEqual(argv(host.nixosRebuildCommand('dry-build', 'server')), ['nixos-rebuild', 'dry-build', '--flake', '.#server']);
  const c = host.nixosRebuildCommand('switch', 'hwc-server.1');
  assert.deepEqual(c.args, ['switch', '--flake', '.#hwc-server.1']);
  assert.equal(c.display, "nixos-rebuild switch --flake '.#hwc-server.1'");
  for (const bad of ['', 'server; rm -rf ~', '$(id)', 'a b', 'x\u0015id']) assert.throws(() => host.nixosRebuildCommand('switch', bad), /hwc\.flakeHost/);
});

test('podman status and logs: the name is one argument, the filter an anchored exact match', () => {
  assert.deepEqual(argv(host.podmanStatusCommand()), ['sudo', 'podman', 'ps', '--all']);
  assert.deepEqual(argv(host.podmanStatusCommand('sonarr')), ['sudo', 'podman', 'ps', '--all', '--filter', 'name=^sonarr$']);
  assert.deepEqual(host.podmanStatusCommand('media.sonarr').args.at(-1), 'name=^media\\.sonarr$');
  assert.deepEqual(argv(host.podmanLogsCommand('sonarr')), ['sudo', 'podman', 'logs', '--follow', '--', 'sonarr']);
  assert.equal(host.podmanLogsCommand('sonarr').display, 'sudo podman logs --follow -- sonarr');
});

test('names Podman would refuse are refused before anything runs, and shown escaped', () => {
  for (const name of ["it's", 'x\u0015sudo id', '-rf', '', 'a b', 'x\u2018y', 'é']) {
    assert.throws(() => host.podmanLogsCommand(name), (error) => error instanceof host.RefusedInputError && /Podman container name/.test(error.message) && !/[\u0000-\u001f]/.test(error.message), JSON.stringify(name));
  }
  assert.throws(() => host.podmanStatusCommand('x\u0015id'), /"x\\u\{15\}id"/);
});

test('host side of published ports', () => {
  assert.equal(host.hostEndpoint('8989:8989'), 'localhost:8989');
  assert.equal(host.hostEndpoint('127.0.0.1:5432:5432'), 'localhost:5432');
  assert.equal(host.hostEndpoint('0.0.0.0:8080:80/tcp'), 'localhost:8080');
  assert.equal(host.hostEndpoint('192.168.1.5:8080:80'), '192.168.1.5:8080');
  assert.equal(host.hostEndpoint('[::1]:8080:80'), 'localhost:8080');
  assert.equal(host.hostEndpoint('[fd00::5]:8080:80'), '[fd00::5]:8080');
  assert.equal(host.hostEndpoint('8000-8010:8000-8010'), 'localhost:8000');
  for (const mapping of ['53:53/udp', '8080', '127.0.0.1::80', '${toString cfg.port}:8080']) assert.equal(host.hostEndpoint(mapping), undefined, mapping);
  for (const mapping of ['$(id):80:80', '10.0.0.1\u0015:80:80', '[::1;id]:80:80', 'example.com:80:80', '999.1.1.1:80:80', '70000:80']) assert.equal(host.hostEndpoint(mapping), null, mapping);
});

test('endpoint test: one curl for every distinct port and the domain; bad entries listed, never run', () => {
  const { command, refused } = host.endpointTestCommand(['8989:8989', '127.0.0.1:8989:8989', '53:53/udp', '$(touch x):80:80'], 'sonarr.local');
  assert.deepEqual(refused, ['$(touch x):80:80']);
  assert.deepEqual(argv(command), ['curl', '--silent', '--show-error', '--write-out', '%{url_effective} %{http_code}\\n', '--output', '/dev/null', 'http://localhost:8989', '--output', '/dev/null', 'http://sonarr.local']);
  assert.deepEqual(host.endpointTestCommand([], null), { command: undefined, refused: [] });
  assert.deepEqual(host.endpointTestCommand([], '${cfg.domain}'), { command: undefined, refused: [] });
  assert.deepEqual(host.endpointTestCommand([], 'a.com;id'), { command: undefined, refused: ['a.com;id'] });
});
