// The insertions into existing files (profile, secrets index, agenix's secrets.nix) in the
// shapes people write them, and a repository with another layout in .hwc-lint.json getting
// modules in its own layout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ageDecrypt, ageIdentity, applyWorkspaceEdit, assertParses, cleanup, engine, filesContaining, fixturesDir, generate, hasNix, lintFindings, scratchWorkspace,
} from '../fixtures/scaffold/harness.mjs';

after(cleanup);
before(() => engine.initParser());

const apply = (text, edits) => engine.applyTextEdits(text, edits);
const profileInput = { profile: 'profiles/server.nix', moduleDir: 'domains/server/containers/x', containersFolder: 'domains/server/containers', category: 'services', enablePath: ['hwc', 'server', 'containers', 'x', 'enable'] };
const profile = (text, input = {}) => {
  const planned = engine.planProfileEdit(text, { ...profileInput, ...input });
  return { ...planned, text: apply(text, planned.edits) };
};

describe('profile', () => {
  test('one-line imports list: the import joins the line', () => {
    const { text } = profile('{ ... }: {\n  imports = [ ../domains/server/containers/a/index.nix ];\n  hwc.server.containers.a.enable = true;\n}\n');
    assert.equal(text, '{ ... }: {\n  imports = [ ../domains/server/containers/a/index.nix ../domains/server/containers/x/index.nix ];\n  hwc.server.containers.a.enable = true;\n  hwc.server.containers.x.enable = true;\n}\n');
  });
  test('no imports and no enable lines: both are added at the end', () => {
    const { text } = profile('{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.git ];\n}\n');
    assert.equal(text, '{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.git ];\n\n  imports = [ ../domains/server/containers/x/index.nix ];\n\n  hwc.server.containers.x.enable = true;\n}\n');
  });
  test('an empty imports list', () => {
    assert.match(profile('{ ... }: {\n  imports = [ ];\n}\n').text, /imports = \[ \.\.\/domains\/server\/containers\/x\/index\.nix \];/);
  });
  test('enable lines nested under the namespace', () => {
    const { text } = profile('{ ... }: {\n  imports = [\n    ../domains/server/containers/a\n  ];\n  hwc.server.containers = {\n    a.enable = true;\n  };\n}\n');
    assert.match(text, /\.\.\/domains\/server\/containers\/a\n {4}\.\.\/domains\/server\/containers\/x\n/);
    assert.match(text, /a\.enable = true;\n {4}x\.enable = true;\n {2}\};/);
  });
  test('folder imports are detected (the module then needs a default.nix)', () => {
    const planned = profile('{ ... }: {\n  imports = [\n    ../domains/server/containers/a\n  ];\n}\n');
    assert.equal(planned.importStyle, 'folder');
    assert.equal(planned.importPath, '../domains/server/containers/x');
  });
  test('the category group is chosen by its heading comment', () => {
    const source = '{ ... }: {\n  imports = [\n    # Media\n    ../domains/server/containers/m/index.nix\n\n    # Services\n    ../domains/server/containers/s/index.nix\n\n    # Business\n    ../domains/server/containers/b/index.nix\n  ];\n}\n';
    assert.match(profile(source, { category: 'services' }).text, /s\/index\.nix\n {4}\.\.\/domains\/server\/containers\/x\/index\.nix\n\n {4}# Business/);
    assert.match(profile(source, { category: 'media' }).text, /m\/index\.nix\n {4}\.\.\/domains\/server\/containers\/x\/index\.nix\n\n {4}# Services/);
    assert.match(profile(source, { category: 'monitoring' }).text, /b\/index\.nix\n {4}\.\.\/domains\/server\/containers\/x\/index\.nix\n {2}\];/);
  });
  test('no heading names the category: the group holding modules of that category is chosen', () => {
    const source = '{ ... }: {\n  imports = [ ../domains/server/containers/index.nix ];\n  hwc.server.containers = {\n    # Library\n    sonarr.enable = true;\n    radarr.enable = true;\n\n    # Paperwork\n    paperless.enable = true;\n  };\n}\n';
    const edits = engine.planEnableEdit(source, { file: 'profiles/server.nix', enablePath: ['hwc', 'server', 'containers', 'x', 'enable'], category: 'media', peers: ['sonarr', 'radarr'] });
    assert.match(apply(source, edits), /radarr\.enable = true;\n {4}x\.enable = true;\n\n {4}# Paperwork/);
  });
  test('tabs and CRLF are kept', () => {
    const { text } = profile('{ ... }: {\r\n\timports = [\r\n\t\t../domains/server/containers/a/index.nix\r\n\t];\r\n\thwc.server.containers.a.enable = true;\r\n}\r\n');
    assert.equal(text, '{ ... }: {\r\n\timports = [\r\n\t\t../domains/server/containers/a/index.nix\r\n\t\t../domains/server/containers/x/index.nix\r\n\t];\r\n\thwc.server.containers.a.enable = true;\r\n\thwc.server.containers.x.enable = true;\r\n}\r\n');
  });
  test('enable lines written as nested attrsets: the new one goes next to them', () => {
    const { text } = profile('{ ... }: {\n  imports = [ ../domains/server/containers/a/index.nix ];\n  hwc.server.containers = {\n    a = {\n      enable = true;\n    };\n  };\n}\n');
    assert.match(text, /a = \{\n {6}enable = true;\n {4}\};\n {4}x\.enable = true;\n {2}\};/);
  });
  test('sorted enable lines stay sorted; the value is written like theirs', () => {
    const source = '{ lib, ... }: {\n  imports = [ ];\n  hwc.server.containers.a.enable = lib.mkDefault true;\n  hwc.server.containers.m.enable = lib.mkDefault true;\n  hwc.server.containers.z.enable = lib.mkDefault true;\n}\n';
    assert.match(profile(source).text, /m\.enable = lib\.mkDefault true;\n {2}hwc\.server\.containers\.x\.enable = lib\.mkDefault true;\n {2}hwc\.server\.containers\.z\.enable/);
  });
  test('enable lines under a namespace alias are siblings too (the alias is kept)', () => {
    const source = '{ ... }: {\n  imports = [ ];\n  hwc.services.containers = {\n    a.enable = true;\n  };\n\n  networking.firewall.enable = true;\n}\n';
    const planned = engine.planProfileEdit(source, { ...profileInput, namespaceAliases: ['hwc.services.containers'] });
    assert.match(apply(source, planned.edits), /a\.enable = true;\n {4}x\.enable = true;\n {2}\};/);
  });
  test('a profile that is an explicit module gets both inside config', () => {
    const source = '{ config, lib, ... }: {\n  options.site.enable = lib.mkEnableOption "site";\n  config = lib.mkIf config.site.enable {\n    services.caddy.enable = true;\n  };\n}\n';
    const text = profile(source).text;
    assert.equal(engine.moduleShapeProblem(text, 'profiles/server.nix'), null);
    assert.match(text, /\n {2}\};\n\n {2}imports = \[ \.\.\/domains\/server\/containers\/x\/index\.nix \];\n\}\n$/, 'imports stays top-level (NixOS allows it beside config)');
    assert.match(text, /services\.caddy\.enable = true;\n\n {4}hwc\.server\.containers\.x\.enable = true;\n {2}\};/);
  });
  test('a profile that is not an attribute set is refused', () => {
    assert.throws(() => engine.planProfileEdit('import ./other.nix\n', profileInput), /does not evaluate to an attribute set/);
  });
});

