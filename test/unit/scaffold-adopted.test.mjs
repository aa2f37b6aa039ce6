// New Container and `hwc new` in a repository with precedents of its own
// (test/fixtures/scaffold/adopted): the secret declaration goes inside the explicit
// module's `config`, the route is one more entry of the central routes file, the import
// joins the sorted list in containers/index.nix, the enable line its group in the profile,
// TZ follows the host's time.timeZone. Every file the generator writes or edits parses
// (nix-instantiate --parse), has a module shape the real evaluator and NixOS accept, the
// workspace lints clean, and one undo (VS Code's semantics) leaves nothing behind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ageDecrypt, ageIdentity, applyWorkspaceEdit, assertModuleShape, assertParses, cleanup, editedTexts, engine, fixturesDir, generate, hasNix, lintFindings, repoRoot,
  scratchWorkspace, snapshot, undoWorkspaceEdit,
} from '../fixtures/scaffold/harness.mjs';

after(cleanup);
before(() => engine.initParser());

const ADOPTED = path.join(fixturesDir, 'adopted');
const ROUTES = 'domains/server/routes.nix';
const SECRETS = 'domains/secrets/declarations/server.nix';
const IMPORTS = 'domains/server/containers/index.nix';
const PROFILE = 'profiles/attic.nix';

/** A copy of the fixture whose .hwc-lint.json (JSONC, kept as written) also names a recipient we hold. */
function adopted() {
  const scratch = scratchWorkspace(ADOPTED);
  const id = ageIdentity(scratch.keys);
  const config = path.join(scratch.root, '.hwc-lint.json');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/\n\}\s*$/, `,\n  "ageRecipients": ["${id.recipient}"]\n}\n`));
  return { ...scratch, id, read: (file) => readFileSync(path.join(scratch.root, file), 'utf8') };
}

function hwc(args, { cwd, input = '' } = {}) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/hwc'), ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parses every touched file; checks the shape of every module among them with the real evaluator (the routes file is an attrset read by `import`, not a module). */
function assertValidNix(files, root) {
  if (!hasNix) return;
  assertParses(files);
  assertModuleShape(files.filter((f) => path.relative(root, f) !== ROUTES));
}

const sonarr = { name: 'sonarr', image: 'lscr.io/linuxserver/sonarr:4.0.14', ports: ['8989:8989'], category: 'media', proxy: {}, secrets: ['SONARR__API_KEY'], secretValues: { SONARR__API_KEY: 'adopted-api-key-77' } };

