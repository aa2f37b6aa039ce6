// `.hwc-lint.json` validation and the three descriptions of settings that must not drift:
// the zod schemas, the shipped JSON schema and package.json's contributes.configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

test('a valid config changes the conventions', () => {
  const { config, problems } = engine.parseLintConfig(`{
    // comments are allowed
    "categories": ["media", "services", "apps"],
    "rules": { "port-all-interfaces": "off", "image-latest-tag": "error" },
    "ignore": ["legacy/**"],
  }`);
  assert.deepEqual(problems, []);
  assert.deepEqual(config.categories, ['media', 'services', 'apps']);
  assert.equal(config.rules['image-latest-tag'], 'error');
  assert.equal(config.namespace, 'hwc.server.containers', 'unset keys keep their defaults');
});

test('an invalid value is reported at its key and only that setting falls back to its default', () => {
  const text = '{\n  "categories": ["media", 42],\n  "namespace": "hwc.services.containers"\n}\n';
  const { config, problems } = engine.parseLintConfig(text);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /categories/);
  assert.deepEqual(problems[0].range, { start: { line: 1, character: 26 }, end: { line: 1, character: 28 } }, 'points at the offending element of "categories"');
  assert.deepEqual(config.categories, engine.defaultLintConfig.categories);
  assert.equal(config.namespace, 'hwc.services.containers', 'valid settings are kept');
});

test('unknown keys, bad severities and broken JSON are reported clearly', () => {
  const unknown = engine.parseLintConfig('{ "categorys": ["media"] }');
  assert.match(unknown.problems[0].message, /unknown setting `categorys`/);
  assert.equal(unknown.problems[0].range.start.character, 2);
  const severity = engine.parseLintConfig('{ "rules": { "image-latest-tag": "fatal" } }');
  assert.equal(severity.problems.length, 1);
  assert.match(severity.problems[0].message, /rules\.image-latest-tag/);
  const broken = engine.parseLintConfig('{ "categories": [ "media" ');
  assert.ok(broken.problems.length >= 1);
  assert.match(broken.problems[0].message, /not valid JSON/);
  assert.deepEqual(broken.config, engine.defaultLintConfig);
  const notObject = engine.parseLintConfig('[1, 2]');
  assert.match(notObject.problems[0].message, /must contain a JSON object/);
});

test('config-invalid findings land on .hwc-lint.json and linting goes on with defaults', async () => {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-config-'));
  fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{\n  "stateRoot": "opt"\n}\n');
  fs.writeFileSync(path.join(dir, 'web.nix'), '{ virtualisation.oci-containers.containers.web.image = "nginx:latest"; }\n');
  const workspace = new engine.Workspace(dir);
  workspace.loadAll();
  const byFile = engine.workspaceDiagnostics(workspace);
  const configFindings = byFile.get('.hwc-lint.json');
  assert.equal(configFindings.length, 1);
  assert.equal(configFindings[0].rule, 'config-invalid');
  assert.equal(configFindings[0].severity, 'error');
  assert.deepEqual(configFindings[0].src.range.start, { line: 1, character: 2 });
  assert.ok(byFile.get('web.nix').some((d) => d.rule === 'image-latest-tag'), 'the rest of the workspace is still linted');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the shipped JSON schema is generated from the zod schema and lists every setting', () => {
  const shipped = JSON.parse(fs.readFileSync(path.join(root, 'out/hwc-lint.schema.json'), 'utf8'));
  assert.deepEqual(shipped, JSON.parse(JSON.stringify(engine.lintConfigJsonSchema())));
  const zodKeys = Object.keys(engine.lintConfigSchema.shape).sort();
  assert.deepEqual(Object.keys(shipped.properties).sort(), zodKeys);
  assert.equal(shipped.additionalProperties, false, 'unknown keys are flagged in the editor too');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const validation = manifest.contributes.jsonValidation.find((v) => v.fileMatch === '.hwc-lint.json' || v.fileMatch?.includes?.('.hwc-lint.json'));
  assert.ok(validation, 'package.json contributes jsonValidation for .hwc-lint.json');
  assert.equal(path.normalize(validation.url), path.normalize('./out/hwc-lint.schema.json'));
});

/** `{ trace: { server } }` → ['trace.server', …] with each leaf's zod schema. */
function leaves(shape, prefix = '') {
  const out = [];
  for (const [key, schema] of Object.entries(shape)) {
    let inner = schema;
    while (inner.def?.innerType) inner = inner.def.innerType;
    if (inner.def?.type === 'object') out.push(...leaves(inner.shape, `${prefix}${key}.`));
    else out.push([`${prefix}${key}`, schema]);
  }
  return out;
}

test('contributes.configuration and the server settings schema describe the same settings', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const contributed = manifest.contributes.configuration.properties;
  const settings = leaves(engine.editorSettingsSchema.shape);
  assert.deepEqual(Object.keys(contributed).sort(), settings.map(([k]) => `hwc.${k}`).sort());
  const defaults = engine.editorSettingsSchema.parse({});
  for (const [key] of settings) {
    const value = key.split('.').reduce((o, k) => o[k], defaults);
    assert.deepEqual(contributed[`hwc.${key}`].default, value, `default of hwc.${key}`);
  }
  assert.deepEqual(contributed['hwc.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(contributed['hwc.rules'].additionalProperties.enum, ['error', 'warning', 'info', 'hint', 'off']);
});