describe('secrets index', () => {
  const input = { file: 'domains/secrets/index.nix', secretName: 'x-env', fileRef: './parts/server/x-env.age' };
  const declare = (text) => apply(text, engine.planSecretDeclaration(text, input));
  test('an empty module gets the first declaration', () => {
    const expected = '{ ... }:\n{\n  age.secrets."x-env" = {\n    file = ./parts/server/x-env.age;\n    mode = "0400";\n  };\n}\n';
    assert.equal(declare('{ ... }:\n{\n}\n'), expected);
    assert.equal(declare('{ ... }:\n{ }\n'), expected);
  });
  test('dotted one-field-per-line declarations: after the last secret\'s lines', () => {
    assert.equal(
      declare('{\n  age.secrets.a.file = ./parts/server/a.age;\n  age.secrets.a.owner = "a";\n}\n'),
      '{\n  age.secrets.a.file = ./parts/server/a.age;\n  age.secrets.a.owner = "a";\n  age.secrets.x-env = {\n    file = ./parts/server/x-env.age;\n  };\n}\n',
    );
  });
  test('an explicit module without declarations: the first one goes inside config, after what is there', () => {
    const source = '{ config, lib, ... }: {\n  options.hwc.secrets.enable = lib.mkEnableOption "secrets";\n\n  config = lib.mkIf config.hwc.secrets.enable {\n    age.identityPaths = [ "/var/lib/agenix/key" ];\n  };\n}\n';
    const text = declare(source);
    assert.equal(engine.moduleShapeProblem(text, input.file), null);
    assert.equal(text, source.replace('key" ];\n', 'key" ];\n\n    age.secrets."x-env" = {\n      file = ./parts/server/x-env.age;\n      mode = "0400";\n    };\n'));
  });
  test('an explicit module whose declarations use dotted paths inside config', () => {
    const source = '{ config, lib, ... }: {\n  imports = [ ./keys.nix ];\n  config = {\n    age.secrets."a".file = ./parts/server/a.age;\n  };\n}\n';
    assert.equal(declare(source), source.replace('a.age;\n', 'a.age;\n    age.secrets."x-env" = {\n      file = ./parts/server/x-env.age;\n    };\n'));
  });
  test('declarations made by a helper are not guessed at: refused with a reason', () => {
    const source = '{ lib, ... }: {\n  age.secrets = lib.genAttrs [ "a" "b" ] (name: { file = ./parts/server + "/${name}.age"; });\n}\n';
    assert.throws(() => declare(source), /declare it by hand/);
  });
  test('four-space indentation', () => {
    assert.equal(
      declare('{\n    age.secrets."a" = {\n        file = ./a.age;\n        mode = "0440";\n    };\n}\n'),
      '{\n    age.secrets."a" = {\n        file = ./a.age;\n        mode = "0440";\n    };\n    age.secrets."x-env" = {\n        file = ./parts/server/x-env.age;\n        mode = "0440";\n    };\n}\n',
    );
  });
});

