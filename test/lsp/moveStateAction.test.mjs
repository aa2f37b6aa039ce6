// "Move <name>'s state to another category…" (refactor.move) over JSON-RPC, on copies of the
// homelab example and of the offbeat fixture (a helper-made container, a namespace alias, a
// central routes file, the state path in an option default and tmpfiles in the host file).
// The action is offered on state paths and nowhere else; run the way our client runs it (the
// categories, then the plan of `hwc move` for the picked one) its edit, applied, is exactly
// what `hwc move` writes, every file still parses and keeps its module shape, and lint
// reports what it reported before.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileUri, startServer } from '../helpers/lspClient.mjs';
import { copyHomelab, positionOf } from '../helpers/editorFeatures.mjs';
import { applyWorkspaceEdit, snapshot } from '../helpers/workspaceEdits.mjs';
import { assertModuleShapes, assertNixParses, listFiles } from '../fixtures/fixes/harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwc = path.join(repo, 'bin', 'hwc');
const OFFBEAT = path.join(repo, 'test', 'fixtures', 'lifecycle', 'offbeat');

function copyOf(from) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-move-action-'));
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/** Lint findings of the tree on disk as rule|file|message lines (`hwc lint`, the same engine). */
function findings(root) {
  const r = spawnSync(process.execPath, [hwc, 'lint', '--format', 'json', '--root', root], { cwd: root, encoding: 'utf8' });
  return JSON.parse(r.stdout).map((f) => `${f.rule}|${f.file}|${f.message}`).sort();
}

function nixTexts(root) {
  return new Map(listFiles(root).filter((f) => f.endsWith('.nix')).map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]));
}

/** Opens a file of the workspace and asks for code actions at `needle` (+delta); `only` as VS Code sends it. */
async function actionsAt(server, root, file, needle, delta = 0, only) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const uri = fileUri(path.join(root, file));
  server.open(path.join(root, file), text);
  try {
    const position = positionOf(text, needle, delta);
    const context = only ? { diagnostics: [], only } : { diagnostics: [] };
    const actions = await server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context });
    return actions.filter((a) => a.kind === 'refactor.move');
  } finally {
    server.close(uri);
  }
}

/** What our client does with the action's command: ask for the categories, then for the plan of the one picked. */
async function runMove(server, action, category) {
  assert.equal(action.command.command, 'hwc.moveState', 'the client command that asks for the category');
  const [prompt] = action.command.arguments;
  const move = (args) => server.request('workspace/executeCommand', { command: 'hwc.server.moveState', arguments: [{ name: prompt.name, uri: prompt.uri, ...args }] });
  const offer = await move({});
  assert.ok(offer.categories.includes(category), `${category} is offered: ${JSON.stringify(offer)}`);
  return { prompt, offer, result: await move({ category }) };
}

