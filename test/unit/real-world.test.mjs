// The real-world patterns corpus (test/fixtures/real-world/<pattern>/): each workspace's
// findings, as (file, line, rule), must equal the `# expect:` comments written next to its
// Nix, exactly; and every file must parse with the real Nix parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { init, key, lintWorkspace, listFiles, readExpectations } from '../fixtures/rules/harness.mjs';

const CORPUS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/real-world');

await init();

const patterns = fs
  .readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({ name: e.name, root: path.join(CORPUS, e.name) }))
  .sort((a, b) => a.name.localeCompare(b.name));

for (const p of patterns) {
  test(`real-world/${p.name}: findings equal the # expect comments`, () => {
    assert.ok(fs.existsSync(path.join(p.root, 'PATTERN.md')), `${p.name} has a PATTERN.md saying what it reproduces`);
    const { findings } = lintWorkspace(p.root);
    const expected = readExpectations(p.root).map(key).sort();
    const actual = findings.map(key).sort();
    const describe = (f) => `${key(f)}  ${JSON.stringify(f.covered.slice(0, 60))}  ${f.message}`;
    assert.deepEqual(actual, expected, `unexpected or missing findings:\n${findings.map(describe).join('\n')}`);
    for (const f of findings) {
      assert.ok(f.message.length > 10 && !/undefined|\[object/.test(f.message), `${key(f)} message: ${f.message}`);
    }
  });
}

test('every file of the corpus parses with the real Nix parser', { skip: !hasNixInstantiate() && 'nix-instantiate is not installed' }, () => {
  const files = listFiles(CORPUS).filter((f) => f.endsWith('.nix')).map((f) => path.join(CORPUS, f));
  if (files.length === 0) return;
  try {
    execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    assert.fail(String(error.stderr));
  }
});

function hasNixInstantiate() {
  try {
    execFileSync('nix-instantiate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
