// Issue 15, items 3, 6, 11 (configuration) and 12 (`--config DIR`): a hostile
// `.hwc-lint.json` — a symlink to /dev/zero, a FIFO, a folder, a symlink out of the
// repository, 100,000 levels of nesting, a NUL byte in a path — is refused with a clear
// message: `config-invalid` on the file, exit 2 from the CLI, never a hang, a memory
// blow-up or a stack trace, and the server still starts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { fingerprint, homelabCopy, hwc, mkfifo } from './support/attack.mjs';

const CONFIG = '.hwc-lint.json';
/** A 100,000-level nested config (item 6), valid JSON. */
const deepConfig = () => `{ "rules": ${'['.repeat(100_000)}${']'.repeat(100_000)} }\n`;

/** The text lines of `hwc lint` for the config file. */
/** The config findings of text output, each with its indented advice joined back (`what; advice [rule]`). */
const configLines = (stdout) => {
  const lines = stdout.split('\n');
  const out = [];
  lines.forEach((line, i) => {
    if (!line.startsWith(`${CONFIG}:`)) return;
    const advice = [];
    for (let j = i + 1; j < lines.length && lines[j].startsWith('    '); j++) advice.push(lines[j].trim());
    const [, head, rule] = /^(.*) (\[[a-z-]+\])$/.exec(line);
    out.push(advice.length ? `${head}; ${advice.join(' ')} ${rule}` : line);
  });
  return out;
};

function assertNoStackTrace(output) {
  assert.doesNotMatch(output, /\n\s+at .+:\d+:\d+\)?/, `a stack trace was printed:\n${output}`);
  assert.doesNotMatch(output, /internal error|RangeError|Maximum call stack/, output);
}

