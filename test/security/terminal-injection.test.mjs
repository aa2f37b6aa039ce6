// Issue 15, item 1: container names and host addresses from repository files used to be typed
// into the user's shell (Show logs / Status / Test endpoint), where a Ctrl-U byte erased the
// typed line and fish's `\'` closed a quote early, so repository text ran as a command. Now
// each command is one program with an argument array (a ProcessExecution task), and what
// does not validate is refused. These tests perform the attacks against the real command
// builders and real shells (bash, zsh, dash, fish): the payloads are refused, nothing runs,
// and the commands we do show or suggest mean the same argv in every shell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadTs } from '../helpers/loadTs.mjs';

const host = loadTs('client/src/hostCommands.ts');
const { suggestedCommand } = loadTs('server/src/suggestedCommand.ts');

const SHELLS = [
  ['bash', ['--norc', '--noprofile', '-c']],
  ['zsh', ['-f', '-c']],
  ['dash', ['-c']],
  ['fish', ['--no-config', '-c']],
].filter(([shell]) => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

/** A folder of stand-ins for sudo, podman, curl, nixos-rebuild and age that record their argv and do nothing else. */
function stubs() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-inject-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const name of ['sudo', 'podman', 'curl', 'nixos-rebuild', 'age', 'id', 'touch']) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s\\0' "${name}" "$@" >> "$ARGV_LOG"\nprintf '\\n' >> "$ARGV_LOG"\n`, { mode: 0o755 });
  }
  const log = path.join(dir, 'argv.log');
  const env = { PATH: `${bin}:/usr/bin:/bin`, ARGV_LOG: log, HOME: dir };
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\0\n').filter(Boolean).map((r) => r.split('\0')) : []);
  return { dir, env, calls, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// What the review typed into terminals, and variants for other shells.
const HOSTILE_NAMES = [
  'x\u0015sudo touch /tmp/pwned', // Ctrl-U erases the typed line in bash, zsh, dash and fish
  "x'; touch pwned; '", // POSIX quote break
  "x\\'; touch pwned; #", // fish: \' ends a single-quoted string early
  'x\u0003touch pwned', // Ctrl-C
  'x$(touch pwned)',
  'x`touch pwned`',
  'x\u2018; touch pwned', // PowerShell treats U+2018 as a quote
  'x\ntouch pwned',
  'x\rtouch pwned',
  '--help',
];

test('hostile container names are refused for logs and status, with the name shown escaped', { timeout: 10_000 }, () => {
  for (const name of HOSTILE_NAMES) {
    for (const build of [host.podmanLogsCommand, host.podmanStatusCommand]) {
      assert.throws(
        () => build(name),
        (error) => error instanceof host.RefusedInputError && /not|refusing/.test(error.message) && !/[\u0000-\u001f\u007f]/.test(error.message),
        JSON.stringify(name),
      );
    }
  }
});

test('hostile host addresses and domains are never put on a command line', { timeout: 10_000 }, () => {
  const ports = ['127.0.0.1\u0015$(touch pwned):8080:80', "[::1]';touch pwned;':80:80", '$(touch pwned):80:80', 'localhost;id:80:80', '8080:80'];
  const { command, refused } = host.endpointTestCommand(ports, 'sonarr.local\u0015touch pwned');
  assert.equal(refused.length, 5, 'four bad mappings and the bad domain are listed');
  assert.deepEqual(command.args.filter((a) => a.startsWith('http')), ['http://localhost:8080']);
});

test('validated commands run as argument arrays: the program gets exactly the words, no shell in between', { timeout: 20_000 }, () => {
  const s = stubs();
  try {
    const commands = [
      host.podmanLogsCommand('media.sonarr_2-x'),
      host.podmanStatusCommand('media.sonarr_2-x'),
      host.nixosRebuildCommand('dry-build', 'hwc-server'),
      host.endpointTestCommand(['[fd00::5]:8080:80', '8989:8989'], 'sonarr.example.org').command,
    ];
    for (const c of commands) execFileSync(c.program, c.args, { env: s.env }); // what ProcessExecution does
    assert.deepEqual(s.calls(), commands.map((c) => [c.program, ...c.args]));
  } finally {
    s.done();
  }
});

test('the command line we show means the same argv in bash, zsh, dash and fish', { timeout: 60_000 }, () => {
  assert.ok(SHELLS.length === 4, `all four shells are installed (found ${SHELLS.map(([s]) => s).join(', ')}); .ci installs zsh and fish`);
  const commands = [
    host.podmanLogsCommand('media.sonarr_2-x'),
    host.podmanStatusCommand('media.sonarr_2-x'),
    host.podmanStatusCommand(),
    host.nixosRebuildCommand('switch', 'hwc-server.1'),
    host.endpointTestCommand(['[fd00::5]:8080:80', '8989:8989'], 'sonarr.example.org').command,
  ];
  for (const [shell, flags] of SHELLS) {
    const s = stubs();
    try {
      for (const c of commands) execFileSync(shell, [...flags, c.display], { env: s.env, cwd: s.dir });
      assert.deepEqual(s.calls(), commands.map((c) => [c.program, ...c.args]), shell);
    } finally {
      s.done();
    }
  }
});

test('the age command hwc new suggests: recipients from secrets.nix are shown only when every shell reads them back intact', { timeout: 60_000 }, () => {
  const safe = ['age', '-r', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', '-r', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO8x admin@nas (2024)', '-a', '-o', 'domains/secrets/parts/server/app-env.age'];
  const line = suggestedCommand(safe);
  assert.ok(line, 'a normal command is suggested');
  for (const [shell, flags] of SHELLS) {
    const s = stubs();
    try {
      execFileSync(shell, [...flags, line], { env: s.env, cwd: s.dir });
      assert.deepEqual(s.calls(), [safe], shell);
    } finally {
      s.done();
    }
  }
  for (const recipient of ["ssh-ed25519 AAAA x'; touch pwned; '", 'ssh-ed25519 AAAA x\\', 'ssh-ed25519 AAAA x\u0015touch pwned', 'ssh-ed25519 AAAA \u2018x', 'ssh-ed25519 AAAA `touch pwned`']) {
    assert.equal(suggestedCommand(['age', '-r', recipient, '-o', 'x.age']), undefined, JSON.stringify(recipient));
  }
});
