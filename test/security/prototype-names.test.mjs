// Issue 15, item 8: names the user or the repository chooses (secret variables, container
// attributes, option names, secret names) that are also members of every JavaScript object
// (`constructor`, `toString`, `hasOwnProperty`, `__proto__`) are names like any other.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { startServer } from '../helpers/lspClient.mjs';
import { assertNoTrace, cleanup, engine, hwc, repoRoot, scratchWorkspace } from './writeHarness.mjs';

after(cleanup);

const TIMEOUT = { timeout: 60_000 };
const NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

/** A throwaway age identity outside the workspace; the workspace encrypts to its recipient. */
function ageIdentity(base, root) {
  const identity = path.join(base, 'server.age-key');
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  const recipient = /public key: (age1\w+)/.exec(fs.readFileSync(identity, 'utf8'))[1];
  fs.writeFileSync(path.join(root, '.hwc-lint.json'), JSON.stringify({ ageRecipients: [recipient] }, null, 2) + '\n');
  return identity;
}

function ageDecrypt(file, identity) {
  const r = spawnSync('age', ['-d', '-i', identity, file], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('secret variables named like Object.prototype members', () => {
  test('hwc new encrypts exactly the typed values, in order; stdin parsing sees each name once', TIMEOUT, () => {
    const { base, root } = scratchWorkspace();
    const identity = ageIdentity(base, root);
    const input = NAMES.map((name, i) => `${name}=value-${i} of ${name}\n`).join('');
    const run = hwc(['new', 'vault', '--image', 'hashicorp/vault:1.18.3', '--port', '127.0.0.1:8200:8200', ...NAMES.flatMap((n) => ['--secret', n])], { cwd: root, input });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /given twice/);
    assert.equal(ageDecrypt(path.join(root, 'domains/secrets/parts/server/vault-env.age'), identity), input);
  });

  test('a name really given twice is still refused, and a name without a value is still missing', TIMEOUT, () => {
    const { base, root } = scratchWorkspace();
    ageIdentity(base, root);
    let run = hwc(['new', 'vault', '--image', 'hashicorp/vault:1.18.3', '--secret', 'constructor'], { cwd: root, input: 'constructor=a\nconstructor=b\n' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /stdin: `constructor` is given twice/);
    run = hwc(['new', 'vault', '--image', 'hashicorp/vault:1.18.3', '--secret', 'constructor', '--secret', '__proto__'], { cwd: root, input: 'constructor=a\n' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no value for `__proto__`/);
    assertNoTrace(assert, run.stderr);
    assert.deepEqual([...engine.parseSecretLines('__proto__=p\nconstructor=c\ntoString=t\n')], [['__proto__', 'p'], ['constructor', 'c'], ['toString', 't']]);
  });

  test('the server encrypts secretValues sent as JSON with those keys', TIMEOUT, async () => {
    const { base, root } = scratchWorkspace();
    const identity = ageIdentity(base, root);
    // JSON.parse makes `__proto__` an own key, as a client's JSON message does.
    const secretValues = JSON.parse('{"__proto__":"p-value","constructor":"c-value","toString":"t-value"}');
    const server = await startServer(root, { initializationOptions: { trusted: true } });
    try {
      await server.waitReady();
      const result = await server.request('workspace/executeCommand', {
        command: 'hwc.server.generateContainer',
        arguments: [{ name: 'vault', image: 'hashicorp/vault:1.18.3', secrets: ['__proto__', 'constructor', 'toString'], secretValues }],
      });
      const ageUri = result.files.find((uri) => uri.endsWith('/vault-env.age'));
      const inserted = result.edit.documentChanges.find((c) => c.textDocument?.uri === ageUri).edits[0].newText;
      const file = path.join(base, 'vault-env.age');
      fs.writeFileSync(file, inserted);
      assert.equal(ageDecrypt(file, identity), '__proto__=p-value\nconstructor=c-value\ntoString=t-value\n');
    } finally {
      await server.stop();
    }
  });
});

describe('repository names like Object.prototype members', () => {
  test('container attributes, option names, let bindings and secret names: analysed and linted like any other', TIMEOUT, () => {
    const root = path.join(repoRoot, 'test/fixtures/security/prototype-names');
    const run = hwc(['lint', '--format', 'json'], { cwd: root });
    assert.doesNotMatch(run.stderr, /could not analyse/, run.stderr);
    assert.equal(run.code, 1, run.stderr);
    const findings = JSON.parse(run.stdout).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message.split(':')[1]?.trim().split(' ')[0]}`);
    // The password from option `__proto__` (its default) and the token from the `let` named hasOwnProperty;
    // the port from option `toString` resolves (no invalid-port-mapping), the secrets `__proto__` and `constructor` exist.
    assert.deepEqual(findings.sort(), [
      'domains/server/containers/toolbox/index.nix:4 hardcoded-secret `API_TOKEN`',
      'domains/server/containers/toolbox/options.nix:8 hardcoded-secret `ADMIN_PASSWORD`',
    ]);
  });
});

describe('the wizard with a state category named constructor', () => {
  test('the category picker shows the path, not the text of a JavaScript function', TIMEOUT, async () => {
    // The wizard's checks are VS Code-free: bundle them as the wizard tests do.
    const { outputFiles } = esbuild.buildSync({ entryPoints: [path.join(repoRoot, 'client/src/newContainer/validation.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent', mainFields: ['module', 'main'] });
    const validation = { exports: {} };
    new Function('module', 'exports', 'require', outputFiles[0].text)(validation, validation.exports, createRequire(import.meta.url));
    const { root } = scratchWorkspace();
    fs.writeFileSync(path.join(root, '.hwc-lint.json'), JSON.stringify({ categories: ['constructor', 'media', 'valueof'] }, null, 2) + '\n');
    await engine.initParser();
    const ws = new engine.Workspace(root);
    ws.loadAll();
    assert.deepEqual(ws.configProblems, []);
    const ctx = engine.collectFacts({ root, config: ws.config, index: ws.index, files: engine.diskFileAccess(root) });
    const items = validation.exports.categoryItems(ctx, 'ghcr.io/example/app:1.0.0', 'app');
    assert.deepEqual(items.map((i) => i.description), ['/opt/constructor/app', 'Media stack (*arr services, downloaders) — /opt/media/app', '/opt/valueof/app']);
  });
});
