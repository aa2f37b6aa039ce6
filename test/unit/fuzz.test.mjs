// Robustness: thousands of seeded mutations of the example and fixture files through the
// engine (Workspace.updateText + workspaceDiagnostics), pathological inputs (deep
// nesting, huge lists, 5 MB, NUL, invalid UTF-8, CRLF, BOM), the nastiest of them through
// the language server over JSON-RPC, and files on disk that vanish, cannot be read, loop
// or are too big.
//
// Reproducible: HWC_FUZZ_SEED=<n> picks the seed (printed on failure), HWC_FUZZ_COUNT=<n>
// the number of mutated inputs. A failing input is written to test-output/fuzz/.
// Known crashers that are not fixed yet live in test/fixtures/fuzz/ (see its README) and run
// only with HWC_FUZZ_CRASHERS=1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../helpers/lspClient.mjs';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = require(path.join(repo, 'out', 'engine.js'));
const homelab = path.join(repo, 'examples', 'homelab');
const SEED = Number(process.env.HWC_FUZZ_SEED ?? 20261125);
const COUNT = Number(process.env.HWC_FUZZ_COUNT ?? 3000);
/** A bound on the mutation loop's length on a slow machine (not an assertion). */
const LOOP_BUDGET_MS = 25_000;

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function walk(dir, base = dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else if (entry.name.endsWith('.nix')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

// The corpus: the example flake (as one workspace) plus the syntax-error fixtures.
const corpus = walk(homelab).map((file) => ({ file, text: fs.readFileSync(path.join(homelab, file), 'utf8') }));
for (const file of walk(path.join(repo, 'test', 'fixtures', 'syntax'))) {
  corpus.push({ file: `fixtures/syntax/${file}`, text: fs.readFileSync(path.join(repo, 'test', 'fixtures', 'syntax', file), 'utf8') });
}

const TOKEN = /\s+|[A-Za-z_][\w'-]*|\d+|"(?:[^"\\]|\\.)*"?|''|\$\{|[{}()[\];:=.,@?!<>+\-*/|&]|./gsu;
const NASTY = ['{', '}', '[', ']', '(', ')', ';', '=', '"', "''", '${', '#', '/*', '*/', '\\', '\n', '\t', '\0', '\r', '\u2028', '\ufeff', '\ud800', '\udc00', '\u{1f600}', 'é', '...', 'inherit', 'let', 'in', 'rec', 'with', 'assert', 'or', '?', '@', ':'];

/** One random mutation of text (the kinds the issue lists). */
const MUTATORS = {
  deleteToken(text, rnd) {
    const t = text.match(TOKEN) ?? [];
    if (!t.length) return text;
    t.splice(Math.floor(rnd() * t.length), 1 + Math.floor(rnd() * 3));
    return t.join('');
  },
  duplicateToken(text, rnd) {
    const t = text.match(TOKEN) ?? [];
    if (!t.length) return text;
    const i = Math.floor(rnd() * t.length);
    t.splice(i, 0, ...t.slice(i, i + 1 + Math.floor(rnd() * 4)));
    return t.join('');
  },
  swapTokens(text, rnd) {
    const t = text.match(TOKEN) ?? [];
    if (t.length < 2) return text;
    const i = Math.floor(rnd() * t.length);
    const j = Math.floor(rnd() * t.length);
    [t[i], t[j]] = [t[j], t[i]];
    return t.join('');
  },
  truncate(text, rnd) {
    return text.slice(0, Math.floor(rnd() * text.length));
  },
  insertNasty(text, rnd) {
    const at = Math.floor(rnd() * (text.length + 1));
    let insert = '';
    for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--) insert += NASTY[Math.floor(rnd() * NASTY.length)];
    return text.slice(0, at) + insert + text.slice(at);
  },
  randomBytes(text, rnd) {
    const at = Math.floor(rnd() * (text.length + 1));
    const bytes = Buffer.alloc(1 + Math.floor(rnd() * 16));
    for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rnd() * 256);
    // Decoded as the server and the CLI decode files: invalid sequences become U+FFFD.
    return text.slice(0, at) + bytes.toString('utf8') + text.slice(at);
  },
  invalidUtf8(text, rnd) {
    const buffer = Buffer.from(text, 'utf8');
    const at = Math.floor(rnd() * (buffer.length + 1));
    const bad = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]][Math.floor(rnd() * 6)];
    return Buffer.concat([buffer.subarray(0, at), Buffer.from(bad), buffer.subarray(at)]).toString('utf8');
  },
  nulBytes(text, rnd) {
    const at = Math.floor(rnd() * (text.length + 1));
    return text.slice(0, at) + '\0'.repeat(1 + Math.floor(rnd() * 3)) + text.slice(at);
  },
  crlf(text) {
    return text.replace(/\n/g, '\r\n');
  },
  loneCr(text, rnd) {
    return text.replace(/\n/g, (m) => (rnd() < 0.3 ? '\r' : m));
  },
  bom(text) {
    return '\ufeff' + text;
  },
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

