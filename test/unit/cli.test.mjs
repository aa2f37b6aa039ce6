// The `hwc` command as a process: exit codes, the JSON contract, the text format, the
// lint flags, root detection, colour on a TTY only, and the other subcommands.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');
const homelab = path.join(repo, 'examples', 'homelab');
const ESC = '\u001b[';

/** Runs `hwc …` with stdout/stderr as pipes (not a TTY). */
function hwc(args, { cwd = repo, env = {} } = {}) {
  const baseEnv = { ...process.env };
  delete baseEnv.NO_COLOR;
  delete baseEnv.FORCE_COLOR;
  const r = spawnSync(process.execPath, [hwcBin, ...args], { cwd, encoding: 'utf8', env: { ...baseEnv, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `hwc …` inside a pseudo-terminal (util-linux `script`), stdout and stderr both on it. */
function hwcOnTty(args, { cwd = repo, env = {} } = {}) {
  const command = [process.execPath, hwcBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const baseEnv = { ...process.env, TERM: 'xterm' };
  delete baseEnv.NO_COLOR;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'utf8', env: { ...baseEnv, ...env } });
  return { code: r.status, output: r.stdout.replace(/\r\n/g, '\n') };
}
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function tempWorkspace(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-cli-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const FLAKE = '{ outputs = { self }: { }; }\n';
const BROKEN = '{ a = ; }\n';
const MODULE = (name, image) => `{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.${name};
in {
  imports = [ ./options.nix ];
  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.${name} = {
      image = "${image}";
      ports = [ "127.0.0.1:8080:80" ];
    };
  };
}
`;
const OPTIONS = (name) => `{ lib, ... }: {
  options.hwc.server.containers.${name} = {
    enable = lib.mkEnableOption "${name}";
  };
}
`;

const json = (args, opts) => {
  const r = hwc([...args, '--format', 'json'], opts);
  try {
    return { ...r, findings: JSON.parse(r.stdout) };
  } catch (error) {
    throw new Error(`hwc ${args.join(' ')} printed no JSON (exit ${r.code}): ${error.message}\nstderr: ${r.stderr}`);
  }
};

describe('exit codes', { concurrency: 4 }, () => {
  test('0 for a workspace without errors', () => {
    const dir = tempWorkspace({ 'flake.nix': FLAKE });
    try {
      const r = hwc(['lint', '--root', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `root ${dir} (no .hwc-lint.json, 0 discovered)\nno problems in 1 file\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('0 when there are warnings but no errors', () => {
    const r = hwc(['lint', '--root', homelab, '--rule', 'database-port-exposed=off', '--rule', 'hardcoded-secret=off']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(0 errors, 6 warnings, 3 infos\)/);
  });

  test('1 when there is an error', () => {
    assert.equal(hwc(['lint', '--root', homelab]).code, 1);
  });

  for (const [what, args] of [
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['lint', '--frobnicate']],
    ['a flag missing its value', ['lint', '--format']],
    ['an unknown format', ['lint', '--format', 'xml']],
    ['a path that does not exist', ['lint', 'no/such/path.nix']],
    ['a --root that does not exist', ['lint', '--root', 'no/such/folder']],
    ['a --config that does not exist', ['lint', '--config', 'no-such.json']],
    ['--max-warnings that is not a number', ['lint', '--max-warnings', 'many']],
    ['--max-warnings that is negative', ['lint', '--max-warnings', '-1']],
    ['--max-warnings with an empty value', ['lint', '--max-warnings=']],
    ['--rule without =', ['lint', '--rule', 'image-latest-tag']],
    ['--rule with an unknown rule', ['lint', '--rule', 'no-such-rule=off']],
    ['--rule with an unknown severity', ['lint', '--rule', 'image-latest-tag=loud']],
    ['a value for a boolean flag', ['lint', '--quiet=yes']],
    ['explain without an id', ['explain']],
    ['explain with an unknown id', ['explain', 'no-such-rule']],
    ['no command at all', []],
  ]) {
    test(`2 for ${what}`, () => {
      const r = hwc(args, { cwd: homelab });
      assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
      if (args.length) assert.match(r.stderr, /^hwc: /m, 'the reason goes to stderr');
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/, 'a usage error, not a crash');
    });
  }

  test('2 for an invalid .hwc-lint.json, with config-invalid at the offending key', () => {
    const dir = tempWorkspace({ 'flake.nix': FLAKE, '.hwc-lint.json': '{\n  "rules": { "image-latest-tag": "loud" }\n}\n' });
    try {
      const r = json(['lint', '--root', dir]);
      assert.equal(r.code, 2, r.stderr);
      const problem = r.findings.find((f) => f.rule === 'config-invalid');
      assert.ok(problem, JSON.stringify(r.findings));
      assert.equal(problem.file, '.hwc-lint.json');
      assert.equal(problem.line, 2);
      assert.equal(problem.severity, 'error');
      // --config FILE: the same, for another file name.
      fs.renameSync(path.join(dir, '.hwc-lint.json'), path.join(dir, 'lint.json'));
      const other = json(['lint', '--root', dir, '--config', path.join(dir, 'lint.json')]);
      assert.equal(other.code, 2);
      assert.equal(other.findings.find((f) => f.rule === 'config-invalid')?.file, 'lint.json');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unparsable .hwc-lint.json is a config error too', () => {
    const dir = tempWorkspace({ 'flake.nix': FLAKE, '.hwc-lint.json': '{ "rules": ' });
    try {
      const r = json(['lint', '--root', dir]);
      assert.equal(r.code, 2);
      assert.ok(r.findings.some((f) => f.rule === 'config-invalid'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the JSON contract', () => {
  const { code, findings } = json(['lint', '--root', homelab]);

  test('an array of findings with exactly the documented fields and types', () => {
    assert.equal(code, 1);
    assert.ok(Array.isArray(findings));
    assert.equal(findings.length, 11, 'MISTAKES.md: 11 diagnostics for examples/homelab');
    for (const f of findings) {
      assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
      for (const k of ['line', 'column', 'endLine', 'endColumn']) assert.ok(Number.isInteger(f[k]) && f[k] >= 1, `${k} is 1-based: ${JSON.stringify(f)}`);
      assert.ok(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column));
      assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity));
      assert.match(f.rule, /^[a-z]+(-[a-z]+)*$/);
      assert.equal(typeof f.message, 'string');
      assert.ok(f.message.length > 0);
      assert.doesNotMatch(f.file, /\\|^\/|^\.\//, 'relative to the root with / separators');
      assert.ok(fs.existsSync(path.join(homelab, f.file)));
    }
  });

  test('sorted by file, then line, then column', () => {
    const sorted = [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    assert.deepEqual(findings, sorted);
  });

  test('positions point at the flagged text (1-based line and column, exclusive end column)', () => {
    const exposed = findings.find((f) => f.rule === 'database-port-exposed');
    assert.deepEqual([exposed.file, exposed.line, exposed.column], ['domains/server/containers/postgres/index.nix', 29, 9]);
    const line = fs.readFileSync(path.join(homelab, exposed.file), 'utf8').split('\n')[exposed.line - 1];
    assert.equal(line.slice(exposed.column - 1, exposed.endColumn - 1), '"5432:5432"');
    const profile = findings.find((f) => f.rule === 'module-not-enabled');
    assert.deepEqual([profile.line, profile.column], [1, 1]);
  });

  test('--rule id=severity changes severities; hint is a severity of its own', () => {
    const r = json(['lint', '--root', homelab, '--rule', 'port-all-interfaces=hint', '--rule', 'image-latest-tag=error', '--rule', 'module-not-enabled=off']);
    assert.deepEqual([...new Set(r.findings.filter((f) => f.rule === 'port-all-interfaces').map((f) => f.severity))], ['hint']);
    assert.equal(r.findings.find((f) => f.rule === 'image-latest-tag').severity, 'error');
    assert.ok(!r.findings.some((f) => f.rule === 'module-not-enabled'));
    assert.equal(r.findings.length, 10);
  });

  test('the JSON is the whole of stdout, also on a TTY-less run with progress enabled', () => {
    const r = hwc(['lint', '--root', homelab, '--format', 'json']);
    assert.doesNotThrow(() => JSON.parse(r.stdout));
    assert.ok(r.stdout.startsWith('['));
  });
});

describe('text format and flags', () => {
  test('compiler-style lines with the advice indented below, a blank line, and a summary line', () => {
    const r = hwc(['lint', '--root', homelab]);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines.shift(), new RegExp(`^root ${homelab.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(no \\.hwc-lint\\.json, \\d+ discovered: \`hwc config --show\`\\)$`), 'the first line names the root and where the settings come from');
    const summary = lines.pop();
    assert.equal(lines.pop(), '', 'a blank line before the summary');
    const heads = lines.filter((l) => !l.startsWith('    '));
    assert.equal(heads.length, 11);
    for (const line of heads) assert.match(line, /^[^\s:]+:\d+:\d+: (error|warning|info|hint): .+ \[[a-z-]+\]$/);
    for (const line of lines.filter((l) => l.startsWith('    '))) assert.ok(line.length <= 100 || line.includes('`'), `advice wrapped at 100 columns: ${line}`);
    assert.match(summary, /^11 problems \(2 errors, 6 warnings, 3 infos\) in \d+ files$/);
    assert.ok(!r.stdout.includes(ESC), 'no colour when stdout is not a terminal');
    // The first line says what is wrong; the advice follows, indented; together they are the JSON message.
    const json = JSON.parse(hwc(['lint', '--root', homelab, '--format', 'json']).stdout);
    const first = json.find((f) => f.rule === 'database-port-exposed');
    const at = lines.findIndex((l) => l.startsWith(`${first.file}:${first.line}:${first.column}: `));
    assert.equal(lines[at], `${first.file}:${first.line}:${first.column}: ${first.severity}: postgres (postgres) publishes 5432 on every interface, and published ports bypass the NixOS firewall [${first.rule}]`);
    assert.equal(lines[at + 1], '    bind it to 127.0.0.1 (`127.0.0.1:5432:5432`)');
    assert.equal(first.message, 'postgres (postgres) publishes 5432 on every interface, and published ports bypass the NixOS firewall; bind it to 127.0.0.1 (`127.0.0.1:5432:5432`)');
  });

  test('singular words in the summary', () => {
    const dir = tempWorkspace({ 'flake.nix': FLAKE, 'broken.nix': BROKEN });
    try {
      const r = hwc(['lint', '--root', dir]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /\n1 problem \(1 error, 0 warnings, 0 infos\) in 2 files\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--quiet prints errors only, and the exit code still reflects them', () => {
    const r = json(['lint', '--root', homelab, '--quiet']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.findings.map((f) => f.rule).sort(), ['database-port-exposed', 'hardcoded-secret']);
    const text = hwc(['lint', '--root', homelab, '--quiet']);
    assert.match(text.stdout, /^2 problems \(2 errors, 0 warnings, 0 infos\)/m);
  });

  test('--max-warnings N: exit 1 above N warnings, with a message; --quiet does not hide them from the count', () => {
    const noErrors = ['--rule', 'database-port-exposed=off', '--rule', 'hardcoded-secret=off'];
    assert.equal(hwc(['lint', '--root', homelab, ...noErrors, '--max-warnings', '6']).code, 0);
    const over = hwc(['lint', '--root', homelab, ...noErrors, '--max-warnings', '5']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /6 warnings \(more than --max-warnings 5\)/);
    assert.equal(hwc(['lint', '--root', homelab, ...noErrors, '--max-warnings=5', '--quiet']).code, 1);
    assert.equal(hwc(['lint', '--root', homelab, ...noErrors, '--max-warnings', '0', '--rule', 'media-mount-writable=info']).code, 1);
  });

  test('PATH arguments narrow what is reported, not what is analysed', () => {
    const r = json(['lint', path.join(homelab, 'domains/server/containers/paperless')], { cwd: repo });
    assert.ok(r.findings.length > 0);
    assert.ok(r.findings.every((f) => f.file.startsWith('domains/server/containers/paperless/')), JSON.stringify(r.findings));
    // state-dir-missing-tmpfiles is a workspace rule: it still sees every file.
    assert.equal(r.findings.filter((f) => f.rule === 'state-dir-missing-tmpfiles').length, 2);
    assert.equal(r.code, 0, 'paperless has warnings only');
    const one = json(['lint', path.join(homelab, 'domains/server/containers/postgres/index.nix')]);
    assert.deepEqual(one.findings.map((f) => f.rule), ['database-port-exposed']);
  });

  test('a broken pipe ends the command quietly', () => {
    for (const command of [`lint --root '${homelab}' --format json`, 'rules', 'explain host-port-conflict', '--help']) {
      const r = spawnSync('sh', ['-c', `'${process.execPath}' '${hwcBin}' ${command} | head -c 10 >/dev/null; echo "status=\${?}"`], { encoding: 'utf8' });
      assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at /, `hwc ${command}: ${r.stderr}`);
    }
  });
});

describe('root detection', { concurrency: 2 }, () => {
  test('the nearest folder with flake.nix above the first PATH, .hwc-lint.json beating a farther flake.nix, else the cwd', () => {
    const dir = tempWorkspace({
      'outer/flake.nix': FLAKE,
      'outer/sub/broken.nix': BROKEN,
      'outer/inner/.hwc-lint.json': '{}\n',
      'outer/inner/deep/broken.nix': BROKEN,
      'plain/broken.nix': BROKEN,
    });
    try {
      const files = (args, cwd) => json(['lint', ...args], { cwd }).findings.map((f) => f.file);
      assert.deepEqual(files(['outer/sub/broken.nix'], dir), ['sub/broken.nix'], 'root = outer (flake.nix)');
      assert.deepEqual(files(['outer/inner/deep/broken.nix'], dir), ['deep/broken.nix'], 'root = outer/inner (.hwc-lint.json)');
      assert.deepEqual(files([], path.join(dir, 'outer', 'sub')), ['inner/deep/broken.nix', 'sub/broken.nix'], 'no PATH: from the cwd up');
      assert.deepEqual(files(['broken.nix'], path.join(dir, 'plain')), ['broken.nix'], 'no marker anywhere: the cwd');
      assert.deepEqual(files(['--root', path.join(dir, 'outer', 'sub')], dir), ['broken.nix'], '--root wins');
      const slash = files(['outer'], dir);
      assert.ok(slash.every((f) => !f.includes('\\')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('colour and progress on a terminal', { skip: !haveScript && 'util-linux `script` is not installed' }, () => {
  test('colour on a TTY; NO_COLOR and --no-color turn it off; an empty NO_COLOR does not', () => {
    const tty = hwcOnTty(['lint', '--root', homelab]);
    assert.equal(tty.code, 1);
    assert.ok(tty.output.includes(`${ESC}31merror${ESC}0m`), JSON.stringify(tty.output.slice(0, 300)));
    assert.ok(!hwcOnTty(['lint', '--root', homelab], { env: { NO_COLOR: '1' } }).output.includes(ESC));
    assert.ok(!hwcOnTty(['lint', '--root', homelab, '--no-color']).output.includes(ESC));
    assert.ok(hwcOnTty(['lint', '--root', homelab], { env: { NO_COLOR: '' } }).output.includes(ESC), 'NO_COLOR="" is unset (no-color.org)');
    assert.ok(!hwcOnTty(['lint', '--root', homelab, '--format', 'json']).output.includes(ESC), 'JSON is never coloured');
  });

  test('a progress line for big workspaces on a TTY only, cleared at the end', () => {
    const files = { 'flake.nix': FLAKE };
    for (let i = 0; i < 520; i++) files[`domains/server/containers/m${i}/options.nix`] = OPTIONS(`m${i}`);
    const dir = tempWorkspace(files);
    try {
      const tty = hwcOnTty(['lint', '--root', dir]);
      assert.match(tty.output, /\rindexing \d+\/521 files…/);
      assert.ok(tty.output.includes(`\r${ESC}K`), 'the progress line is erased');
      const piped = hwc(['lint', '--root', dir]);
      assert.doesNotMatch(piped.stderr + piped.stdout, /indexing/);
      const small = hwcOnTty(['lint', '--root', homelab]);
      assert.doesNotMatch(small.output, /indexing/, 'no progress for small workspaces');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('other commands', { concurrency: 3 }, () => {
  test('hwc rules lists every rule with its default severity and summary', () => {
    const r = hwc(['rules']);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    const pages = fs.readdirSync(path.join(repo, 'docs', 'rules')).filter((f) => f !== 'README.md').map((f) => f.replace(/\.md$/, ''));
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]).sort(), pages.sort());
    for (const line of lines) assert.match(line, /^[a-z-]+\s+(error|warning|info|hint)\s+\S.+$/);
    assert.match(r.stdout, /^image-latest-tag\s+warning\s+/m);
  });

  test('hwc explain <id> piped prints the rule page as Markdown', () => {
    const r = hwc(['explain', 'image-latest-tag']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, fs.readFileSync(path.join(repo, 'docs', 'rules', 'image-latest-tag.md'), 'utf8'));
  });

  // A real terminal (util-linux `script` gives the command a pty) 60 columns wide.
  const onTerminal = (env) =>
    execFileSync('script', ['-qec', `stty cols 60; ${env} '${process.execPath}' '${path.join(repo, 'bin/hwc')}' explain image-latest-tag`, '/dev/null'], { encoding: 'utf8' }).replace(/\r\n/g, '\n');

  test('hwc explain <id> on a terminal: headings set off, prose wrapped at its width, Nix indented and whole', { skip: !hasScript() && 'no `script`' }, () => {
    const plain = onTerminal('NO_COLOR=1');
    const lines = plain.split('\n');
    assert.ok(!lines.some((l) => /^#{1,6} /.test(l)), 'no Markdown heading marks');
    assert.equal(lines[lines.indexOf('What fires it') + 1], '-------------');
    const prose = lines.filter((l) => !l.startsWith('    ') && !l.startsWith('|'));
    assert.ok(prose.every((l) => l.length <= 60), `prose within 60 columns:\n${prose.filter((l) => l.length > 60).join('\n')}`);
    assert.ok(lines.includes('        image = "louislam/uptime-kuma:latest";'), 'the Bad example, indented, not wrapped');
    assert.ok(!lines.some((l) => l.startsWith('```')), 'no fences');
    assert.doesNotMatch(plain, /\u001b\[/, 'no colour with NO_COLOR');
    const colored = onTerminal('');
    assert.match(colored, /\u001b\[1m\u001b\[4mWhat fires it\u001b\[0m/);
  });

  test('help: --help and help print the usage on stdout with exit 0', () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const r = hwc(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^usage: hwc <command>/);
      assert.match(r.stdout, /--format text\|json/);
    }
  });
});


function hasScript() {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
