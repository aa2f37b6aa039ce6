// The editor and CI agree: on the example workspace the server publishes exactly the
// findings `hwc lint --format json` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../helpers/lspClient.mjs';
import { copyHomelab } from '../helpers/editorFeatures.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

test('server diagnostics equal hwc lint --format json on examples/homelab', async () => {
  const dir = copyHomelab('hwc-parity-');
  const cli = spawnSync(process.execPath, [path.join(repo, 'bin', 'hwc'), 'lint', '--format', 'json', '--root', dir], { encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  const expected = JSON.parse(cli.stdout).map((f) => `${f.file}:${f.line}:${f.column}:${f.endLine}:${f.endColumn}:${f.rule}:${f.severity}:${f.message}`).sort();
  assert.ok(expected.length >= 8, 'the example has findings');

  const server = await startServer(dir);
  try {
    await server.waitReady();
    const flatten = () =>
      [...server.diagnostics.values()]
        .flatMap((p) => p.diagnostics.map((d) => `${path.relative(dir, fileURLToPath(p.uri)).split(path.sep).join('/')}:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.range.end.line + 1}:${d.range.end.character + 1}:${d.code}:${SEVERITY[d.severity]}:${d.message}`))
        .sort();
    await server.waitFor(() => flatten().length === expected.length, 10000, `${expected.length} diagnostics`);
    assert.deepEqual(flatten(), expected);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