describe('Move state code action on a copy of examples/homelab', () => {
  test('offered on a volume, a tmpfiles line and a let value spelling the state path; not on other strings, comments or the media library', async () => {
    const root = copyHomelab('hwc-move-action-');
    const server = await startServer(root);
    try {
      await server.waitReady();
      const offered = async (file, needle, delta, only) => (await actionsAt(server, root, file, needle, delta, only)).map((a) => a.title);
      const kuma = 'domains/server/containers/uptime-kuma/index.nix';
      assert.deepEqual(await offered(kuma, '"/opt/apps/uptime-kuma:/app/data"', 8), ["Move uptime-kuma's state to another category…"], 'the volume');
      assert.deepEqual(await offered(kuma, '"d /opt/apps/uptime-kuma 0755', 20), ["Move uptime-kuma's state to another category…"], 'the tmpfiles line, on the name');
      assert.deepEqual(await offered(kuma, '"d /opt/apps/uptime-kuma 0755', 24), ["Move uptime-kuma's state to another category…"], 'right after the path');
      assert.deepEqual(await offered('domains/server/containers/sonarr/index.nix', 'stateDir = "/opt/media/sonarr"', 14), ["Move sonarr's state to another category…"], 'a let value the volumes read');
      assert.deepEqual(await offered('domains/server/containers/paperless/index.nix', '"/opt/business/paperless/media:', 20), ["Move paperless's state to another category…"], 'a sub-folder of the state directory');
      assert.deepEqual(await offered(kuma, '"/opt/apps/uptime-kuma:/app/data"', 8, ['refactor']), ["Move uptime-kuma's state to another category…"], 'in the Refactor… menu');
      assert.deepEqual(await offered(kuma, '"/opt/apps/uptime-kuma:/app/data"', 8, ['quickfix']), [], 'not among quick fixes only');
      assert.deepEqual(await offered(kuma, '"/opt/apps/uptime-kuma:/app/data"', 26), [], 'the container side of the mapping');
      assert.deepEqual(await offered(kuma, 'image = ', 12), [], 'the image');
      assert.deepEqual(await offered('domains/server/containers/sonarr/index.nix', '"/mnt/storage/media/tv:/tv"', 8), [], 'the media library');
      assert.deepEqual(await offered('domains/server/containers/sonarr/index.nix', '# hwc-lint: disable-next-line', 4), [], 'a comment');
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('uptime-kuma from apps to monitoring: the edit equals hwc move, parses, keeps module shapes, and only the state-path-category finding goes', async () => {
    const root = copyHomelab('hwc-move-action-');
    const cliCopy = copyHomelab('hwc-move-action-cli-');
    const server = await startServer(root);
    try {
      await server.waitReady();
      const before = findings(root);
      const [action] = await actionsAt(server, root, 'domains/server/containers/uptime-kuma/index.nix', '"/opt/apps/uptime-kuma:/app/data"', 8);
      const { prompt, offer, result } = await runMove(server, action, 'monitoring');
      assert.deepEqual(prompt, { name: 'uptime-kuma', uri: fileUri(path.join(root, 'domains/server/containers/uptime-kuma/index.nix')), current: 'apps' });
      assert.deepEqual(offer, { categories: ['media', 'services', 'databases', 'monitoring', 'business'], current: 'apps', stateRoot: '/opt' });
      assert.deepEqual(result.notes, ['the state directory is now /opt/monitoring/uptime-kuma in Nix: move the data on the host before the next switch: mv /opt/apps/uptime-kuma /opt/monitoring/uptime-kuma']);
      applyWorkspaceEdit(result.edit);
      const r = spawnSync(process.execPath, [hwc, 'move', 'uptime-kuma', 'monitoring', '--root', cliCopy], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(snapshot(root), snapshot(cliCopy), 'the same files as hwc move');
      const texts = nixTexts(root);
      assertNixParses(texts, 'after the move');
      assert.ok(assertModuleShapes(texts, 'after the move') > 0, 'the evaluator judged the modules');
      const after = findings(root);
      assert.deepEqual(after.filter((f) => !before.includes(f)), [], 'no new finding');
      assert.deepEqual(before.filter((f) => !after.includes(f)).map((f) => f.split('|').slice(0, 2).join('|')), ['state-path-category|domains/server/containers/uptime-kuma/index.nix'], 'only the finding about the category it left');
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(cliCopy, { recursive: true, force: true });
    }
  });
});

describe('Move state code action on the offbeat fixture (helper, alias, central routes file, option default, host tmpfiles)', () => {
  test('offered on the option default, the host tmpfiles line and an alias-read module; not on a host name or a domain', async () => {
    const root = copyOf(OFFBEAT);
    const server = await startServer(root);
    try {
      await server.waitReady();
      const offered = async (file, needle, delta) => (await actionsAt(server, root, file, needle, delta)).map((a) => a.title);
      assert.deepEqual(await offered('modules/apps/gitea/default.nix', 'default = "/opt/services/gitea"', 25), ["Move gitea's state to another category…"], 'the option default the helper call reads');
      assert.deepEqual(await offered('hosts/box.nix', '"d /opt/services/gitea 0750', 18), ["Move gitea's state to another category…"], 'tmpfiles in the host file');
      assert.deepEqual(await offered('modules/apps/runner/default.nix', '"/opt/services/runner:/data"', 18), ["Move runner's state to another category…"], 'a module reading its options through the alias');
      assert.deepEqual(await offered('modules/apps/gitea-db/default.nix', '"d /opt/databases/gitea-db 0700', 22), ["Move gitea-db's state to another category…"]);
      assert.deepEqual(await offered('modules/apps/gitea/default.nix', '"gitea-db:5432"', 3), [], 'a host name');
      assert.deepEqual(await offered('modules/apps/gitea/default.nix', '"git.example.org"', 3), [], 'a domain');
      assert.deepEqual(await offered('modules/apps/gitea/default.nix', '"${cfg.dataDir}:/data"', 4), [], 'the interpolation that reads the option');
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  for (const [name, file, needle, delta, category, edited] of [
    ['gitea', 'hosts/box.nix', '"d /opt/services/gitea 0750', 18, 'business', ['hosts/box.nix', 'modules/apps/gitea/default.nix']],
    ['gitea-db', 'modules/apps/gitea-db/default.nix', '"/opt/databases/gitea-db:', 20, 'services', ['modules/apps/gitea-db/default.nix']],
    ['runner', 'modules/apps/runner/default.nix', '"/opt/services/runner:/data"', 18, 'business', ['modules/apps/runner/default.nix']],
  ]) {
    test(`${name} to ${category}: the edit equals hwc move, parses, keeps module shapes, and lint is unchanged`, async () => {
      const root = copyOf(OFFBEAT);
      const cliCopy = copyOf(OFFBEAT);
      const server = await startServer(root);
      try {
        await server.waitReady();
        const before = findings(root);
        const [action] = await actionsAt(server, root, file, needle, delta);
        assert.equal(action?.command.arguments[0].name, name);
        const { result } = await runMove(server, action, category);
        assert.deepEqual(result.edits, edited, 'every file spelling the state path, and no other');
        assert.match(result.notes.join('\n'), new RegExp(`mv /opt/[a-z]+/${name} /opt/${category}/${name}$`));
        applyWorkspaceEdit(result.edit);
        const r = spawnSync(process.execPath, [hwc, 'move', name, category, '--root', cliCopy], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(snapshot(root), snapshot(cliCopy), 'the same files as hwc move');
        for (const f of edited) assert.match(fs.readFileSync(path.join(root, f), 'utf8'), new RegExp(`/opt/${category}/${name}\\b`));
        const texts = nixTexts(root);
        assertNixParses(texts, 'after the move');
        assertModuleShapes(texts, 'after the move');
        assert.deepEqual(findings(root), before, 'exactly the findings of before');
      } finally {
        await server.stop();
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(cliCopy, { recursive: true, force: true });
      }
    });
  }
});