function mutate(text, rnd) {
  const applied = [];
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const name = MUTATOR_NAMES[Math.floor(rnd() * MUTATOR_NAMES.length)];
    text = MUTATORS[name](text, rnd);
    applied.push(name);
  }
  return { text, applied };
}

function saveFailure(name, text) {
  const dir = path.join(repo, 'test-output', 'fuzz');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A workspace (no files on disk needed) holding the corpus, and a log that records engine crashes. */
async function corpusWorkspace() {
  await engine.initParser();
  const crashes = [];
  const ws = new engine.Workspace(fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fuzz-')), {
    // updateText/summarise catch exceptions and log this line: for the fuzzer that is a crash.
    log: (line) => {
      if (/could not analyse/.test(line)) crashes.push(line);
    },
  });
  for (const { file, text } of corpus) ws.updateText(file, text);
  return { ws, crashes };
}

function checkDiagnostics(byFile) {
  for (const [file, list] of byFile) {
    for (const d of list) {
      assert.equal(d.src.file, file);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(d.severity), d.severity);
      const { start, end } = d.src.range;
      assert.ok(start.line >= 0 && start.character >= 0 && (end.line > start.line || (end.line === start.line && end.character >= start.character)), `${d.rule}: range ${JSON.stringify(d.src.range)}`);
      assert.equal(typeof d.message, 'string');
    }
  }
}

/** Runs one input through the engine; a throw or a logged crash fails with a reproducer. */
function runInput(ctx, file, text, label) {
  const before = ctx.crashes.length;
  try {
    ctx.ws.updateText(file, text);
    checkDiagnostics(engine.workspaceDiagnostics(ctx.ws, {}));
  } catch (error) {
    const saved = saveFailure(`${label.replace(/[^\w.-]+/g, '_')}.nix`, text);
    throw new Error(`${label}: the engine threw on ${file} (input saved to ${saved}, seed ${SEED}): ${error.stack}`);
  }
  if (ctx.crashes.length > before) {
    const saved = saveFailure(`${label.replace(/[^\w.-]+/g, '_')}.nix`, text);
    assert.fail(`${label}: the engine crashed on ${file} (input saved to ${saved}, seed ${SEED}): ${ctx.crashes.slice(before).join('\n')}`);
  }
}

