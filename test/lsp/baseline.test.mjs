// The editor and `.hwc-baseline.json`: findings the baseline records show as hints (or
// not at all with `hwc.baseline.show: "hide"`), the same findings `hwc lint` hides, while
// new ones keep their severity as the user types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { copyHomelab } from '../helpers/editorFeatures.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HINT = 4;
const ERROR = 1;
const postgresFile = 'domains/server/containers/postgres/index.nix';

function hwc(args, cwd) {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin', 'hwc'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the example with its findings recorded by `hwc lint --baseline-write`. */
function baselinedExample() {
  const dir = copyHomelab('hwc-baseline-lsp-');
  assert.equal(hwc(['lint', '--baseline-write', '.'], dir).code, 0);
  return dir;
}

test('baselined findings are hints in the editor: the same ones hwc lint leaves out', async () => {
  const dir = baselinedExample();
  const all = JSON.parse(hwc(['lint', '--no-baseline', '--format', 'json', '.'], dir).stdout);
  assert.ok(all.length > 5);
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const files = [...new Set(all.map((f) => f.file))];
    for (const file of files) {
      const expected = all.filter((f) => f.file === file);
      const diagnostics = await server.waitDiagnostics(fileUri(path.join(dir, file)), (d) => d.length === expected.length);
      for (const f of expected) {
        const d = diagnostics.find((x) => x.code === f.rule && x.range.start.line === f.line - 1 && x.range.start.character === f.column - 1);
        assert.ok(d, `${file}:${f.line} ${f.rule} is shown`);
        assert.equal(d.severity, HINT, `${file}:${f.line} ${f.rule} is a hint`);
        assert.match(d.message, /\(baselined in \.hwc-baseline\.json\)$/);
        assert.equal(d.data.baselined, true);
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('typing: lines above a baselined finding keep it a hint; a new mistake is an error at once', async () => {
  const dir = baselinedExample();
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const file = path.join(dir, postgresFile);
    const text = fs.readFileSync(file, 'utf8');
    const uri = server.open(file, text);
    const exposed = (d) => d.filter((x) => x.code === 'database-port-exposed');
    let diagnostics = await server.waitDiagnostics(uri, (d) => exposed(d).length === 1);
    assert.equal(exposed(diagnostics)[0].severity, HINT);
    const moved = `# The homelab's one database server.\n\n${text}`;
    server.change(uri, [{ text: moved }]);
    diagnostics = await server.waitDiagnostics(uri, (d) => exposed(d).length === 1 && exposed(d)[0].range.start.line > 20);
    assert.equal(exposed(diagnostics)[0].severity, HINT);
    const broken = moved.replace('        "5432:5432"\n', '        "5432:5432"\n        "0.0.0.0:5433:5432"\n');
    assert.notEqual(broken, moved);
    server.change(uri, [{ text: broken }]);
    diagnostics = await server.waitDiagnostics(uri, (d) => exposed(d).length === 2);
    const [old, fresh] = exposed(diagnostics);
    assert.equal(old.severity, HINT);
    assert.equal(fresh.severity, ERROR);
    assert.match(fresh.message, /5433/);
    assert.doesNotMatch(fresh.message, /baselined/);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('hwc.baseline.show "hide" leaves baselined findings out; deleting the baseline brings them back as errors', async () => {
  const dir = baselinedExample();
  const server = await startServer(dir, { settings: { baseline: { show: 'hide' } } });
  try {
    await server.waitReady();
    const file = path.join(dir, postgresFile);
    const text = fs.readFileSync(file, 'utf8').replace('        "5432:5432"\n', '        "5432:5432"\n        "0.0.0.0:5433:5432"\n');
    const uri = server.open(file, text);
    // The new mistake shows; the baselined one beside it does not.
    let diagnostics = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'database-port-exposed'));
    assert.deepEqual(diagnostics.filter((x) => x.code === 'database-port-exposed').map((x) => [x.severity, /5433/.test(x.message)]), [[ERROR, true]]);
    fs.rmSync(path.join(dir, '.hwc-baseline.json'));
    server.filesChanged([{ uri: fileUri(path.join(dir, '.hwc-baseline.json')), type: 3 }]);
    diagnostics = await server.waitDiagnostics(uri, (d) => d.filter((x) => x.code === 'database-port-exposed').length === 2);
    assert.ok(diagnostics.filter((x) => x.code === 'database-port-exposed').every((x) => x.severity === ERROR));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt baseline hides nothing and the server says why in its log', async () => {
  const dir = copyHomelab('hwc-baseline-lsp-');
  fs.writeFileSync(path.join(dir, '.hwc-baseline.json'), '{ "version": 1, "entries": [');
  const server = await startServer(dir);
  try {
    await server.waitReady();
    const diagnostics = await server.waitDiagnostics(fileUri(path.join(dir, postgresFile)), (d) => d.some((x) => x.code === 'database-port-exposed'));
    assert.equal(diagnostics.find((x) => x.code === 'database-port-exposed').severity, ERROR);
    await server.waitFor(() => server.logs.find((l) => /\.hwc-baseline\.json is not valid JSON/.test(l)), 5000, 'a log line about the baseline');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