describe('central routes file', () => {
  const route = (text, extra = {}) => apply(text, engine.planRouteEntry(text, { file: 'routes.nix', name: 'x', namespace: 'hwc.server.containers', siblings: ['a', 'b'], upstreamHost: 'localhost', domain: 'x.example.org', port: 8080, tlsEmail: null, basicAuth: null, ...extra }));
  test('an entry naming another container with literal ports is not copied; the house entry reads the options through config', () => {
    const source = '{ config, ... }:\n{\n  "a.example.org" = { reverse_proxy.to = "http://localhost:8081"; };\n}\n';
    assert.equal(route(source), '{ config, ... }:\n{\n  "a.example.org" = { reverse_proxy.to = "http://localhost:8081"; };\n  "${config.hwc.server.containers.x.domain}" = {\n    reverse_proxy.to = "http://localhost:${toString config.hwc.server.containers.x.port}";\n  };\n}\n');
  });
  test('a routes file that is no function gets literal values; one that lacks `config` gets it as a formal', () => {
    assert.match(route('{\n  "a.example.org".reverse_proxy.to = "http://localhost:8081";\n}\n'), /"x\.example\.org" = \{\n {4}reverse_proxy\.to = "http:\/\/localhost:8080";\n {2}\};/);
    assert.match(route('{ lib, ... }:\n{\n  "a.example.org".reverse_proxy.to = "http://localhost:8081";\n}\n'), /^\{ config, lib, \.\.\. \}:/);
  });
  test('an empty routes file gets its first entry; a module without routes is refused', () => {
    assert.equal(route('{ config, ... }:\n{ }\n'), '{ config, ... }:\n{\n  "${config.hwc.server.containers.x.domain}" = {\n    reverse_proxy.to = "http://localhost:${toString config.hwc.server.containers.x.port}";\n  };\n}\n');
    assert.throws(() => route('{ config, ... }: {\n  services.caddy.enable = true;\n}\n'), /holds no attrset of routes/);
  });
  test('the routes attrset may sit inside a module (services.caddy.virtualHosts)', () => {
    const source = '{ config, lib, ... }:\nlet c = config.hwc.server.containers; in {\n  services.caddy.virtualHosts = {\n    "${c.a.domain}".extraConfig = "reverse_proxy localhost:${toString c.a.port}";\n    "${c.b.domain}".extraConfig = "reverse_proxy localhost:${toString c.b.port}";\n  };\n}\n';
    assert.match(route(source), /c\.b\.port\}";\n {4}"\$\{c\.x\.domain\}"\.extraConfig = "reverse_proxy localhost:\$\{toString c\.x\.port\}";\n {2}\};/);
  });
});

describe('a workspace without a secrets index', () => {
  test('the index is created with the declaration, and the note says to import it', async () => {
    const scratch = scratchWorkspace();
    const id = ageIdentity(scratch.keys);
    writeFileSync(path.join(scratch.root, '.hwc-lint.json'), JSON.stringify({ secretsIndex: 'domains/secrets/extra.nix', ageRecipients: [id.recipient] }));
    const plan = await generate(scratch.root, { name: 'app', image: 'ghcr.io/example/app:1.0.0', secrets: ['TOKEN'], secretValues: { TOKEN: 'fresh-index-token' } });
    const touched = applyWorkspaceEdit(plan.edit);
    if (hasNix) assertParses(touched);
    assert.equal(readFileSync(path.join(scratch.root, 'domains/secrets/extra.nix'), 'utf8'), '{ ... }:\n{\n  age.secrets."app-env" = {\n    file = ./parts/server/app-env.age;\n    mode = "0400";\n  };\n}\n');
    assert.ok(plan.notes.some((n) => n.includes('domains/secrets/extra.nix did not exist') && n.includes('import it')));
    assert.equal(ageDecrypt(path.join(scratch.root, 'domains/secrets/parts/server/app-env.age'), id.identity), 'TOKEN=fresh-index-token\n');
  });
});