describe('a repository with its own precedents', () => {
  test('the fixture itself lints clean and has only module shapes NixOS accepts', async () => {
    assert.deepEqual(await lintFindings(ADOPTED), []);
    if (hasNix) {
      const files = ['flake.nix', 'hosts/attic/default.nix', PROFILE, IMPORTS, SECRETS, 'domains/server/routes-module.nix', 'domains/server/containers/vikunja/index.nix'];
      assertModuleShape(files.filter((f) => f !== 'flake.nix').map((f) => path.join(ADOPTED, f)));
      assertParses([...files, ROUTES].map((f) => path.join(ADOPTED, f)));
    }
  });

  test('New Container writes where the siblings are, in their form, and lints clean', async () => {
    const s = adopted();
    const plan = await generate(s.root, sonarr, { createFolders: true });
    assert.deepEqual(plan.files.map((f) => `${f.action} ${f.path}`).sort(), [
      'create domains/secrets/encrypted/sonarr-env.age',
      'create domains/server/containers/sonarr/index.nix',
      'create domains/server/containers/sonarr/options.nix',
      `edit ${SECRETS}`,
      `edit ${IMPORTS}`,
      `edit ${ROUTES}`,
      `edit ${PROFILE}`,
    ]);
    const touched = applyWorkspaceEdit(plan.edit);
    assertValidNix(touched, s.root);
    assert.deepEqual(await lintFindings(s.root), [], 'the whole workspace lints clean afterwards');

    // The declaration is inside `config = lib.mkIf … { age.secrets = { … }; }`, after the others, spaced like them.
    assert.match(s.read(SECRETS), /"vikunja-env" = \{\n {8}file = \.\.\/encrypted\/vikunja-env\.age;\n {8}mode = "0400";\n {6}\};\n\n {6}"sonarr-env" = \{\n {8}file = \.\.\/encrypted\/sonarr-env\.age;\n {8}mode = "0400";\n {6}\};\n {4}\};\n {2}\};\n\}\n$/);
    // One more entry of the routes attrset, shaped like its neighbours (127.0.0.1, the `c` alias).
    assert.match(s.read(ROUTES), /"\$\{c\.vikunja\.domain\}" = \{\n.*\n {2}\};\n\n {2}"\$\{c\.sonarr\.domain\}" = \{\n {4}reverse_proxy\.to = "http:\/\/127\.0\.0\.1:\$\{toString c\.sonarr\.port\}";\n {2}\};\n\}\n$/);
    // The import in containers/index.nix, in its sorted place; the enable line in the Media group of the profile.
    assert.match(s.read(IMPORTS), /\.\/nzbget\/index\.nix\n {4}\.\/sonarr\/index\.nix\n {4}\.\/transmission\/index\.nix\n/);
    assert.doesNotMatch(s.read(PROFILE), /sonarr\/index\.nix|imports = \[[^\]]*sonarr/);
    assert.match(s.read(PROFILE), /navidrome\.enable = true;\n {4}sonarr\.enable = true;\n\n {4}# Services/);
    const index = s.read('domains/server/containers/sonarr/index.nix');
    assert.match(index, /TZ = config\.time\.timeZone;/);
    // Its sites are named <module>.attic.lan; the new one is too.
    assert.match(s.read('domains/server/containers/sonarr/options.nix'), /default = "sonarr\.attic\.lan";/);
    assert.match(index, /assertion = !cfg\.enable \|\| config\.age\.secrets \? "sonarr-env";/);
    assert.equal(ageDecrypt(path.join(s.root, 'domains/secrets/encrypted/sonarr-env.age'), s.id.identity), 'SONARR__API_KEY=adopted-api-key-77\n');
  });

  test('the sixth category and a container without proxy or secrets', async () => {
    const s = adopted();
    const plan = await generate(s.root, { name: 'sabnzbd', image: 'lscr.io/linuxserver/sabnzbd:4.4.1', ports: ['127.0.0.1:8080:8080'], category: 'downloads' });
    const touched = applyWorkspaceEdit(plan.edit);
    assertValidNix(touched, s.root);
    assert.deepEqual(await lintFindings(s.root), []);
    assert.match(s.read('domains/server/containers/sabnzbd/index.nix'), /"\/opt\/downloads\/sabnzbd:\/config"/);
    assert.match(s.read(IMPORTS), /\.\/nzbget\/index\.nix\n {4}\.\/sabnzbd\/index\.nix\n {4}\.\/transmission\/index\.nix\n/);
    assert.match(s.read(PROFILE), /nzbget\.enable = true;\n {4}sabnzbd\.enable = true;\n\n {4}# Media/);
    assert.deepEqual(plan.files.filter((f) => f.action === 'edit').map((f) => f.path).sort(), [IMPORTS, PROFILE]);
  });

  test('a route that needs TLS is written the house way, in the file\'s reference style', async () => {
    const s = adopted();
    const plan = await generate(s.root, { name: 'gitea', image: 'docker.gitea.com/gitea:1.23.4', ports: ['3000:3000'], category: 'services', proxy: { domain: 'git.example.org', tlsEmail: 'ops@example.org' } });
    const touched = applyWorkspaceEdit(plan.edit);
    assertValidNix(touched, s.root);
    assert.deepEqual(await lintFindings(s.root), []);
    assert.match(s.read(ROUTES), /\n {2}"\$\{c\.gitea\.domain\}" = \{\n {4}reverse_proxy\.to = "http:\/\/localhost:\$\{toString c\.gitea\.port\}";\n {4}tls = \{\n {6}email = "ops@example\.org";\n {4}\};\n {2}\};\n\}\n$/);
  });
});

