// Every rule of rules.md's sections "Per-container rules", "Module rules", "Workspace rules"
// and "Always" (except config-invalid) against its fixture workspaces in
// test/fixtures/rules/<id>/: the exact set of (file, line, rule) findings of each workspace
// must equal the `# expect:` comments written next to the Nix (see the README there), so a
// negative workspace proves every rule silent. Each finding must also sit where rules.md's
// last table says, with the rule's severity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, engine, fixtureCases, init, key, lintWorkspace, listFiles, readExpectations } from '../fixtures/rules/harness.mjs';

await init();

/** rules.md: id → severity, by section. */
const SECTIONS = {
  container: {
    'image-latest-tag': 'warning',
    'database-port-exposed': 'error',
    'port-all-interfaces': 'info',
    'invalid-port-mapping': 'error',
    'invalid-volume': 'error',
    'state-path-category': 'warning',
    'state-path-owner': 'warning',
    'media-mount-writable': 'warning',
    'hardcoded-secret': 'error',
    'container-runs-as-root': 'warning',
    'missing-puid-pgid': 'info',
    'imperative-podman-run': 'warning',
    'network-device-conflict': 'warning',
  },
  module: {
    'module-missing-options': 'warning',
    'namespace-mismatch': 'error',
    'module-missing-enable-guard': 'warning',
    'secret-missing-assertion': 'warning',
  },
  workspace: {
    'secret-undeclared': 'error',
    'secret-file-missing': 'error',
    'state-dir-missing-tmpfiles': 'warning',
    'state-path-shared': 'error',
    'host-port-conflict': 'error',
    'depends-on-unknown': 'error',
    'custom-network-undefined': 'warning',
    'proxy-route-missing': 'warning',
    'module-not-enabled': 'info',
  },
  always: {
    'syntax-error': 'error',
    'suppression-unknown-rule': 'warning',
    'suppression-unused': 'info',
  },
};
const SEVERITY = Object.assign({}, ...Object.values(SECTIONS));
const RULE_IDS = Object.keys(SEVERITY);

const isString = (text) => /^(".*"|''[^]*'')$/s.test(text);
const lineText = (root, f) => fs.readFileSync(path.join(root, f.file), 'utf8').split('\n')[f.range.start.line];

/** rules.md, "Where each diagnostic sits": a check per rule on the text a finding covers. */
const SITE = {
  // The offending string literal, or the literal (a string or a number) an option default supplied.
  value: (f) => isString(f.covered) || /^toString\b/.test(f.covered) || /^\d+$/.test(f.covered),
  'missing-puid-pgid': (f, root) => /\bimage\s*=\s*$/.test(lineText(root, f).slice(0, f.range.start.character)),
  'network-device-conflict': (f) => isString(f.covered),
  'custom-network-undefined': (f) => isString(f.covered),
  'depends-on-unknown': (f) => isString(f.covered),
  'secret-missing-assertion': (f) => f.covered.startsWith('config.age.secrets'),
  'secret-undeclared': (f) => f.covered.startsWith('config.age.secrets'),
  'secret-file-missing': (f, root) => /\bfile\s*=\s*$/.test(lineText(root, f).slice(0, f.range.start.character)),
  'namespace-mismatch': (f) => /^config\./.test(f.covered) || /^options\b/.test(f.covered),
  'module-missing-enable-guard': (f) => f.covered.length > 0,
  'module-missing-options': (f) => f.line === 1 && /\/(index|default)\.nix$/.test(f.file),
  'module-not-enabled': (f) => f.line === 1 && /\/(index|default)\.nix$/.test(f.file),
  'proxy-route-missing': (f) => f.covered === 'domain' || isString(f.covered),
  'syntax-error': (f) => f.covered.length > 0,
  'suppression-unknown-rule': (f) => /^#\s*hwc-lint:/.test(f.covered),
  'suppression-unused': (f) => /^#\s*hwc-lint:/.test(f.covered),
};
const siteCheck = (rule) => SITE[rule] ?? SITE.value;

/** Value rules whose literal can be an option default: there the finding carries the use site. */
const VALUE_RULES = new Set(RULE_IDS.filter((id) => !SITE[id] && id !== 'imperative-podman-run'));

test('the rule registry has every rule of the four sections with its rules.md severity', () => {
  for (const [id, severity] of Object.entries(SEVERITY)) {
    assert.ok(engine.RULES_BY_ID.has(id), `${id} is registered`);
    assert.equal(engine.RULES_BY_ID.get(id).severity, severity, `${id} severity`);
  }
});