describe('engine fuzzing', () => {
  test(`${COUNT} seeded mutations of the examples never throw or crash the extractor (seed ${SEED})`, async () => {
    const ctx = await corpusWorkspace();
    const rnd = prng(SEED);
    const started = Date.now();
    const mutated = new Map();
    const byKind = {};
    let done = 0;
    for (; done < COUNT && Date.now() - started < LOOP_BUDGET_MS; done++) {
      const original = corpus[Math.floor(rnd() * corpus.length)];
      const { text, applied } = mutate(mutated.get(original.file) ?? original.text, rnd);
      for (const a of applied) byKind[a] = (byKind[a] ?? 0) + 1;
      const before = ctx.crashes.length;
      try {
        ctx.ws.updateText(original.file, text);
      } catch (error) {
        const saved = saveFailure(`mutation-${SEED}-${done}.nix`, text);
        throw new Error(`mutation ${done} (${applied.join('+')}) of ${original.file} threw (seed ${SEED}, input ${saved}): ${error.stack}`);
      }
      if (ctx.crashes.length > before) {
        const saved = saveFailure(`mutation-${SEED}-${done}.nix`, text);
        assert.fail(`mutation ${done} (${applied.join('+')}) of ${original.file} crashed the extractor (seed ${SEED}, input ${saved}): ${ctx.crashes.slice(before).join('\n')}`);
      }
      // Mutations pile up on a file for a while, then it is restored.
      if (rnd() < 0.7) mutated.set(original.file, text);
      else {
        mutated.delete(original.file);
        ctx.ws.updateText(original.file, original.text);
      }
      if (done % 20 === 19) {
        try {
          // Convention discovery reads the same (mutated) summaries.
          engine.discoverConventions(ctx.ws.index, ctx.ws.fileConfig);
          checkDiagnostics(engine.workspaceDiagnostics(ctx.ws, {}));
        } catch (error) {
          const files = [...mutated.entries()].map(([file, t]) => saveFailure(`lint-${SEED}-${done}-${file.replace(/\//g, '_')}`, t));
          throw new Error(`linting after mutation ${done} threw (seed ${SEED}; mutated files saved: ${files.join(', ')}): ${error.stack}`);
        }
      }
    }
    checkDiagnostics(engine.workspaceDiagnostics(ctx.ws, {}));
    assert.ok(done >= Math.min(COUNT, 1000), `ran ${done} mutations`);
    assert.ok(Object.keys(byKind).length === MUTATOR_NAMES.length, `every mutation kind was used: ${JSON.stringify(byKind)}`);
  });

  const deep = (open, middle, close, n = 10_000) => open.repeat(n) + middle + close.repeat(n);
  const PATHOLOGICAL = {
    'nested attrsets, 10,000 deep': deep('{ a = ', '1', '; }'),
    'nested lists, 10,000 deep': deep('[ ', '', ' ]'),
    'nested parentheses, 10,000 deep': deep('(', '1', ')'),
    'nested lets, 10,000 deep': deep('let a = ', '1', '; in a'),
    'nested ifs, 10,000 deep': deep('if true then ', '1', ' else 2'),
    'nested lambdas, 10,000 deep': deep('x: ', '1', ''),
    'nested applications, 10,000 deep': deep('f (', '1', ')'),
    'nested interpolations, 10,000 deep': '"' + deep('${', 'x', '}') + '"',
    'a container nested in 10,000 mkIf/mkMerge': '{ lib, ... }: ' + deep('lib.mkIf true (lib.mkMerge [ ', '{ virtualisation.oci-containers.containers.x.image = "a:latest"; }', ' ])'),
    // Found by this test (once a crasher and a quadratic walk in test/fixtures/fuzz/): now linear.
    'a select path of 10,000 attributes': 'x' + '.a'.repeat(10_000),
    'a container with 100,000 identical port mappings': `{ virtualisation.oci-containers.containers.a = { image = "a:1"; ports = [ ${'"8080:80" '.repeat(100_000)}]; }; }\n`,
    'a list of 100,000 numbers': '{ x = [ ' + '1 '.repeat(100_000) + ']; }',
    'a container with 10,000 distinct port mappings': '{ virtualisation.oci-containers.containers.a = { image = "a:1"; ports = [ ' + Array.from({ length: 10_000 }, (_, i) => `"${1 + i}:${1 + ((i * 7) % 65535)}"`).join(' ') + ' ]; }; }',
    'a container with 20,000 volumes': '{ virtualisation.oci-containers.containers.a = { image = "a:1"; volumes = [ ' + Array.from({ length: 20_000 }, (_, i) => `"/data/${i}:/d${i}"`).join(' ') + ' ]; }; }',
    '5 MB: one comment': '# ' + 'x'.repeat(5 * 2 ** 20) + '\n{ }\n',
    '5 MB: one indented string': "{ x = ''\n" + 'line with ${y} and $ and \'\'$ escapes\n'.repeat(Math.ceil((5 * 2 ** 20) / 40)) + "''; }\n",
    '1 MB of random bytes': (() => {
      const rnd = prng(SEED + 1);
      const b = Buffer.alloc(2 ** 20);
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
      return b.toString('utf8');
    })(),
    '512 KB module of repeated containers': (() => {
      const one = '  virtualisation.oci-containers.containers.c${N} = { image = "img:${N}"; ports = [ "127.0.0.1:${P}:80" ]; volumes = [ "/opt/services/c${N}:/data" ]; };\n';
      let out = '{\n';
      for (let i = 0; out.length < 2 ** 19; i++) out += one.replace(/\$\{N\}/g, String(i)).replace('${P}', String(1 + (i % 60000)));
      return out + '}\n';
    })(),
    'only NUL bytes': '\0'.repeat(10_000),
    'lone surrogates everywhere': '{ a = "\ud800"; \udc00 b = 1; }\ud83d',
    'an unterminated string with 100,000 interpolations': '"' + '${x}'.repeat(100_000),
    'CR only line endings': corpus[0].text.replace(/\n/g, '\r'),
    'an empty file': '',
  };

  for (const [name, text] of Object.entries(PATHOLOGICAL)) {
    test(`pathological input: ${name}`, async () => {
      const ctx = await corpusWorkspace();
      // In place of a real module, so the container, module and workspace rules all see it.
      runInput(ctx, 'domains/server/containers/postgres/index.nix', text, name);
    });
  }
});