describe('undo is whole', () => {
  test('the edit creates the new folders after the files; one undo restores the workspace, and the name is free again', async () => {
    const s = adopted();
    const before = snapshot(s.root);
    const plan = await generate(s.root, sonarr, { createFolders: true });
    const changes = plan.edit.documentChanges;
    const kinds = changes.map((c) => (c.kind === 'create' ? (c.options.folder ? 'folder' : 'file') : 'text'));
    // VS Code runs a run of creates as one operation (folders first) and undoes it in list order: files, then folders.
    const firstText = kinds.indexOf('text');
    assert.ok(kinds.slice(0, firstText).every((k) => k !== 'text') && kinds.slice(firstText).every((k) => k === 'text'), `creates first, then text: ${kinds.join(' ')}`);
    assert.ok(kinds.lastIndexOf('file') < kinds.indexOf('folder'), 'the folder creates come after the file creates');
    const folders = changes.filter((c) => c.options?.folder).map((c) => path.relative(s.root, fileURLToPath(c.uri)));
    assert.deepEqual(folders, ['domains/server/containers/sonarr'], 'only the outermost new folder (the secrets folder exists)');
    assert.ok(changes.filter((c) => c.options?.folder).every((c) => c.options.recursive === true && c.options.overwrite === false));

    const texts = editedTexts(plan.edit);
    applyWorkspaceEdit(plan.edit);
    undoWorkspaceEdit(plan.edit, texts);
    assert.deepEqual(snapshot(s.root), before, 'no file, edit or folder left behind');
    const again = await generate(s.root, sonarr, { createFolders: true });
    assert.equal(again.files.length, plan.files.length, 'the same name is accepted again');
  });

  test('new folders several levels deep are created (and removed) as one', async () => {
    const s = adopted();
    const config = path.join(s.root, '.hwc-lint.json');
    writeFileSync(config, readFileSync(config, 'utf8').replace('"domains/secrets/encrypted"', '"domains/secrets/encrypted/server/containers"'));
    const before = snapshot(s.root);
    const plan = await generate(s.root, sonarr, { createFolders: true });
    const folders = plan.edit.documentChanges.filter((c) => c.options?.folder).map((c) => path.relative(s.root, fileURLToPath(c.uri)));
    assert.deepEqual(folders, ['domains/secrets/encrypted/server', 'domains/server/containers/sonarr']);
    const texts = editedTexts(plan.edit);
    applyWorkspaceEdit(plan.edit);
    undoWorkspaceEdit(plan.edit, texts);
    assert.deepEqual(snapshot(s.root), before);
  });

  test('an empty folder left by something else does not block the name, and is left as it was', async () => {
    const s = adopted();
    mkdirSync(path.join(s.root, 'domains/server/containers/sonarr'));
    const context = await generate(s.root, sonarr, { createFolders: true });
    assert.deepEqual(context.edit.documentChanges.filter((c) => c.options?.folder), [], 'the existing folder is not created again');
    const before = snapshot(s.root);
    const texts = editedTexts(context.edit);
    applyWorkspaceEdit(context.edit);
    undoWorkspaceEdit(context.edit, texts);
    assert.deepEqual(snapshot(s.root), before);
  });

  test('clients that did not ask for folder creates get plain file creates only', async () => {
    const s = adopted();
    const plan = await generate(s.root, sonarr);
    assert.ok(plan.edit.documentChanges.every((c) => !c.options?.folder));
    // Plain order: each create is followed by the text that fills it.
    plan.edit.documentChanges.forEach((c, i) => c.kind === 'create' && assert.equal(plan.edit.documentChanges[i + 1].textDocument.uri, c.uri));
  });
});