for (const id of RULE_IDS) {
  const cases = fixtureCases(id);
  test(`${id}: has positive, negative and tricky fixtures`, () => {
    for (const kind of ['positive', 'negative', 'tricky']) {
      assert.ok(cases.some((c) => c.name.split('-')[0] === kind), `test/fixtures/rules/${id}/ needs a ${kind}… workspace`);
    }
    for (const c of cases) {
      const expected = readExpectations(c.root);
      const kind = c.name.split('-')[0];
      assert.ok(['positive', 'negative', 'tricky'].includes(kind), `${c.name}: name starts with positive, negative or tricky`);
      if (kind === 'positive') assert.ok(expected.some((e) => e.rule === id), `${c.name} expects at least one ${id}`);
      if (kind === 'negative') assert.deepEqual(expected, [], `${c.name} must lint clean`);
    }
  });

  for (const c of cases) {
    test(`${id}/${c.name}: findings equal the # expect comments`, () => {
      const { findings } = lintWorkspace(c.root);
      const expected = readExpectations(c.root).map(key).sort();
      const actual = findings.map(key).sort();
      const describe = (f) => `${key(f)}  ${JSON.stringify(f.covered.slice(0, 50))}  ${f.message}`;
      assert.deepEqual(actual, expected, `unexpected or missing findings:\n${findings.map(describe).join('\n')}`);
      for (const f of findings) {
        if (SEVERITY[f.rule]) assert.equal(f.severity, SEVERITY[f.rule], `${key(f)} severity`);
        assert.ok(siteCheck(f.rule)(f, c.root), `${key(f)} sits on ${JSON.stringify(f.covered)}, not where rules.md puts it`);
        assert.ok(f.message.length > 10 && !/undefined|null|\[object/.test(f.message), `${key(f)} message: ${f.message}`);
        // A literal in another file than its use (an option default): related points at the use.
        if (VALUE_RULES.has(f.rule) && f.file.endsWith('/options.nix')) {
          assert.ok(f.related.some((r) => r.src.file !== f.file), `${key(f)} has relatedInformation at the use site`);
        }
      }
    });
  }
}

test('docs/rules/README.md "Fixture coverage" counts the fixtures as they are', () => {
  const readme = fs.readFileSync(path.join(FIXTURES, '../../../docs/rules/README.md'), 'utf8');
  const section = readme.split(/^## Fixture coverage$/m)[1];
  assert.ok(section, 'the section exists');
  const rows = new Map(section.split('\n').filter((l) => l.startsWith('| `')).map((l) => {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    return [cells[0].replace(/`/g, ''), cells.slice(1, 4).join(' | ')];
  }));
  for (const id of RULE_IDS) {
    const cases = fixtureCases(id);
    const of = (kind) => cases.filter((c) => c.name.split('-')[0] === kind);
    const found = (list) => list.reduce((n, c) => n + readExpectations(c.root).filter((e) => e.rule === id).length, 0);
    const expected = `${of('positive').length} (${found(of('positive'))}) | ${of('negative').length} | ${of('tricky').length} (${found(of('tricky'))})`;
    assert.equal(rows.get(id), expected, `${id} row`);
  }
});

test('every fixture outside syntax-error parses with the real Nix parser', { skip: !hasNixInstantiate() && 'nix-instantiate is not installed' }, () => {
  const files = listFiles(FIXTURES)
    .filter((f) => f.endsWith('.nix') && !/^syntax-error\/(positive|tricky)/.test(f))
    .map((f) => path.join(FIXTURES, f));
  assert.ok(files.length > 100, 'found the fixture files');
  // One process for all files: it stops at the first that does not parse and names it.
  try {
    execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    assert.fail(String(error.stderr));
  }
});

test('syntax-error fixtures really do not parse with the real Nix parser', { skip: !hasNixInstantiate() && 'nix-instantiate is not installed' }, () => {
  const broken = fixtureCases('syntax-error')
    .filter((c) => c.name !== 'negative')
    .flatMap((c) => readExpectations(c.root).filter((e) => e.rule === 'syntax-error').map((e) => path.join(c.root, e.file)));
  for (const file of new Set(broken)) {
    assert.throws(() => execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', file], { stdio: 'pipe' }), undefined, file);
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
