// Convention discovery, `hwc init`, `hwc config --show` and root finding, on
// test/fixtures/adoption/loose-flake: a repository that follows the house layout loosely
// (one central routes.nix, secrets declared in an explicit module under
// domains/secrets/declarations/, modules imported through containers/index.nix, a sixth
// state category `downloads`, tmpfiles made by a helper, a renamed namespace, media at
// /srv/media, time.timeZone). Its real mistakes carry `# expect:` comments; the findings
// that only come from not knowing its conventions must vanish once `hwc init` has run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engine, init, readExpectations } from '../fixtures/rules/harness.mjs';

await init();

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const fixture = path.join(repo, 'test/fixtures/adoption/loose-flake');
const hwcBin = path.join(repo, 'bin/hwc');

function hwc(args, cwd = repo) {
  try {
    return { code: 0, stdout: execFileSync(process.execPath, [hwcBin, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (error) {
    return { code: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

/** A private copy of the fixture (init writes into it). */
function copyFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

const findingKeys = (stdout) => JSON.parse(stdout).map((f) => `${f.file}:${f.line} ${f.rule}`).sort();
const expectedKeys = (root) => readExpectations(root).map((e) => `${e.file}:${e.line} ${e.rule}`).sort();

function discover(root) {
  const workspace = new engine.Workspace(root);
  workspace.loadAll();
  workspace.applyDiscovery();
  return workspace;
}

describe('discovery on the loose flake', () => {
  const workspace = discover(fixture);
  const { values, notes } = workspace.conventions;

  test('every convention of the repository is found, each with its evidence', () => {
    assert.equal(values.namespace.value, 'hwc.server.containers');
    assert.match(values.namespace.reason, /^11 modules declare options under `hwc\.server\.containers\.<folder>`/);
    assert.deepEqual(values.namespaceAliases.value, ['hwc.services.containers']);
    assert.match(values.namespaceAliases.reason, /domains\/server\/aliases\.nix/);
    assert.deepEqual(values.categories.value, ['media', 'services', 'databases', 'monitoring', 'business', 'downloads']);
    assert.match(values.categories.reason, /^4 containers keep state under \/opt\/downloads\/… \(prowlarr, qbittorrent, sabnzbd, whisparr\)/);
    assert.match(values.categories.reason, /\/opt\/apps \(homepage\) is too rare to be a convention/, 'a one-off category is a mistake, not a convention');
    assert.deepEqual(values.mediaPrefixes.value, ['/srv/media']);
    assert.equal(values.mediaPrefixes.reason, '4 containers mount /srv/media at /books, /media, /movies, /tv');
    assert.deepEqual(values.tmpfiles.value, { mode: '0750', user: '1000', group: '100' });
    assert.equal(values.timezone.value, 'Europe/Berlin');
    assert.match(values.timezone.reason, /hosts\/server\/default\.nix/);
    assert.equal(values.profile.value, 'profiles/homelab.nix');
    assert.match(values.profile.reason, /^enables 10 container modules/);
    assert.equal(values.modulesImportFile.value, 'domains/server/containers/index.nix');
    assert.equal(values.modulesImportFile.reason, 'imports 10 of 11 container modules');
    assert.equal(values.routesFile.value, 'domains/server/routes.nix');
    assert.match(values.routesFile.reason, /^holds 9 Caddy sites in one attrset/);
    assert.equal(values.routesFolder, undefined, 'one central file, not a folder of route files');
    assert.equal(values.secretsIndex.value, 'domains/secrets/declarations/server.nix');
    assert.equal(values.secretsIndex.reason, 'declares 3 of the 4 `age.secrets` declarations');
    assert.equal(values.secretsFolder.value, 'domains/secrets/encrypted');
  });

  test('habits without a setting are reported as notes: the tmpfiles helper, PUID/PGID, the explicit secrets module', () => {
    assert.ok(notes.some((n) => /helper templates .*sabnzbd\/index\.nix:4/.test(n)), notes.join('\n'));
    assert.ok(notes.includes('PUID/PGID: 8 of 8 containers that set both use 1000:100'), notes.join('\n'));
    assert.ok(notes.some((n) => /declarations\/server\.nix is a module with explicit `options`\/`config`/.test(n)), notes.join('\n'));
  });

  test('discovered values are the effective config the rules and generators read', () => {
    assert.equal(workspace.config.routesFile, 'domains/server/routes.nix');
    assert.equal(workspace.config.timezone, 'Europe/Berlin');
    assert.equal(workspace.origins.timezone.source, 'discovered');
    assert.equal(workspace.origins.stateRoot.source, 'default');
    // The routes file is read as routes once it is known: its sites are in the index.
    assert.equal(workspace.index.get('domains/server/routes.nix').routes.length, 9);
  });

  test('the New Container generator sees the discovered conventions (time zone, categories, where secrets and routes go)', () => {
    const facts = engine.collectFacts({ root: fixture, config: workspace.config, index: workspace.index, files: engine.diskFileAccess(fixture) });
    assert.equal(facts.conventions.timezone, 'Europe/Berlin');
    assert.ok(facts.conventions.categories.includes('downloads'));
    assert.equal(facts.conventions.secretsIndex, 'domains/secrets/declarations/server.nix');
    assert.equal(facts.conventions.secretsFolder, 'domains/secrets/encrypted');
    assert.equal(facts.conventions.profile, 'profiles/homelab.nix');
  });

  test('on the bundled example, discovery agrees with the house defaults', () => {
    const homelab = discover(path.join(repo, 'examples/homelab'));
    for (const key of ['namespace', 'categories', 'timezone', 'profile', 'secretsIndex', 'secretsFolder', 'routesFolder', 'containersFolder', 'tmpfiles']) {
      assert.deepEqual(homelab.config[key], engine.defaultLintConfig[key], key);
    }
    assert.deepEqual(homelab.config.mediaPrefixes, ['/mnt/storage/media']);
  });
});

describe('a namespace of its own', () => {
  test('modules declaring homelab.apps.<folder>: namespace-mismatch with the defaults, clean once discovered', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { ... }: { }; }\n');
      for (const name of ['gitea', 'miniflux', 'vaultwarden']) {
        const folder = path.join(dir, 'domains/server/containers', name);
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(path.join(folder, 'options.nix'), `{ lib, ... }:\n{\n  options.homelab.apps.${name} = {\n    enable = lib.mkEnableOption "${name}";\n    port = lib.mkOption { type = lib.types.port; default = 3000; };\n  };\n}\n`);
        fs.writeFileSync(
          path.join(folder, 'index.nix'),
          `{ config, lib, ... }:\nlet\n  cfg = config.homelab.apps.${name};\nin {\n  imports = [ ./options.nix ];\n  config = lib.mkIf cfg.enable {\n    virtualisation.oci-containers.containers.${name} = {\n      image = "docker.io/library/${name}:1.0";\n      volumes = [ "/opt/services/${name}:/data" ];\n    };\n    systemd.tmpfiles.rules = [ "d /opt/services/${name} 0755 1000 1000 -" ];\n  };\n}\n`,
        );
      }
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{ "discover": false }\n');
      const before = findingKeys(hwc(['lint', '--format', 'json', '--root', dir]).stdout);
      assert.deepEqual(before, ['gitea', 'miniflux', 'vaultwarden'].map((n) => `domains/server/containers/${n}/options.nix:3 namespace-mismatch`));
      fs.rmSync(path.join(dir, '.hwc-lint.json'));
      const after = hwc(['lint', '--format', 'json', '--root', dir]);
      assert.deepEqual(findingKeys(after.stdout), []);
      const show = JSON.parse(hwc(['config', '--show', '--format', 'json', '--root', dir]).stdout);
      assert.equal(show.settings.namespace.value, 'homelab.apps');
      assert.match(show.settings.namespace.reason, /^3 modules declare options under `homelab\.apps\.<folder>`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('modules in a folder of their own', () => {
  test('modules/podman/<name>/: discovered as the containers folder, so module rules see its modules', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { ... }: { }; }\n');
      for (const name of ['gitea', 'miniflux', 'vaultwarden']) {
        const folder = path.join(dir, 'modules/podman', name);
        fs.mkdirSync(folder, { recursive: true });
        const options = `  options.hwc.server.containers.${name} = {\n    enable = lib.mkEnableOption "${name}";\n  };\n`;
        // vaultwarden keeps its options inline: no options.nix (module-missing-options).
        if (name !== 'vaultwarden') fs.writeFileSync(path.join(folder, 'options.nix'), `{ lib, ... }:\n{\n${options}}\n`);
        fs.writeFileSync(
          path.join(folder, 'index.nix'),
          `{ config, lib, ... }:\nlet\n  cfg = config.hwc.server.containers.${name};\nin {\n  imports = [ ${name === 'vaultwarden' ? '' : './options.nix '}];\n${name === 'vaultwarden' ? options : ''}  config = lib.mkIf cfg.enable {\n    virtualisation.oci-containers.containers.${name} = {\n      image = "docker.io/library/${name}:1.0";\n      volumes = [ "/opt/services/${name}:/data" ];\n    };\n    systemd.tmpfiles.rules = [ "d /opt/services/${name} 0755 1000 1000 -" ];\n  };\n}\n`,
        );
      }
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{ "discover": false }\n');
      assert.deepEqual(findingKeys(hwc(['lint', '--format', 'json', '--root', dir]).stdout), [], 'no module folders where the defaults look');
      fs.rmSync(path.join(dir, '.hwc-lint.json'));
      assert.deepEqual(findingKeys(hwc(['lint', '--format', 'json', '--root', dir]).stdout), ['modules/podman/vaultwarden/index.nix:1 module-missing-options']);
      const show = JSON.parse(hwc(['config', '--show', '--format', 'json', '--root', dir]).stdout);
      assert.equal(show.settings.containersFolder.value, 'modules/podman');
      assert.match(show.settings.containersFolder.reason, /^3 sub-folders define containers \(gitea, miniflux, vaultwarden\); there are none in domains\/server\/containers$/);
    } finally {
      fs.rmSync(path.join(dir), { recursive: true, force: true });
    }
  });
});

describe('discovered values pass the same checks as the file\'s', () => {
  test('a secrets folder outside the root is never proposed, a quoted namespace segment never taken', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { ... }: { }; }\n');
      fs.writeFileSync(path.join(dir, 'secrets.nix'), '{ ... }: {\n  age.secrets."db-env".file = ../elsewhere/db-env.age;\n  age.secrets."web-env".file = ../elsewhere/web-env.age;\n}\n');
      for (const name of ['alpha', 'beta']) {
        const folder = path.join(dir, 'domains/server/containers', name);
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(path.join(folder, 'options.nix'), `{ lib, ... }: {\n  options."my apps".${name}.enable = lib.mkEnableOption "${name}";\n}\n`);
      }
      const workspace = discover(dir);
      assert.equal(workspace.conventions.values.secretsFolder, undefined);
      assert.equal(workspace.config.secretsFolder, engine.defaultLintConfig.secretsFolder);
      assert.equal(workspace.config.namespace, engine.defaultLintConfig.namespace, '`my apps` is no option namespace the schema accepts');
      assert.equal(workspace.origins.namespace.source, 'default');
      assert.equal(workspace.config.secretsIndex, 'secrets.nix');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('media library roots (issue 21, item 8)', () => {
  for (const [host, target, root] of [
    ['/srv/media/tv', '/tv', '/srv/media'],
    ['/tank/media/movies', '/movies', '/tank/media'],
    ['/pool/data/media', '/data/media', '/pool/data/media'],
    ['/zfs/media', '/media', '/zfs/media'],
    ['/mnt/storage/media/music/', '/music/', '/mnt/storage/media'],
    ['/srv/tv', '/tv', '/srv/tv'],
    ['/tank/library/Shows', '/tv', '/tank/library'],
    ['/opt/media/sonarr', '/config', null],
  ]) {
    test(`${host}:${target} → ${root}`, () => assert.equal(engine.libraryRoot(host, target), root));
  }
});

describe('media-mount-writable without hand configuration', () => {
  test('libraries at /pool/data/media and /zfs/media: the writable mount is reported, the read-only ones are not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { ... }: { }; }\n');
      fs.writeFileSync(
        path.join(dir, 'media.nix'),
        [
          '{ ... }:',
          '{',
          '  virtualisation.oci-containers.containers = {',
          '    jellyfin = {',
          '      image = "docker.io/jellyfin/jellyfin:10.10.3";',
          '      volumes = [ "/var/lib/jellyfin:/config" "/zfs/media:/media:ro" ];',
          '    };',
          '    plex = {',
          '      image = "docker.io/plexinc/pms-docker:1.41.3";',
          '      volumes = [ "/var/lib/plex:/config" "/pool/data/media:/data/media" ];',
          '    };',
          '    audiobookshelf = {',
          '      image = "ghcr.io/advplyr/audiobookshelf:2.17.5";',
          '      volumes = [ "/var/lib/abs:/config" "/pool/data/media/audiobooks:/audiobooks" "/zfs/media/books:/books:ro" ];',
          '    };',
          '  };',
          '}',
          '',
        ].join('\n'),
      );
      const rules = (r) => findingKeys(r.stdout).filter((k) => k.endsWith('media-mount-writable'));
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{ "discover": false }\n');
      assert.deepEqual(rules(hwc(['lint', '--format', 'json', '--root', dir])), [], 'the default prefixes (/mnt/storage/media, /mnt/media) miss both libraries');
      fs.rmSync(path.join(dir, '.hwc-lint.json'));
      assert.deepEqual(rules(hwc(['lint', '--format', 'json', '--root', dir])), ['media.nix:10 media-mount-writable', 'media.nix:14 media-mount-writable']);
      const show = JSON.parse(hwc(['config', '--show', '--format', 'json', '--root', dir]).stdout);
      assert.deepEqual(show.settings.mediaPrefixes.value, ['/zfs/media', '/pool/data/media']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hwc init', () => {
  test('writes every discovered convention with its reason; the convention findings go, the real mistakes stay', () => {
    const dir = copyFixture();
    try {
      // Without discovery: what a first run on this repository used to report.
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{ "discover": false }\n');
      const before = findingKeys(hwc(['lint', '--format', 'json', '--root', dir]).stdout);
      const count = (rule) => before.filter((k) => k.endsWith(` ${rule}`)).length;
      assert.equal(count('proxy-route-missing'), 9, 'routes in routes.nix are unknown');
      assert.equal(count('state-path-category'), 5, '/opt/downloads ×4 and the real /opt/apps');
      assert.equal(count('suppression-unused'), 2, 'the media-mount-writable suppressions look unused');
      fs.rmSync(path.join(dir, '.hwc-lint.json'));

      const r = hwc(['init', '--root', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\+\s+"routesFile": "domains\/server\/routes\.nix",$/m, 'the diff is shown');
      assert.match(r.stdout, /^wrote \.hwc-lint\.json \(11 settings: /m);
      const written = fs.readFileSync(path.join(dir, '.hwc-lint.json'), 'utf8');
      assert.match(written, /\/\/ 4 containers keep state under \/opt\/downloads\/…[^\n]*\n\s+"categories": \[/, 'a reason above each value');
      const loaded = engine.parseLintConfig(written);
      assert.deepEqual(loaded.problems, [], 'the loader accepts the comments init writes');
      assert.equal(loaded.config.timezone, 'Europe/Berlin');
      assert.equal(loaded.explicit.length, 11);

      const after = hwc(['lint', '--format', 'json', '--root', dir]);
      assert.deepEqual(findingKeys(after.stdout), expectedKeys(dir), 'exactly the real mistakes');
      // Real mistakes the defaults could not see appear: the writable library mount, the module nothing imports.
      assert.ok(!before.some((k) => /readarr.* media-mount-writable|whisparr.* module-not-enabled/.test(k)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the written file parses as JSON with comments and every setting survives a round trip through the schema', () => {
    const dir = copyFixture();
    try {
      hwc(['init', '--root', dir]);
      const show = JSON.parse(hwc(['config', '--show', '--format', 'json', '--root', dir]).stdout);
      for (const key of ['namespace', 'categories', 'mediaPrefixes', 'routesFile', 'secretsIndex', 'timezone']) assert.equal(show.settings[key].source, 'file', key);
      assert.equal(show.settings.stateRoot.source, 'default');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--dry-run shows the diff and writes nothing', () => {
    const dir = copyFixture();
    try {
      const r = hwc(['init', '--dry-run', '--root', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\+\+\+ b\/\.hwc-lint\.json$/m);
      assert.match(r.stdout, /\(dry run: nothing was written\)/);
      assert.ok(!fs.existsSync(path.join(dir, '.hwc-lint.json')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an existing file: the diff, then a refusal without --yes; with --yes its own settings and comments are kept', () => {
    const dir = copyFixture();
    const file = path.join(dir, '.hwc-lint.json');
    const mine = '{\n  // we keep downloads elsewhere on purpose\n  "categories": ["media", "services", "databases"],\n  "rules": { "image-latest-tag": "info" }\n}\n';
    try {
      fs.writeFileSync(file, mine);
      const refused = hwc(['init', '--root', dir]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /exists; run again with --yes/);
      assert.match(refused.stdout, /^\+\s+"timezone": "Europe\/Berlin",?$/m);
      assert.equal(fs.readFileSync(file, 'utf8'), mine, 'untouched');

      const r = hwc(['init', '--yes', '--root', dir]);
      assert.equal(r.code, 0, r.stderr);
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.includes('// we keep downloads elsewhere on purpose\n  "categories": ["media", "services", "databases"]'), text);
      assert.ok(!/"categories":[^\n]*downloads/.test(text), 'an explicit setting is never replaced');
      const loaded = engine.parseLintConfig(text);
      assert.deepEqual(loaded.problems, []);
      assert.equal(loaded.config.rules['image-latest-tag'], 'info');
      assert.equal(loaded.config.routesFile, 'domains/server/routes.nix');
      assert.match(text, /\/\/ `time\.timeZone = "Europe\/Berlin"` in hosts\/server\/default\.nix\n\s+"timezone": "Europe\/Berlin"/);

      const again = hwc(['init', '--yes', '--root', dir]);
      assert.match(again.stdout, /nothing to add/);
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hwc config --show', () => {
  test('each value from the file, discovered (with the reason) or the default', () => {
    const dir = copyFixture();
    try {
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{\n  // pinned by hand\n  "timezone": "UTC"\n}\n');
      const json = JSON.parse(hwc(['config', '--show', '--format', 'json', '--root', dir]).stdout);
      assert.deepEqual(json.settings.timezone, { value: 'UTC', source: 'file' }, 'the file wins over time.timeZone');
      assert.equal(json.settings.routesFile.source, 'discovered');
      assert.match(json.settings.routesFile.reason, /9 Caddy sites/);
      assert.deepEqual(json.settings.stateRoot, { value: '/opt', source: 'default' });
      const text = hwc(['config', '--show', '--root', dir]).stdout;
      assert.match(text, /^root: .* \(has flake\.nix\)$/m);
      assert.match(text, /^timezone\s+"UTC"\n\s+from \.hwc-lint\.json$/m);
      assert.match(text, /^categories\s+\[.*"downloads"\]\n\s+discovered: 4 containers keep state under \/opt\/downloads/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('"discover": false turns discovery off', () => {
    const dir = copyFixture();
    try {
      fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{ "discover": false }\n');
      const json = JSON.parse(hwc(['config', '--show', '--format', 'json', '--root', dir]).stdout);
      assert.ok(Object.values(json.settings).every((s) => s.source !== 'discovered'));
      assert.equal(json.settings.timezone.value, engine.defaultLintConfig.timezone);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('repository text reaches the terminal escaped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { ... }: { }; }\n');
      fs.writeFileSync(path.join(dir, 'host.nix'), '{ ... }: {\n  time.timeZone = "Europe/Berlin\\u001b[2J";\n}\n'.replace('\\u001b', '\u001b'));
      const text = hwc(['config', '--show', '--root', dir]).stdout;
      assert.ok(!text.includes('\u001b'), 'no raw escape character');
      assert.match(text, /Europe\/Berlin\\x1b\[2J/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the root the CLI finds', () => {
  test('from a module folder: the nearest folder with flake.nix, named in the output', () => {
    const r = hwc(['lint', 'domains/server/containers/sonarr'], fixture);
    assert.match(r.stdout, new RegExp(`^root ${fixture.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(no \\.hwc-lint\\.json, 11 discovered`));
  });

  test('a domains/ + profiles/ pair marks a root without flake.nix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      fs.cpSync(path.join(fixture, 'domains'), path.join(dir, 'domains'), { recursive: true });
      fs.cpSync(path.join(fixture, 'profiles'), path.join(dir, 'profiles'), { recursive: true });
      const show = JSON.parse(hwc(['config', '--show', '--format', 'json', path.join(dir, 'domains/server')]).stdout);
      assert.equal(show.root, dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with no marker anywhere: the PATH argument itself, never a parent', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-adopt-'));
    try {
      const inner = path.join(dir, 'hosts', 'closet');
      fs.mkdirSync(inner, { recursive: true });
      fs.writeFileSync(path.join(inner, 'default.nix'), '{ ... }: { time.timeZone = "UTC"; }\n');
      fs.writeFileSync(path.join(dir, 'unrelated.nix'), '{ ... }: { time.timeZone = "Asia/Tokyo"; }\n');
      const show = JSON.parse(hwc(['config', '--show', '--format', 'json', inner]).stdout);
      assert.equal(show.root, inner);
      assert.equal(show.settings.timezone.value, 'UTC', 'files above PATH are not read');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