describe('the module-shape check', () => {
  const shape = (text) => engine.moduleShapeProblem(text, 'f.nix');
  test('explicit modules may hold only config, options, imports and NixOS\'s own keys', () => {
    assert.equal(shape('{ config, lib, ... }: {\n  imports = [ ./a.nix ];\n  options.x.enable = lib.mkEnableOption "x";\n  config = lib.mkIf config.x.enable { };\n  meta.maintainers = [ ];\n}\n'), null);
    assert.equal(shape('{ ... }: {\n  imports = [ ./a.nix ];\n  age.secrets."a".file = ./a.age;\n}\n'), null, 'without config/options, imports and config stand side by side');
    const problem = shape('{ config, lib, ... }:\nlet cfg = config.x; in {\n  options.x.enable = lib.mkEnableOption "x";\n  config = { };\n  age.secrets."x-env" = { file = ./x.age; };\n}\n');
    assert.equal(problem.kind, 'shape');
    assert.match(problem.message, /f\.nix is an explicit module .* `age`/);
    assert.equal(shape('{ config = { }; inherit (import ./x.nix) services; }').kind, 'shape', 'inherited names count');
    assert.equal(shape('{ a = 1;').kind, 'syntax');
  });

  test('it agrees with the real evaluator', { skip: !hasNix }, () => {
    const s = scratchWorkspace(ADOPTED);
    const broken = path.join(s.root, SECRETS);
    const text = readFileSync(broken, 'utf8');
    const wrong = text.replace(/\n\}\n$/, '\n\n  age.secrets."sonarr-env".file = ../encrypted/sonarr-env.age;\n}\n');
    writeFileSync(broken, wrong);
    assert.equal(shape(wrong).kind, 'shape');
    assert.throws(() => assertModuleShape([broken]), /explicit module with other top-level attributes/);
    writeFileSync(broken, text);
    assert.equal(shape(text), null);
    assertModuleShape([broken]);
  });

  test('a secrets file whose config is not an attrset the tool can extend is refused, not broken', async () => {
    const s = adopted();
    writeFileSync(path.join(s.root, SECRETS), '{ config, lib, ... }: {\n  options.hwc.secrets.server.enable = lib.mkEnableOption "secrets";\n  config = import ./generated.nix { inherit lib; };\n}\n');
    await assert.rejects(generate(s.root, sonarr), (error) => error instanceof engine.ScaffoldError && /config.* is not an attribute set this tool can extend/.test(error.message));
  });
});

describe('hwc new in the adopted repository', () => {
  test('--dry-run shows the edits where the siblings are; the real run writes them; hwc lint is clean', () => {
    const s = adopted();
    const args = ['new', 'lidarr2', '--image', 'lscr.io/linuxserver/lidarr:2.9.6', '--port', '8687:8686', '--category', 'media', '--proxy'];
    const before = snapshot(s.root);
    const dry = hwc([...args, '--dry-run'], { cwd: s.root });
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(snapshot(s.root), before, 'a dry run writes nothing');
    assert.match(dry.stdout, /^--- edit domains\/server\/containers\/index\.nix\n@@ after line 6 @@\n {5}\.\/lidarr\/index\.nix\n\+ {4}\.\/lidarr2\/index\.nix$/m);
    assert.match(dry.stdout, /^--- edit domains\/server\/routes\.nix\n@@ after line \d+ @@\n {3}\};\n\+\n\+ {2}"\$\{c\.lidarr2\.domain\}" = \{$/m);
    const run = hwc(args, { cwd: s.root });
    assert.equal(run.code, 0, run.stderr);
    const touched = run.stdout.match(/^(?:created|edited ) (\S+)$/gm).map((l) => path.join(s.root, l.split(/\s+/)[1]));
    assert.deepEqual(touched.map((f) => path.relative(s.root, f)).sort(), ['domains/server/containers/index.nix', 'domains/server/containers/lidarr2/index.nix', 'domains/server/containers/lidarr2/options.nix', ROUTES, PROFILE].sort());
    assertValidNix(touched, s.root);
    const lint = hwc(['lint'], { cwd: s.root });
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.match(s.read(PROFILE), /lidarr\.enable = true;\n {4}lidarr2\.enable = true;\n {4}navidrome\.enable = true;/, 'sorted within its group, as the group is');
  });
});
