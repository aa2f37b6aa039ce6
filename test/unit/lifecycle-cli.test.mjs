// `hwc rename`, `hwc move` and `hwc remove` on copies of the homelab example and of a workspace laid out
// its own way (test/fixtures/lifecycle/offbeat: another namespace with an alias, default.nix
// modules, a helper, a central routes file, tmpfiles in the host file). After each change:
// every file parses with the real Nix parser, modules keep their shape (the evaluator's
// top-level attribute names), and lint reports exactly the findings of before — renamed, or
// minus those about the removed container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { engine, listFiles } from '../fixtures/fixes/harness.mjs';
import { copyWorkspace } from '../helpers/lintCache.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwc = path.join(repo, 'bin', 'hwc');
const HOMELAB = path.join(repo, 'examples', 'homelab');
const OFFBEAT = path.join(repo, 'test', 'fixtures', 'lifecycle', 'offbeat');

function copy(from) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-lifecycle-'));
  copyWorkspace(from, dir);
  return dir;
}

function run(args, root) {
  const r = spawnSync(process.execPath, [hwc, ...args, '--root', root], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function snapshot(dir) {
  return new Map(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

/** Lint findings as rule|file|message lines, with one name replaced by another (for a rename). */
function findings(root, rename = null) {
  const r = run(['lint', '--format', 'json'], root);
  const list = JSON.parse(r.stdout);
  const swap = (text) => (rename ? text.split(rename[0]).join(rename[1]) : text);
  return list.map((f) => `${f.rule}|${swap(f.file)}|${swap(f.message)}`).sort();
}

function assertParsesAndKeepsShape(root) {
  const files = listFiles(root).filter((f) => f.endsWith('.nix'));
  execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...files.map((f) => path.join(root, f))], { stdio: ['ignore', 'ignore', 'pipe'] });
  const allowed = new Set(['config', 'options', 'imports', 'meta', '_file', 'key', 'disabledModules', 'freeformType', '_class']);
  for (const file of files.filter((f) => /^(domains\/server\/containers|modules\/apps|profiles|hosts)\//.test(f))) {
    const expr = `let m = import ${path.join(root, file)}; v = if builtins.isFunction m then m { config = {}; lib = {}; pkgs = {}; options = {}; modulesPath = ""; } else m; in builtins.attrNames v`;
    let names;
    try {
      names = JSON.parse(execFileSync('nix-instantiate', ['--store', 'dummy://', '--eval', '--strict', '--json', '-E', expr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch {
      continue; // a file whose top level needs real arguments (a route keyed by cfg.domain): the parse above covers it
    }
    // NixOS's rule: once `config` or `options` is explicit, every other key must be structural (`imports` beside plain config is shorthand).
    if (names.some((n) => ['config', 'options'].includes(n))) assert.deepEqual(names.filter((n) => !allowed.has(n)), [], `${file} keeps the module shape`);
  }
}

/** What the engine resolves for a container: image, ports, state directories, secrets. */
async function resolved(root, name) {
  await engine.initParser();
  const workspace = new engine.Workspace(root);
  workspace.loadAll();
  const [model] = workspace.index.containersNamed(name);
  assert.ok(model, `${name} is defined`);
  const facts = engine.factsOf(workspace).container(model);
  return { image: facts.image, ports: facts.ports, stateDirs: facts.stateDirs, secrets: facts.secrets };
}

test('rename n8n → automations on the homelab: every place follows, lint is unchanged but for the kept state directory, the container resolves the same', async () => {
  const root = copy(HOMELAB);
  try {
    const before = findings(root, ['n8n', 'automations']);
    const was = await resolved(root, 'n8n');
    const r = run(['rename', 'n8n', 'automations'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^moved domains\/server\/containers\/n8n\/ → domains\/server\/containers\/automations\/$/m);
    assert.match(r.stdout, /^moved domains\/server\/containers\/caddy\/routes\/n8n\.nix → domains\/server\/containers\/caddy\/routes\/automations\.nix$/m);
    assert.match(r.stdout, /^moved domains\/secrets\/parts\/server\/n8n-env\.age → domains\/secrets\/parts\/server\/automations-env\.age$/m);
    assert.match(r.stdout, /note: the state directory \/opt\/services\/n8n keeps its name/);
    // Listed, not guessed: the database name in the environment and postgres's init script.
    assert.match(r.stdout, /domains\/server\/containers\/n8n\/index\.nix:30: a value of `DB_POSTGRESDB_DATABASE`/);
    assert.match(r.stdout, /domains\/server\/containers\/postgres\/index\.nix:16: inside a multi-line string/);

    const files = listFiles(root);
    assert.ok(!files.some((f) => f.includes('/n8n/') || f.endsWith('/n8n.nix') || f.endsWith('n8n-env.age')), 'nothing is left under the old name');
    const index = fs.readFileSync(path.join(root, 'domains/server/containers/automations/index.nix'), 'utf8');
    assert.match(index, /cfg = config\.hwc\.server\.containers\.automations;/);
    assert.match(index, /virtualisation\.oci-containers\.containers\.automations = \{/);
    assert.match(index, /config\.age\.secrets\."automations-env"\.path/);
    assert.match(index, /assertion = config\.age\.secrets \? "automations-env";/);
    assert.match(index, /"\/opt\/services\/n8n:\/home\/node\/\.n8n"/, 'the state directory is only renamed with --state');
    assert.match(index, /DB_POSTGRESDB_DATABASE = "n8n";/, 'an environment value is not a place the name lives');
    const profile = fs.readFileSync(path.join(root, 'profiles/server.nix'), 'utf8');
    assert.match(profile, /\.\.\/domains\/server\/containers\/automations\/index\.nix/);
    assert.match(profile, /hwc\.server\.containers\.automations\.enable = true;/);
    assert.match(fs.readFileSync(path.join(root, 'secrets.nix'), 'utf8'), /"domains\/secrets\/parts\/server\/automations-env\.age"\.publicKeys/);
    assert.equal(
      fs.readFileSync(path.join(root, 'domains/secrets/parts/server/automations-env.age'), 'latin1'),
      fs.readFileSync(path.join(HOMELAB, 'domains/secrets/parts/server/n8n-env.age'), 'latin1'),
      'the encrypted file moved byte for byte',
    );

    assertParsesAndKeepsShape(root);
    // Without --state the container keeps n8n's directory, and the linter says so: the one new finding, and the reason --state exists.
    const after = findings(root);
    assert.deepEqual(after.filter((f) => !before.includes(f)), ["state-path-owner|domains/server/containers/automations/index.nix|automations mounts `/opt/services/n8n`, the state directory of `n8n`, not of automations; keep each container's state in `/opt/services/automations`"]);
    assert.deepEqual(before.filter((f) => !after.includes(f)), [], 'every other finding stays, under the new name');
    assert.deepEqual(await resolved(root, 'automations'), { ...was, secrets: ['automations-env'] }, 'same image, ports and state; the secret follows the name');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('rename --state renames the state directory in volumes and tmpfiles and prints the mv for the host; lint is unchanged', () => {
  const root = copy(HOMELAB);
  try {
    const before = findings(root, ['prowlarr', 'indexer']);
    const r = run(['rename', 'prowlarr', 'indexer', '--state'], root);
    assert.doesNotMatch(r.stdout, /keeps its name/);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /move the data on the host before the next switch: mv \/opt\/media\/prowlarr \/opt\/media\/indexer$/m);
    const index = fs.readFileSync(path.join(root, 'domains/server/containers/indexer/index.nix'), 'utf8');
    assert.match(index, /name = "indexer";/, 'the name a helper call gives');
    assert.match(index, /"\/opt\/media\/indexer:\/config"/);
    assert.match(index, /"d \/opt\/media\/indexer 0755 1000 1000 -"/);
    for (const dependent of ['sonarr', 'radarr']) assert.match(fs.readFileSync(path.join(root, `domains/server/containers/${dependent}/index.nix`), 'utf8'), /dependsOn = \[ "indexer" \];/);
    assertParsesAndKeepsShape(root);
    assert.deepEqual(findings(root), before);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('rename refuses a bad or taken name, and --dry-run prints the change; nothing is written in either case', () => {
  const root = copy(HOMELAB);
  try {
    const before = snapshot(root);
    const upper = run(['rename', 'n8n', 'N8N'], root);
    assert.equal(upper.code, 2);
    assert.match(upper.stderr, /new name: `N8N` has upper-case letters; use kebab-case \(`n8n`\); nothing was written/);
    const taken = run(['rename', 'n8n', 'sonarr'], root);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /a container named `sonarr` already exists; nothing was written/);
    const keyword = run(['rename', 'n8n', 'inherit'], root);
    assert.match(keyword.stderr, /is a Nix keyword/);
    const missing = run(['rename', 'jellyfin', 'media'], root);
    assert.match(missing.stderr, /no container named `jellyfin`/);
    const dry = run(['rename', 'n8n', 'automations', '--dry-run'], root);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^--- a\/profiles\/server\.nix$/m);
    assert.match(dry.stdout, /^\+  hwc\.server\.containers\.automations\.enable = true;$/m);
    assert.match(dry.stdout, /^would move domains\/server\/containers\/n8n\/ → domains\/server\/containers\/automations\/$/m);
    assert.match(dry.stdout, /dry run: nothing was written/);
    assert.deepEqual(snapshot(root), before);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('remove n8n on the homelab: folder, route, profile lines, secret and .age go; only n8n\'s own findings disappear', () => {
  const root = copy(HOMELAB);
  try {
    const before = findings(root);
    const r = run(['remove', 'n8n'], root);
    assert.equal(r.code, 0, r.stderr);
    const files = listFiles(root);
    for (const gone of ['domains/server/containers/n8n/index.nix', 'domains/server/containers/caddy/routes/n8n.nix', 'domains/secrets/parts/server/n8n-env.age']) assert.ok(!files.includes(gone), `${gone} deleted`);
    assert.ok(!fs.existsSync(path.join(root, 'domains/server/containers/n8n')), 'the emptied module folder goes too');
    const profile = fs.readFileSync(path.join(root, 'profiles/server.nix'), 'utf8');
    assert.doesNotMatch(profile, /n8n/);
    assert.doesNotMatch(fs.readFileSync(path.join(root, 'domains/secrets/index.nix'), 'utf8'), /n8n-env/);
    assert.doesNotMatch(fs.readFileSync(path.join(root, 'secrets.nix'), 'utf8'), /publicKeys.*\n?.*n8n|"domains\/secrets\/parts\/server\/n8n-env\.age"/);
    assert.match(r.stdout, /note: the data in \/opt\/services\/n8n on the host is left as it is/);
    assertParsesAndKeepsShape(root);
    const after = findings(root);
    assert.deepEqual(after.filter((f) => !before.includes(f)), [], 'no new findings (no orphan secret, route or tmpfiles line)');
    assert.deepEqual(before.filter((f) => !after.includes(f)).every((f) => f.split('|')[1].includes('/n8n/')), true, 'only findings in n8n\'s own files are gone');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('remove refuses while others dependsOn the container (listing them) and writes nothing; --keep-secret keeps the secret', () => {
  const root = copy(HOMELAB);
  try {
    const before = snapshot(root);
    const r = run(['remove', 'postgres'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /postgres is still in the dependsOn of paperless \(domains\/server\/containers\/paperless\/index\.nix:\d+\), n8n \(domains\/server\/containers\/n8n\/index\.nix:\d+\)/);
    assert.match(r.stderr, /nothing was written/);
    assert.deepEqual(snapshot(root), before);

    const dry = run(['remove', 'n8n', '--dry-run'], root);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^-  hwc\.server\.containers\.n8n\.enable = true;$/m);
    assert.match(dry.stdout, /^would delete domains\/server\/containers\/n8n\/index\.nix$/m);
    assert.match(dry.stdout, /^would delete domains\/secrets\/parts\/server\/n8n-env\.age$/m);
    assert.deepEqual(snapshot(root), before, 'the dry run wrote nothing');

    const kept = run(['remove', 'n8n', '--keep-secret'], root);
    assert.equal(kept.code, 0, kept.stderr);
    assert.ok(fs.existsSync(path.join(root, 'domains/secrets/parts/server/n8n-env.age')));
    assert.match(fs.readFileSync(path.join(root, 'domains/secrets/index.nix'), 'utf8'), /age\.secrets\."n8n-env" = \{/);
    assert.match(kept.stdout, /kept the secret n8n-env/);
    assertParsesAndKeepsShape(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a workspace laid out its own way: rename gitea → forgejo leaves gitea-db alone and lint unchanged', async () => {
  const root = copy(OFFBEAT);
  try {
    const before = findings(root, ['gitea', 'forgejo']).map((f) => f.split('forgejo-db').join('gitea-db')).sort();
    const was = await resolved(root, 'gitea');
    const r = run(['rename', 'gitea', 'forgejo', '--state'], root);
    assert.equal(r.code, 0, r.stderr);
    const host = fs.readFileSync(path.join(root, 'hosts/box.nix'), 'utf8');
    assert.match(host, /\.\.\/modules\/apps\/forgejo # the forge/);
    assert.match(host, /homelab\.apps\.forgejo\.enable = true;/);
    assert.match(host, /gitea-db\.enable = true;/);
    assert.match(host, /"d \/opt\/services\/forgejo 0750 1000 1000 -"/);
    assert.match(fs.readFileSync(path.join(root, 'modules/apps/forgejo/default.nix'), 'utf8'), /default = "\/opt\/services\/forgejo";/, 'the option default the volume reads');
    const runner = fs.readFileSync(path.join(root, 'modules/apps/runner/default.nix'), 'utf8');
    assert.match(runner, /"--network=container:forgejo"/);
    assert.match(runner, /dependsOn = \[ "forgejo" \];/);
    assert.match(runner, /config\.homelab\.apps\.forgejo\.port/);
    assert.match(fs.readFileSync(path.join(root, 'modules/proxy/routes.nix'), 'utf8'), /"\$\{config\.homelab\.apps\.forgejo\.domain\}"/);
    assert.match(fs.readFileSync(path.join(root, 'secrets/default.nix'), 'utf8'), /age\.secrets\.forgejo-env\.file = \.\/forgejo-env\.age;\n  age\.secrets\.gitea-db-env\.file = \.\/gitea-db-env\.age;/);
    assert.equal(fs.readFileSync(path.join(root, 'modules/apps/gitea-db/default.nix'), 'utf8'), fs.readFileSync(path.join(OFFBEAT, 'modules/apps/gitea-db/default.nix'), 'utf8'), 'gitea-db is another container');
    assert.match(r.stdout, /modules\/apps\/gitea-db\/default\.nix:14: a value of `POSTGRES_DB`/);
    assertParsesAndKeepsShape(root);
    assert.deepEqual(findings(root), before);
    const now = await resolved(root, 'forgejo');
    assert.deepEqual({ ...now, stateDirs: undefined, secrets: undefined }, { ...was, stateDirs: undefined, secrets: undefined });
    assert.deepEqual(now.stateDirs, ['/opt/services/forgejo']);
    assert.deepEqual(now.secrets, ['forgejo-env']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a workspace laid out its own way: remove gitea is refused for its runner, --force takes the runner\'s entries and the central route too', () => {
  const root = copy(OFFBEAT);
  try {
    const before = findings(root);
    const refused = run(['remove', 'gitea'], root);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /gitea is still in the dependsOn of runner \(modules\/apps\/runner\/default\.nix:18\)/);
    const r = run(['remove', 'gitea', '--force'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!fs.existsSync(path.join(root, 'modules/apps/gitea')));
    assert.ok(!fs.existsSync(path.join(root, 'secrets/gitea-env.age')));
    assert.ok(fs.existsSync(path.join(root, 'secrets/gitea-db-env.age')));
    const routes = fs.readFileSync(path.join(root, 'modules/proxy/routes.nix'), 'utf8');
    assert.doesNotMatch(routes, /gitea/);
    assert.match(routes, /"status\.example\.org"/);
    const runner = fs.readFileSync(path.join(root, 'modules/apps/runner/default.nix'), 'utf8');
    assert.match(runner, /dependsOn = \[ \];/);
    assert.match(runner, /extraOptions = \[ \];/);
    // The runner still reads gitea's port in an environment value: listed for the user.
    assert.match(r.stdout, /modules\/apps\/runner\/default\.nix:14: still refers to gitea \(config-read\); remove it by hand/);
    assertParsesAndKeepsShape(root);
    const after = findings(root);
    assert.deepEqual(after.filter((f) => !before.includes(f)), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('move: the state directory changes category in volumes, tmpfiles and option defaults together; the mv is printed', () => {
  const homelab = copy(HOMELAB);
  const offbeat = copy(OFFBEAT);
  try {
    const before = findings(homelab);
    const dry = run(['move', 'uptime-kuma', 'monitoring', '--dry-run'], homelab);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\+        "\/opt\/monitoring\/uptime-kuma:\/app\/data"$/m);
    assert.match(dry.stdout, /^\+      "d \/opt\/monitoring\/uptime-kuma 0755 1000 1000 -"$/m);
    assert.match(dry.stdout, /mv \/opt\/apps\/uptime-kuma \/opt\/monitoring\/uptime-kuma$/m);
    const r = run(['move', 'uptime-kuma', 'monitoring'], homelab);
    assert.equal(r.code, 0, r.stderr);
    assertParsesAndKeepsShape(homelab);
    const after = findings(homelab);
    assert.deepEqual(after.filter((f) => !before.includes(f)), []);
    assert.deepEqual(before.filter((f) => !after.includes(f)).map((f) => f.split('|')[0]), ['state-path-category'], 'the one finding the move answers is gone');

    const refused = run(['move', 'n8n', 'apps'], homelab);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /`apps` is not a state category; use one of `media`, `services`/);

    const offBefore = findings(offbeat);
    const moved = run(['move', 'gitea', 'business'], offbeat);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(fs.readFileSync(path.join(offbeat, 'modules/apps/gitea/default.nix'), 'utf8'), /default = "\/opt\/business\/gitea";/);
    assert.match(fs.readFileSync(path.join(offbeat, 'hosts/box.nix'), 'utf8'), /"d \/opt\/business\/gitea 0750 1000 1000 -"/);
    assert.match(fs.readFileSync(path.join(offbeat, 'modules/apps/gitea-db/default.nix'), 'utf8'), /\/opt\/databases\/gitea-db/, 'another container keeps its state');
    assertParsesAndKeepsShape(offbeat);
    assert.deepEqual(findings(offbeat), offBefore);
  } finally {
    fs.rmSync(homelab, { recursive: true, force: true });
    fs.rmSync(offbeat, { recursive: true, force: true });
  }
});

test('the writer deletes all or nothing: a file changed meanwhile, or a link, leaves every file as it was', () => {
  const root = copy(HOMELAB);
  try {
    const before = snapshot(root);
    const route = 'domains/server/containers/caddy/routes/n8n.nix';
    const profile = 'profiles/server.nix';
    const profileText = fs.readFileSync(path.join(root, profile), 'utf8');
    const writes = [
      { path: route, action: 'delete', text: '', before: fs.readFileSync(path.join(root, route)) },
      { path: profile, action: 'replace', text: profileText.replace(/\n.*n8n\.enable.*\n/, '\n'), before: profileText },
    ];
    assert.throws(
      () => engine.commitFiles(root, writes, { beforeReplace: (file) => file === profile && fs.appendFileSync(path.join(root, profile), '# edited meanwhile\n') }),
      /profiles\/server\.nix changed on disk while the changes were being written.*nothing was written/,
    );
    fs.writeFileSync(path.join(root, profile), profileText);
    assert.deepEqual(snapshot(root), before, 'the deleted route is back, nothing else changed');
    assert.ok(!listFiles(root).some((f) => f.includes('.hwc-')), 'no backup or temp file left');

    fs.symlinkSync('n8n.nix', path.join(root, 'domains/server/containers/caddy/routes/alias.nix'));
    assert.throws(() => engine.commitFiles(root, [{ path: 'domains/server/containers/caddy/routes/alias.nix', action: 'delete', text: '', before: fs.readFileSync(path.join(root, route)) }]), /is a symbolic link; remove it by hand; nothing was written/);
    assert.ok(fs.existsSync(path.join(root, route)), 'the link target stays');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a workspace laid out its own way: a cfg read through a namespace alias, and a name that is another\'s prefix plus a suffix', () => {
  const root = copy(OFFBEAT);
  try {
    const before = findings(root);
    const runner = run(['rename', 'runner', 'ci-runner', '--state'], root);
    assert.equal(runner.code, 0, runner.stderr);
    const runnerModule = fs.readFileSync(path.join(root, 'modules/apps/ci-runner/default.nix'), 'utf8');
    assert.match(runnerModule, /cfg = config\.services\.apps\.ci-runner;/, 'read through the alias services.apps');
    assert.match(runnerModule, /options\.homelab\.apps\.ci-runner\.enable/);
    assert.match(fs.readFileSync(path.join(root, 'hosts/box.nix'), 'utf8'), /homelab\.apps = \{\n    gitea-db\.enable = true;\n    ci-runner\.enable = true;/, 'the nested enable line');

    const db = run(['rename', 'gitea-db', 'forge-db', '--state'], root);
    assert.equal(db.code, 0, db.stderr);
    assert.match(fs.readFileSync(path.join(root, 'modules/apps/gitea/default.nix'), 'utf8'), /dependsOn = \[ "forge-db" \];/);
    assert.match(fs.readFileSync(path.join(root, 'secrets/default.nix'), 'utf8'), /age\.secrets\.gitea-env\.file = \.\/gitea-env\.age;\n  age\.secrets\.forge-db-env\.file = \.\/forge-db-env\.age;/);
    assert.ok(fs.existsSync(path.join(root, 'secrets/forge-db-env.age')) && fs.existsSync(path.join(root, 'secrets/gitea-env.age')));
    assert.match(db.stdout, /modules\/apps\/gitea\/default\.nix:\d+: a value of `GITEA__database__HOST`: GITEA__database__HOST = "gitea-db:5432";/, 'the host name in a connection string is listed');
    assertParsesAndKeepsShape(root);
    const swap = (f) => f.split('gitea-db').join('forge-db').split('runner').join('ci-runner');
    assert.deepEqual(findings(root), before.map(swap).sort());
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('remove --force of the container whose module creates a shared network says who is left without it', () => {
  const root = copy(HOMELAB);
  try {
    const r = run(['remove', 'postgres', '--force'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^note: nothing creates the network hwc-db any more, and n8n, paperless, redis join it: create it in another module$/m);
    for (const dependent of ['n8n', 'paperless']) assert.doesNotMatch(fs.readFileSync(path.join(root, `domains/server/containers/${dependent}/index.nix`), 'utf8'), /"postgres"\s*[\]"]/, `${dependent} no longer dependsOn postgres`);
    assert.match(r.stdout, /domains\/server\/containers\/paperless\/index\.nix:28: a value of `PAPERLESS_DBHOST`/, 'the host names in the environment are listed');
    assertParsesAndKeepsShape(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