describe('files on disk', () => {
  function lintDir(dir, { asNobody = false } = {}) {
    const args = [path.join(repo, 'bin', 'hwc'), 'lint', '--root', dir, '--format', 'json'];
    const r = asNobody
      ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { encoding: 'utf8' })
      : spawnSync(process.execPath, args, { encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr, findings: r.stdout ? JSON.parse(r.stdout) : null, error: r.error };
  }

  test('a symlink loop, a dangling link, a huge file and a binary file are each skipped with one log line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fuzz-disk-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { self }: { }; }\n');
      fs.writeFileSync(path.join(dir, 'broken.nix'), '{ a = ; }\n');
      fs.symlinkSync('loop-b.nix', path.join(dir, 'loop-a.nix'));
      fs.symlinkSync('loop-a.nix', path.join(dir, 'loop-b.nix'));
      fs.symlinkSync('self.nix', path.join(dir, 'self.nix'));
      fs.symlinkSync('nowhere.nix', path.join(dir, 'dangling.nix'));
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync('..', path.join(dir, 'sub', 'up')); // a directory loop: never followed
      fs.writeFileSync(path.join(dir, 'huge.nix'), '# ' + 'x'.repeat(5 * 2 ** 20) + '\n');
      fs.writeFileSync(path.join(dir, 'binary.nix'), Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x7d]));
      const r = lintDir(dir);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(r.findings.map((f) => `${f.file}:${f.rule}`), ['broken.nix:syntax-error'], 'the rest is still linted');
      const lines = r.stderr.trim().split('\n');
      for (const file of ['loop-a.nix', 'loop-b.nix', 'self.nix', 'dangling.nix', 'huge.nix', 'binary.nix']) {
        const mentions = lines.filter((l) => l.includes(` ${file}:`));
        assert.equal(mentions.length, 1, `one log line for ${file}:\n${r.stderr}`);
        assert.match(mentions[0], /^hwc: skipped /);
      }
      assert.match(r.stderr, /huge\.nix: larger than 1024 KiB/);
      assert.match(r.stderr, /binary\.nix: binary content/);
      assert.match(r.stderr, /loop-a\.nix: broken or looping symlink/);
      assert.equal(lines.length, 6, r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('unreadable files and folders (EACCES) are skipped with one log line', (t) => {
    // Tests run as root, which reads any file: drop to nobody (setpriv, util-linux) so the
    // permission bits count.
    const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', '0']);
    if (probe.error || probe.status !== 0) {
      t.skip('setpriv cannot drop to nobody here, so EACCES cannot be provoked as root');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fuzz-perm-'));
    try {
      fs.chmodSync(dir, 0o755);
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { self }: { }; }\n');
      fs.writeFileSync(path.join(dir, 'broken.nix'), '{ a = ; }\n');
      fs.writeFileSync(path.join(dir, 'secret.nix'), '{ }\n', { mode: 0o000 });
      fs.chmodSync(path.join(dir, 'secret.nix'), 0o000);
      fs.mkdirSync(path.join(dir, 'closed'), { mode: 0o000 });
      fs.chmodSync(path.join(dir, 'closed'), 0o000);
      for (const f of ['flake.nix', 'broken.nix']) fs.chmodSync(path.join(dir, f), 0o644);
      const r = lintDir(dir, { asNobody: true });
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(r.findings.map((f) => f.file), ['broken.nix']);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.filter((l) => l.includes('secret.nix')).length, 1, r.stderr);
      assert.match(r.stderr, /secret\.nix: cannot read: EACCES/);
      assert.equal(lines.filter((l) => l.includes('closed')).length, 1, r.stderr);
      assert.match(r.stderr, /closed: cannot read folder: EACCES/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that vanishes between discovery and reading is forgotten with one log line', async () => {
    await engine.initParser();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fuzz-vanish-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { self }: { }; }\n');
      fs.writeFileSync(path.join(dir, 'gone.nix'), '{ a = ; }\n');
      const logs = [];
      const ws = new engine.Workspace(dir, { log: (l) => logs.push(l) });
      const files = ws.discoverFiles();
      assert.ok(files.includes('gone.nix'));
      ws.loadFile('gone.nix');
      assert.ok(ws.index.get('gone.nix'));
      fs.rmSync(path.join(dir, 'gone.nix'));
      for (const file of files) ws.loadFile(file);
      assert.equal(ws.index.get('gone.nix'), undefined, 'forgotten');
      assert.equal(ws.index.exists('gone.nix'), false);
      assert.deepEqual(logs, ['skipped gone.nix: cannot read: ENOENT']);
      assert.deepEqual([...engine.workspaceDiagnostics(ws, {}).keys()], []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the language server under nasty input', () => {
  test('answers requests and stays alive through didOpen/didChange of the nastiest inputs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fuzz-lsp-'));
    fs.cpSync(homelab, dir, { recursive: true });
    const server = await startServer(dir);
    try {
      await server.waitReady(60_000);
      const caps = server.initializeResult.capabilities;
      /** A request the server must answer (a result or an error response, never silence). */
      const ping = async (uri, what) => {
        const request = caps.hoverProvider
          ? server.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } })
          : server.request('workspace/executeCommand', { command: 'hwc.fuzz.noSuchCommand', arguments: [] });
        let timer;
        const answered = await Promise.race([request.then(() => 'answered', () => 'answered'), new Promise((r) => (timer = setTimeout(() => r('silent'), 60_000)))]);
        // A pending 60 s timer would keep the test process alive for a minute after the test.
        clearTimeout(timer);
        assert.equal(answered, 'answered', `no answer after ${what}\nstderr: ${server.stderr}`);
        assert.equal(server.child.exitCode, null, `server exited after ${what}\nstderr: ${server.stderr}`);
      };
      const rnd = prng(SEED + 2);
      const inputs = [
        ['NUL bytes', 'x\0y\0{ a = "\0"; }'],
        ['lone surrogates', '{ a = "\ud800"; }\udc00'],
        ['invalid UTF-8 (decoded)', Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x20, 0x7d]).toString('utf8')],
        ['BOM + CRLF module', '\ufeff' + corpus.find((c) => c.file.endsWith('postgres/index.nix')).text.replace(/\n/g, '\r\n')],
        ['10,000-deep attrsets', '{ a = '.repeat(10_000) + '1' + '; }'.repeat(10_000)],
        ['10,000-deep interpolation', '"' + '${'.repeat(10_000) + 'x' + '}'.repeat(10_000) + '"'],
        ['100,000-element list', '{ x = [ ' + '1 '.repeat(100_000) + ']; }'],
        ['5 MB (over hwc.maxFileSizeKb)', '# ' + 'x'.repeat(5 * 2 ** 20)],
        ['random bytes', (() => { const b = Buffer.alloc(4096); for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256); return b.toString('utf8'); })()],
        ['empty', ''],
      ];
      const target = path.join(dir, 'domains/server/containers/postgres/index.nix');
      const targetUri = server.open(target, fs.readFileSync(target, 'utf8'));
      for (const [name, text] of inputs) {
        // As a new document…
        const uri = server.open(path.join(dir, 'domains/server/containers/fuzz', `${name.replace(/\W+/g, '-')}.nix`), text);
        await ping(uri, `didOpen ${name}`);
        // …as a full replacement of a real module…
        server.change(targetUri, [{ text }]);
        await ping(targetUri, `didChange (full) ${name}`);
        // …and as incremental edits at random places, some past the end of the document.
        const edits = [];
        for (let k = 0; k < 5; k++) {
          const line = Math.floor(rnd() * 60);
          const character = Math.floor(rnd() * 200);
          edits.push({ range: { start: { line, character }, end: { line: line + Math.floor(rnd() * 3), character: Math.floor(rnd() * 200) } }, text: text.slice(0, Math.floor(rnd() * 64)) });
        }
        server.change(targetUri, edits);
        await ping(targetUri, `didChange (incremental) ${name}`);
        server.close(uri);
      }
      // Notifications about documents that were never opened, and stale versions.
      server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere/x.nix', version: 3 }, contentChanges: [{ text: '{' }] });
      server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///nowhere/y.nix' } });
      server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'nix', version: 1, text: '{ a = ; }' } });
      await ping(targetUri, 'notifications for unknown documents');
      // Back to the real text: the server still lints correctly.
      server.change(targetUri, [{ text: fs.readFileSync(target, 'utf8') }]);
      await server.waitDiagnostics(targetUri, (d) => d.some((x) => x.code === 'database-port-exposed'), 60_000);
      assert.doesNotMatch(server.stderr, /RangeError|TypeError|FATAL|Unhandled/, server.stderr);
    } finally {
      const code = await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      assert.equal(code, 0, `server exit code (stderr: ${server.stderr})`);
    }
  });
});