describe("agenix's secrets.nix", () => {
  const read = (text) => engine.readAgenixRules(text, 'secrets.nix', 'domains/secrets/parts/server');
  test('recipients through let bindings and ++', () => {
    const rules = read('let\n  admin = "age1aaaa";\n  server = "ssh-ed25519 AAAAC3Nza host";\n  all = [ admin ] ++ [ server ];\nin {\n  "domains/secrets/parts/server/a.age".publicKeys = all;\n}\n');
    assert.deepEqual(rules.recipients, ['age1aaaa', 'ssh-ed25519 AAAAC3Nza host']);
  });
  test('recipients that are not all known give none (never a subset)', () => {
    assert.equal(read('let keys = import ./keys.nix; in {\n  "domains/secrets/parts/server/a.age".publicKeys = keys.all ++ [ "age1bbbb" ];\n}\n').recipients, null);
  });
  test('the new rule copies its neighbour, nested form included', () => {
    const text = '{\n  "other/z.age" = { publicKeys = [ "age1zzzz" ]; };\n  "domains/secrets/parts/server/a.age" = {\n    publicKeys = [ "age1aaaa" ];\n  };\n}\n';
    const rules = read(text);
    assert.deepEqual(rules.recipients, ['age1aaaa']);
    assert.equal(apply(text, [rules.plan('domains/secrets/parts/server/x-env.age')]), text.replace(/\n\}\n$/, '\n  "domains/secrets/parts/server/x-env.age" = {\n    publicKeys = [ "age1aaaa" ];\n  };\n}\n'));
  });
});

describe('a repository with its own layout', () => {
  test('folders, namespace, state root, categories, owner, time zone and styles come from it', async () => {
    const scratch = scratchWorkspace(path.join(fixturesDir, 'other-layout'));
    const id = ageIdentity(scratch.keys);
    const configFile = path.join(scratch.root, '.hwc-lint.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), ageRecipients: [id.recipient] }, null, 2));
    assert.deepEqual(await lintFindings(scratch.root), [], 'the fixture lints clean');
    const plan = await generate(scratch.root, { name: 'wiki', image: 'ghcr.io/requarks/wiki:2.5.306', ports: ['3001:3000'], category: 'apps', proxy: {}, secrets: ['DB_PASS'], secretValues: { DB_PASS: 'wiki-db-pass-31' }, dependsOn: ['gitea'] });
    const touched = applyWorkspaceEdit(plan.edit);
    if (hasNix) assertParses(touched);
    assert.deepEqual(await lintFindings(scratch.root), [], 'still clean after scaffolding');
    const read = (file) => readFileSync(path.join(scratch.root, file), 'utf8');
    assert.deepEqual(plan.files.map((f) => `${f.action} ${f.path}`).sort(), [
      'create modules/containers/proxy/sites/wiki.nix',
      'create modules/containers/wiki/default.nix',
      'create modules/containers/wiki/index.nix',
      'create modules/containers/wiki/options.nix',
      'create secrets/files/wiki-env.age',
      'edit hosts/box.nix',
      'edit secrets/default.nix',
    ]);
    const index = read('modules/containers/wiki/index.nix');
    assert.match(index, /cfg = config\.home\.containers\.wiki;/);
    assert.match(index, /"\/srv\/apps\/wiki:\/config"/);
    assert.match(index, /"d \/srv\/apps\/wiki 0750 2000 2000 -"/);
    assert.match(index, /PUID = "2000";\n\s+PGID = "2000";\n\s+TZ = "Europe\/Berlin";/);
    assert.match(read('modules/containers/wiki/options.nix'), /options\.home\.containers\.wiki = \{/);
    assert.match(read('hosts/box.nix'), /\.\.\/modules\/containers\/gitea\n {4}\.\.\/modules\/containers\/wiki\n {2}\];/);
    assert.match(read('hosts/box.nix'), /gitea\.enable = true;\n {4}wiki\.enable = true;\n {2}\};/);
    assert.match(read('secrets/default.nix'), /owner = "root";\n {4}\};\n {4}wiki-env = \{\n {6}file = \.\/files\/wiki-env\.age;\n {4}\};\n {2}\};/);
    assert.equal(ageDecrypt(path.join(scratch.root, 'secrets/files/wiki-env.age'), id.identity), 'DB_PASS=wiki-db-pass-31\n');
    assert.deepEqual(filesContaining(scratch.base, ['wiki-db-pass-31']), []);
  });
});