describe('a hostile .hwc-lint.json in the repository (hwc lint)', () => {
  const cases = [
    // Refused before it is opened: its target is outside the repository.
    ['a symlink to /dev/zero', (file) => fs.symlinkSync('/dev/zero', file), /\.hwc-lint\.json is a symlink to a file outside the workspace; not read/],
    ['a FIFO nobody writes to', (file) => mkfifo(file), /\.hwc-lint\.json is a FIFO, not a regular file; not read/],
    ['a symlink to a FIFO inside the repository', (file) => (mkfifo(path.join(path.dirname(file), 'lint.fifo')), fs.symlinkSync('lint.fifo', file)), /\.hwc-lint\.json is a FIFO, not a regular file; not read/],
    ['a folder', (file) => fs.mkdirSync(file), /\.hwc-lint\.json is a folder, not a regular file; not read/],
    ['a symlink to a file outside the repository', (file) => fs.symlinkSync('/etc/passwd', file), /\.hwc-lint\.json is a symlink to a file outside the workspace; not read/],
    ['a 2 MiB file', (file) => fs.writeFileSync(file, `{ "timezone": "${'x'.repeat(2 * 2 ** 20)}" }`), /\.hwc-lint\.json is larger than 256 KiB; not read/],
    ['100,000 levels of nesting', (file) => fs.writeFileSync(file, deepConfig()), /nests arrays or objects deeper than 64 levels; not read/],
  ];
  for (const [name, plant, message] of cases) {
    test(`${name}: config-invalid, exit 2, in bounded time and memory`, { timeout: 60_000 }, async () => {
      const dir = homelabCopy('cfg');
      try {
        plant(path.join(dir, CONFIG));
        const before = fingerprint(dir);
        const r = await hwc(['lint', dir], { deadlineMs: 30_000 });
        assert.notEqual(r.code, 'killed', `hwc lint hung (killed after 30 s)\n${r.stderr}`);
        assert.equal(r.code, 2, `exit 2 for an unusable config\n${r.stdout}\n${r.stderr}`);
        const lines = configLines(r.stdout);
        assert.equal(lines.length, 1, `one config-invalid finding:\n${r.stdout}`);
        assert.match(lines[0], /error: .*\[config-invalid\]$/);
        assert.match(lines[0], message);
        // The rest of the workspace is still linted with the default conventions.
        assert.match(r.stdout, /domains\/server\/containers\//, 'the modules are still linted');
        assertNoStackTrace(r.stdout + r.stderr);
        assert.ok(r.peakRssKb < 600 * 1024, `peak RSS ${Math.round(r.peakRssKb / 1024)} MB`);
        assert.deepEqual(fingerprint(dir), before, 'nothing in the workspace changed');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('a NUL byte in a configured path is rejected by the schema at its key, with a message', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('cfg-nul');
    try {
      fs.writeFileSync(path.join(dir, CONFIG), JSON.stringify({ secretsFolder: 'domains/secrets\u0000.d', stateRoot: '/opt\u0000x', ignore: ['legacy/\u0000**'] }, null, 2) + '\n');
      const before = fingerprint(dir);
      const r = await hwc(['lint', dir]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const lines = configLines(r.stdout);
      assert.equal(lines.length, 3, r.stdout);
      for (const key of ['secretsFolder', 'stateRoot', 'ignore.0']) {
        assert.ok(lines.some((l) => l.includes(`\`${key}\`: must not contain a NUL byte (using the default for it)`)), `${key} rejected:\n${lines.join('\n')}`);
      }
      assertNoStackTrace(r.stdout + r.stderr);
      assert.deepEqual(fingerprint(dir), before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hwc lint --config naming something that is not a config file', () => {
  test('--config DIR, a FIFO, /dev/zero, a missing file: exit 2 with a message, nothing linted', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('cfg-flag');
    const fifo = path.join(os.tmpdir(), `hwc-cfg-fifo-${process.pid}`);
    try {
      mkfifo(fifo);
      const before = fingerprint(dir);
      for (const [config, message] of [
        [dir, /--config .* is a folder, not a regular file; not read/],
        [fifo, /--config .* is a FIFO, not a regular file; not read/],
        ['/dev/zero', /--config \/dev\/zero is a device, not a regular file; not read/],
        [path.join(dir, 'nowhere.json'), /--config .*nowhere\.json: no such file/],
      ]) {
        const r = await hwc(['lint', '--config', config, dir], { deadlineMs: 20_000 });
        assert.notEqual(r.code, 'killed', `hung on --config ${config}`);
        assert.equal(r.code, 2, `--config ${config}: ${r.stderr}`);
        assert.equal(r.stdout, '', 'nothing linted');
        assert.match(r.stderr, message);
        assertNoStackTrace(r.stderr);
      }
      assert.deepEqual(fingerprint(dir), before);
    } finally {
      fs.rmSync(fifo, { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the language server with a hostile .hwc-lint.json', () => {
  for (const [name, plant, message] of [
    ['a FIFO', (file) => mkfifo(file), /is a FIFO, not a regular file/],
    ['a symlink to /dev/zero', (file) => fs.symlinkSync('/dev/zero', file), /is a symlink to a file outside the workspace/],
    ['100,000 levels of nesting', (file) => fs.writeFileSync(file, deepConfig()), /deeper than 64 levels/],
  ]) {
    test(`${name}: the server starts, indexes and reports config-invalid`, { timeout: 60_000 }, async () => {
      const dir = homelabCopy('cfg-lsp');
      plant(path.join(dir, CONFIG));
      const before = fingerprint(dir);
      const server = await startServer(dir);
      try {
        await server.waitReady(30_000);
        const diagnostics = await server.waitDiagnostics(fileUri(path.join(dir, CONFIG)), (d) => d.length > 0, 20_000);
        assert.equal(diagnostics.length, 1);
        assert.equal(diagnostics[0].code, 'config-invalid');
        assert.match(diagnostics[0].message, message);
        // The modules were linted with the defaults.
        assert.ok([...server.diagnostics.keys()].some((uri) => uri.includes('/domains/server/containers/')), 'modules linted');
        const hover = await server.request('textDocument/hover', { textDocument: { uri: fileUri(path.join(dir, 'flake.nix')) }, position: { line: 0, character: 0 } });
        assert.ok(hover === null || typeof hover === 'object', 'requests are answered');
        assert.deepEqual(fingerprint(dir), before);
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