describe('known crashers (test/fixtures/fuzz)', { skip: process.env.HWC_FUZZ_CRASHERS !== '1' && 'set HWC_FUZZ_CRASHERS=1 to run the unfixed crashers' }, () => {
  // Each runs in a child process with a 1 GB heap, so an out-of-memory crash fails the test
  // instead of killing the test runner.
  const dir = path.join(repo, 'test', 'fixtures', 'fuzz');
  const crashers = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')) : [];
  for (const file of crashers) {
    test(file, () => {
      const script = `
        const engine = require(${JSON.stringify(path.join(repo, 'out', 'engine.js'))});
        import(${JSON.stringify(path.join(dir, file))}).then(async ({ make }) => {
          await engine.initParser();
          const crashes = [];
          const ws = new engine.Workspace(require('os').tmpdir(), { log: (l) => /could not analyse/.test(l) && crashes.push(l) });
          ws.updateText('domains/server/containers/fuzz/index.nix', make());
          engine.workspaceDiagnostics(ws, {});
          if (crashes.length) { console.error(crashes.join('\\n')); process.exit(3); }
        });`;
      const r = spawnSync(process.execPath, ['--max-old-space-size=1024', '-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${file} crashed (status ${r.status}, signal ${r.signal}):\n${r.stderr.slice(-2000)}`);
    });
  }
});
