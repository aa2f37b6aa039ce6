// The static evaluator and the extractor, through the engine's public surface: a module
// is indexed from text (no disk), a container field holds the expression under test, and
// the resolver flattens it the way rules see it. Three outcomes: known (text), partly
// known (text null, some literal parts), unknown (no string at all, or only holes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { createRequire } from 'node:module';

const engine = createRequire(import.meta.url)('../../out/engine.js');
await engine.initParser();

const DIR = 'domains/server/containers/t';

/** A workspace holding one module whose container `t` sets `image = <expr>`. */
function workspaceWith({ expr, lets = '', options = '', files = {}, body = null, head = '{ config, lib, pkgs, ... }:' }) {
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    `${DIR}/options.nix`,
    `{ lib, ... }: {\n  options.hwc.server.containers.t = {\n    enable = lib.mkEnableOption "t";\n${options}\n  };\n}\n`,
  );
  const config = body ?? `virtualisation.oci-containers.containers.t.image = ${expr};`;
  workspace.updateText(
    `${DIR}/index.nix`,
    `${head}\nlet\n  cfg = config.hwc.server.containers.t;\n${lets}\nin {\n  imports = [ ./options.nix ];\n  config = lib.mkIf cfg.enable {\n    ${config}\n  };\n}\n`,
  );
  for (const [file, text] of Object.entries(files)) workspace.updateText(file, text);
  return workspace;
}

function container(workspace, name = 't') {
  const found = workspace.index.containersNamed(name);
  assert.equal(found.length, 1, `one container ${name}: ${workspace.index.containers().map((c) => c.name)}`);
  return found[0];
}

/** The strings `image = <expr>` resolves to, as rules see them. */
function strings(spec, field = 'image') {
  const workspace = typeof spec === 'string' ? workspaceWith({ expr: spec }) : workspaceWith(spec);
  return workspace.index.resolver().strings(container(workspace).fields[field]);
}
const texts = (spec, field) => strings(spec, field).map((s) => s.text);

test('literals: strings with escapes, indented strings, integers, paths', () => {
  assert.deepEqual(texts('"app:1.0"'), ['app:1.0']);
  assert.deepEqual(texts('"a\\"b\\n\\${c}"'), ['a"b\n${c}']);
  assert.deepEqual(texts("''\n      x ''${y} '''z'''\n    ''"), ["x ${y} ''z''\n"]);
  assert.deepEqual(texts("''\n      first\n        ${\"x\"}second\n    ''"), ['first\n  xsecond\n'], 'indentation stripped as Nix does');
  assert.deepEqual(texts('8080'), ['8080']);
  assert.deepEqual(texts('[ "a" "b" ]'), ['a', 'b']);
});

test('let bindings, nested and in any order, and rec attrsets', () => {
  assert.deepEqual(texts({ expr: 'image', lets: '  image = "${repo}:${tag}";\n  repo = "app";\n  tag = "1.2";' }), ['app:1.2']);
  assert.deepEqual(texts({ expr: 'let inner = "x"; in let outer = "${inner}y"; in outer' }), ['xy']);
  assert.deepEqual(texts({ expr: 'set.b', lets: '  set = rec { a = "v"; b = "${a}2"; };' }), ['v2']);
});

test('option defaults through cfg, in another file: the literal in options.nix, used here', () => {
  const workspace = workspaceWith({ expr: 'cfg.image', options: '    image = lib.mkOption { type = lib.types.str; default = "app:latest"; };' });
  const [image] = workspace.index.resolver().strings(container(workspace).fields.image);
  assert.equal(image.text, 'app:latest');
  assert.equal(image.src.file, `${DIR}/options.nix`, 'the literal');
  assert.equal(image.via.file, `${DIR}/index.nix`, 'the use');

  // The finding sits on the literal, with related information at `cfg.image`.
  const diagnostics = engine.workspaceDiagnostics(workspace);
  const finding = [...diagnostics.values()].flat().find((d) => d.rule === 'image-latest-tag');
  assert.ok(finding, 'image-latest-tag fires');
  assert.equal(finding.src.file, `${DIR}/options.nix`);
  assert.equal(finding.src.range.start.line, 3);
  assert.equal(finding.related?.[0]?.src.file, `${DIR}/index.nix`);
  assert.equal(finding.related[0].src.range.start.line, 7, 'the line of `image = cfg.image;`');
});

test('config.<path> directly, and through an alias declared with mkAliasOptionModule', () => {
  assert.deepEqual(texts({ expr: 'config.hwc.server.containers.t.image', options: '    image = lib.mkOption { default = "direct:1"; };' }), ['direct:1']);
  const aliased = workspaceWith({
    expr: 'config.hwc.legacy.t.image',
    options: '    image = lib.mkOption { default = "aliased:1"; };',
    files: { 'modules/aliases.nix': '{ lib, ... }: { imports = [ (lib.mkAliasOptionModule [ "hwc" "legacy" ] [ "hwc" "server" "containers" ]) ]; }\n' },
  });
  assert.deepEqual(aliased.index.resolver().strings(container(aliased).fields.image).map((s) => s.text), ['aliased:1']);
});

test('`x or fallback`: the fallback when the attribute is not declared', () => {
  assert.deepEqual(texts('cfg.undeclared or "fallback:1"'), ['fallback:1']);
  assert.deepEqual(texts({ expr: 'cfg.image or "fallback:1"', options: '    image = lib.mkOption { default = "declared:1"; };' }), ['declared:1']);
  assert.deepEqual(texts({ expr: 'attrs.missing or "f"', lets: '  attrs = { present = "p"; };' }), ['f']);
  assert.deepEqual(texts({ expr: 'attrs.present or "f"', lets: '  attrs = { present = "p"; };' }), ['p']);
});

test('`x or fallback` on a declared option without a default stays unknown (Nix never uses the fallback)', () => {
  assert.deepEqual(texts({ expr: 'cfg.image or "fallback:1"', options: '    image = lib.mkOption { type = lib.types.str; };' }), []);
});

test('lists: ++, lib.optional(s), if-then-else (both branches), mkMerge/mkDefault/mkForce', () => {
  const spec = (expr) => ({ body: `virtualisation.oci-containers.containers.t = { image = "a:1"; ports = ${expr}; };` });
  assert.deepEqual(texts(spec('[ "1:1" ] ++ [ "2:2" ] ++ lib.optionals cfg.enable [ "3:3" ] ++ lib.optional true "4:4"'), 'ports'), ['1:1', '2:2', '3:3', '4:4']);
  assert.deepEqual(texts(spec('if cfg.enable then [ "1:1" ] else [ "2:2" "3:3" ]'), 'ports'), ['1:1', '2:2', '3:3']);
  assert.deepEqual(texts(spec('lib.mkMerge [ [ "1:1" ] (lib.mkIf cfg.enable [ "2:2" ]) ]'), 'ports'), ['1:1', '2:2']);
  assert.deepEqual(texts(spec('lib.mkDefault [ "1:1" ] ++ lib.mkForce [ "2:2" ] ++ lib.mkOverride 50 [ "3:3" ]'), 'ports'), ['1:1', '2:2', '3:3']);
  assert.deepEqual(texts(spec('lib.mkBefore [ "1:1" ] ++ lib.mkAfter [ "2:2" ]'), 'ports'), ['1:1', '2:2']);
});

test('with lib; brings the library into scope', () => {
  const workspace = workspaceWith({
    head: '{ config, lib, ... }:\nwith lib;',
    body: 'virtualisation.oci-containers.containers.t = mkMerge [ { image = mkDefault "w:1"; } { ports = optionals true [ "1:1" ] ++ optional true "2:2"; } ];',
  });
  const t = container(workspace);
  const resolver = workspace.index.resolver();
  assert.deepEqual(resolver.strings(t.fields.image).map((s) => s.text), ['w:1']);
  assert.deepEqual(resolver.strings(t.fields.ports).map((s) => s.text), ['1:1', '2:2']);
  assert.equal(t.guarded, true, 'mkIf cfg.enable around config');
});

test('interpolation and toString: ints, option defaults, builtins.toString, concatStringsSep', () => {
  assert.deepEqual(texts({ expr: '"app:${toString cfg.major}.${toString 4}"', options: '    major = lib.mkOption { default = 3; };' }), ['app:3.4']);
  assert.deepEqual(texts({ expr: 'builtins.toString cfg.major + "-x"', options: '    major = lib.mkOption { default = 3; };' }), ['3-x']);
  assert.deepEqual(texts('lib.concatStringsSep ":" [ "app" "1.0" ]'), ['app:1.0']);
  assert.deepEqual(texts('"a" + "b"'), ['ab']);
});

test('the three outcomes: known, partly known, unknown', () => {
  const [known] = strings('"app:1.0"');
  assert.equal(known.text, 'app:1.0');

  const [partly] = strings({ expr: '"registry.local:5000/app:${cfg.tag}"', options: '    tag = lib.mkOption { type = lib.types.str; };' });
  assert.equal(partly.text, null, 'an option without a default leaves a hole');
  assert.equal(partly.parts[0], 'registry.local:5000/app:', 'the literal prefix stays known');
  assert.ok(partly.parts.some((p) => typeof p === 'object'), 'the hole is kept');

  const [fromPkgs] = strings('"${pkgs.redis}/bin/redis-server"');
  assert.equal(fromPkgs.text, null);
  assert.equal(fromPkgs.parts[1], '/bin/redis-server');

  assert.deepEqual(strings('pkgs.dockerTools.buildImage { name = "x"; }'), [], 'a call it does not model is unknown');
  assert.deepEqual(strings({ expr: 'cfg.image', options: '    image = lib.mkOption { type = lib.types.str; };' }), [], 'an option without a default is unknown');
  assert.deepEqual(strings('builtins.readFile ./image.txt'), []);
});

test('lib.mkIf guards: enable guards mark containers guarded, other conditions do not', () => {
  const guarded = workspaceWith({ expr: '"a:1"' });
  assert.equal(container(guarded).guarded, true);
  const viaConfig = workspaceWith({ expr: '"a:1"', body: 'virtualisation.oci-containers.containers.t.image = "a:1";' });
  assert.equal(container(viaConfig).guarded, true);

  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    `${DIR}/index.nix`,
    '{ config, lib, ... }:\nlet cfg = config.hwc.server.containers.t; in {\n  config = lib.mkMerge [\n    (lib.mkIf (cfg.enable && cfg.x) { virtualisation.oci-containers.containers.a.image = "a:1"; })\n    (lib.mkIf cfg.expose { virtualisation.oci-containers.containers.b.image = "b:1"; })\n    { virtualisation.oci-containers.containers.c.image = "c:1"; }\n  ];\n}\n',
  );
  assert.equal(container(workspace, 'a').guarded, true, '`cfg.enable && …` is an enable guard');
  assert.equal(container(workspace, 'b').guarded, false, '`cfg.expose` is not');
  assert.equal(container(workspace, 'c').guarded, false);
  const summary = workspace.index.get(`${DIR}/index.nix`);
  assert.equal(summary.unguardedDefinitions.length, 2);
});

test('container definitions: nested, dotted, leaf bindings, quoted and interpolated names, merged', () => {
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    `${DIR}/index.nix`,
    [
      '{ config, lib, ... }:',
      'let name = "dyn"; in {',
      '  virtualisation.oci-containers.containers = {',
      '    nested = { image = "n:1"; ports = [ "127.0.0.1:1:1" ]; };',
      '    "quoted-name".image = "q:1";',
      '  };',
      '  virtualisation.oci-containers.containers.nested.volumes = [ "/srv/n:/n" ];',
      '  virtualisation.oci-containers.containers.${name}.image = "d:1";',
      '  virtualisation.oci-containers.containers."${name}-2" = { image = "d2:1"; };',
      '  virtualisation = { oci-containers.containers.mixed.image = "m:1"; };',
      '}',
    ].join('\n'),
  );
  const names = workspace.index.containers().map((c) => c.name).sort();
  assert.deepEqual(names, ['dyn', 'dyn-2', 'mixed', 'nested', 'quoted-name']);
  const nested = container(workspace, 'nested');
  assert.deepEqual(Object.keys(nested.fields).sort(), ['image', 'ports', 'volumes'], 'a later dotted binding merges into the nested one');

  // Dotted first, then the attrset: Nix merges these too.
  const reversed = new engine.Workspace(os.tmpdir());
  reversed.updateText(`${DIR}/index.nix`, '{\n  virtualisation.oci-containers.containers.r.ports = [ "127.0.0.1:1:1" ];\n  virtualisation.oci-containers.containers = { r = { image = "r:1"; }; s.image = "s:1"; };\n}\n');
  assert.deepEqual(reversed.index.containers().map((c) => c.name).sort(), ['r', 's']);
  assert.deepEqual(Object.keys(container(reversed, 'r').fields).sort(), ['image', 'ports']);
});

test('helper calls: helpers.mkContainer / mkInfraContainer { name; image; … } define containers', () => {
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    `${DIR}/index.nix`,
    [
      '{ config, lib, ... }:',
      'let',
      '  cfg = config.hwc.server.containers.t;',
      '  helpers = import ../../../../lib/helpers.nix { inherit lib; };',
      '  inherit (helpers) mkInfraContainer;',
      '  tag = "1.5";',
      'in {',
      '  config = lib.mkIf cfg.enable (lib.mkMerge [',
      '    (helpers.mkContainer { name = "made"; image = "lscr.io/linuxserver/x:${tag}"; ports = [ "127.0.0.1:1:1" ]; })',
      '    (mkInfraContainer { name = "infra"; image = "y:1"; })',
      '    (helpers.mkContainer { image = "no-name:1"; })',
      '    (lib.mkContainer { name = "no-image"; })',
      '  ]);',
      '}',
    ].join('\n'),
  );
  const made = container(workspace, 'made');
  assert.equal(made.helper, 'mkContainer');
  assert.equal(made.guarded, true);
  assert.deepEqual(workspace.index.resolver().strings(made.fields.image).map((s) => s.text), ['lscr.io/linuxserver/x:1.5']);
  assert.equal(container(workspace, 'infra').helper, 'mkInfraContainer');
  assert.deepEqual(workspace.index.containers().map((c) => c.name).sort(), ['infra', 'made'], 'without name or image a call is not a container');
});

test('inherit: from scope, from an attrset, from cfg (a reference)', () => {
  const spec = (lets, body) => ({ lets, body });
  assert.deepEqual(texts(spec('  image = "inh:1";', 'virtualisation.oci-containers.containers.t = { inherit image; };')), ['inh:1']);
  assert.deepEqual(texts(spec('  src = { image = "from:1"; };', 'virtualisation.oci-containers.containers.t = { inherit (src) image; };')), ['from:1']);
  assert.deepEqual(
    texts({ options: '    image = lib.mkOption { default = "cfg:1"; };', body: 'virtualisation.oci-containers.containers.t = { inherit (cfg) image; };' }),
    ['cfg:1'],
  );
  assert.deepEqual(texts({ lets: '  inherit (lib) mkDefault;', expr: 'mkDefault "lib:1"' }), ['lib:1']);
});

test('lambdas: formals with defaults, plain arguments, @-patterns, partial application', () => {
  const lets = '  mk = { repo, tag ? "1.0" }: "${repo}:${tag}";\n  id = x: x;\n  pair = a: b: "${a}:${b}";\n  whole = args@{ repo, ... }: "${args.repo}/${repo}";';
  assert.deepEqual(texts({ lets, expr: 'mk { repo = "app"; }' }), ['app:1.0']);
  assert.deepEqual(texts({ lets, expr: 'mk { repo = "app"; tag = "2"; }' }), ['app:2']);
  assert.deepEqual(texts({ lets, expr: 'id "plain:1"' }), ['plain:1']);
  assert.deepEqual(texts({ lets, expr: '(pair "p") "3"' }), ['p:3']);
  assert.deepEqual(texts({ lets, expr: 'whole { repo = "r"; }' }), ['r/r']);
});

test('collections: map, lib.genAttrs, lib.mapAttrs, builtins.listToAttrs', () => {
  const lets = '  suffix = "-x";';
  const spec = (expr) => ({ lets, body: `virtualisation.oci-containers.containers.t = { image = "a:1"; ports = ${expr}; };` });
  assert.deepEqual(texts(spec('map (p: "127.0.0.1:${p}:${p}") [ "1" "2" ]'), 'ports'), ['127.0.0.1:1:1', '127.0.0.1:2:2']);
  assert.deepEqual(texts(spec('builtins.map (p: p + suffix) [ "a" ]'), 'ports'), ['a-x']);
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    `${DIR}/index.nix`,
    [
      'let images = { one = "one:1"; two = "two:1"; }; in',
      '{ lib, ... }: {',
      '  virtualisation.oci-containers.containers = lib.mapAttrs (name: image: { inherit image; }) images',
      '    // lib.genAttrs [ "three" ] (name: { image = "${name}:1"; })',
      '    // builtins.listToAttrs [ { name = "four"; value = { image = "four:1"; }; } ];',
      '}',
    ].join('\n'),
  );
  const resolver = workspace.index.resolver();
  const images = workspace.index.containers().map((c) => [c.name, resolver.strings(c.fields.image)[0]?.text]);
  assert.deepEqual(images.sort(), [['four', 'four:1'], ['one', 'one:1'], ['three', 'three:1'], ['two', 'two:1']], 'a `let` around the module function is in scope');
});

test('a helper called through map makes one container per item', () => {
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    `${DIR}/index.nix`,
    '{ lib, ... }:\nlet helpers = import ./helpers.nix { inherit lib; }; in {\n  config = lib.mkMerge (map (name: helpers.mkContainer { inherit name; image = "${name}:1"; }) [ "a" "b" ]);\n}\n',
  );
  assert.deepEqual(workspace.index.containers().map((c) => [c.name, c.helper]).sort(), [['a', 'mkContainer'], ['b', 'mkContainer']]);
});

test('attrset update (//) and environment entries', () => {
  const workspace = workspaceWith({
    lets: '  base = { PUID = "1000"; TZ = "UTC"; };',
    body: 'virtualisation.oci-containers.containers.t = { image = "a:1"; environment = base // { TZ = "Europe/Berlin"; PGID = "1000"; }; };',
  });
  const entries = workspace.index.resolver().entries(container(workspace).fields.environment);
  assert.deepEqual(Object.fromEntries(entries.map((e) => [e.key, e.value.map((v) => v.text).join()])), { PUID: '1000', TZ: 'Europe/Berlin', PGID: '1000' });
});

test('the extractor: options, secrets, tmpfiles, imports, routes, suppressions', () => {
  const workspace = workspaceWith({
    body: [
      'virtualisation.oci-containers.containers.t = { image = "a:1"; environmentFiles = [ config.age.secrets."t-env".path ]; };',
      'age.secrets.t-extra.file = ../../../secrets/parts/server/t-extra.age;',
      'systemd.tmpfiles.rules = [ "d /opt/services/t 0755 1000 1000 -" ];',
      'assertions = [ { assertion = config.age.secrets ? "t-env"; message = "t needs t-env"; } ];',
      '# hwc-lint: disable-next-line image-latest-tag -- a reason',
    ].join('\n    '),
    options: '    port = lib.mkOption { type = lib.types.port; default = 8080; description = "Port"; };',
  });
  const index = workspace.index.get(`${DIR}/index.nix`);
  assert.deepEqual(index.secretsUsed.map((s) => s.name), ['t-env']);
  assert.deepEqual(index.assertionSecrets, ['t-env']);
  assert.deepEqual(index.secretsDeclared.map((s) => [s.name, s.file]), [['t-extra', 'domains/secrets/parts/server/t-extra.age']]);
  assert.deepEqual(index.tmpfiles.map((t) => t.parts.join('')), ['d /opt/services/t 0755 1000 1000 -']);
  assert.deepEqual(index.imports.map((i) => i.target), [`${DIR}/options.nix`]);
  assert.deepEqual(index.cfgBindings.map((b) => b.path.join('.')), ['hwc.server.containers.t']);
  assert.deepEqual(index.suppressions.map((s) => [s.kind, s.ids, s.reason]), [['disable-next-line', ['image-latest-tag'], 'a reason']]);
  const options = workspace.index.get(`${DIR}/options.nix`).options.map((o) => [o.path.join('.'), o.type, o.default?.k]);
  assert.deepEqual(options, [
    ['hwc.server.containers.t.enable', 'bool', 'bool'],
    ['hwc.server.containers.t.port', 'port', 'int'],
  ]);
});

test('deep or cyclic definitions end as unknown instead of hanging', () => {
  assert.deepEqual(texts({ lets: '  a = b;\n  b = a;', expr: 'a' }), []);
  const deep = Array.from({ length: 200 }, () => '(').join('') + '"x:1"' + Array.from({ length: 200 }, () => ')').join('');
  assert.ok(texts(deep).length <= 1);
});

test('list-building functions and helper lambdas evaluate where their arguments are known (v2 §6)', () => {
  const lets = '  mkDir = path: "d ${path} 0755 1000 1000 -";\n  apps = { sonarr = 8989; radarr = 7878; };';
  assert.deepEqual(texts({ expr: 'lib.concatMap (n: [ (mkDir "/opt/media/${n}") ]) [ "a" "b" ]', lets }), ['d /opt/media/a 0755 1000 1000 -', 'd /opt/media/b 0755 1000 1000 -']);
  assert.deepEqual(texts({ expr: 'lib.mapAttrsToList (name: port: "${name}:${toString port}") apps', lets }), ['radarr:7878', 'sonarr:8989']);
  assert.deepEqual(texts({ expr: 'lib.flatten [ "a" [ "b" [ "c" ] ] ]' }), ['a', 'b', 'c']);
  assert.deepEqual(texts({ expr: 'builtins.attrNames apps', lets }), ['radarr', 'sonarr']);
  assert.deepEqual(texts({ expr: 'lib.concatMapStringsSep "," (n: "x${n}") [ "1" "2" ]' }), ['x1,x2']);
  assert.deepEqual(texts({ expr: 'lib.forEach [ "1" ] (n: "v${n}")' }), ['v1']);
});

test('interpolated Nix paths are store paths; path + string stays a path; non-Nix imports are unknown (v2 §11, issue 21)', () => {
  assert.deepEqual(texts('"${./traefik.toml}:/etc/traefik.toml"'), ['/nix/store/…-traefik.toml:/etc/traefik.toml']);
  assert.deepEqual(texts('"${../templates}/sites:/x"'), ['/nix/store/…-templates/sites:/x']);
  assert.deepEqual(texts({ expr: '"${dir}:/x"', lets: '  dir = ./conf + "/sub";' }), ['/nix/store/…-sub:/x']);
  assert.deepEqual(texts({ expr: 'json.image', lets: '  json = builtins.fromJSON (builtins.readFile ./image.json);' }), []);
  assert.deepEqual(texts({ expr: 'data.image', lets: '  data = import ./image.json;' }), []);
});

test('conditional defaults: every branch is a possible value, null contributes nothing (v2 §2)', () => {
  const options = [
    '    root = lib.mkOption { default = if config.hwc.isServer then "/srv/media" else null; };',
    '    tv = lib.mkOption { default = "${config.hwc.server.containers.t.root}/tv"; };',
  ].join('\n');
  const head = '{ config, lib, pkgs, ... }:';
  const workspace = workspaceWith({ expr: '"${cfg.tv}:/tv"', options: options.replace('{ default', '{ default'), head });
  // options.nix has no `config` formal in the harness: declare the option file's own.
  workspace.updateText(`${DIR}/options.nix`, `{ config, lib, ... }: {\n  options.hwc.server.containers.t = {\n    enable = lib.mkEnableOption "t";\n${options}\n  };\n}\n`);
  const resolved = workspace.index.resolver().strings(container(workspace).fields.image);
  assert.deepEqual(resolved.map((s) => s.text), ['/srv/media/tv:/tv']);
});

test('part files see the arguments their importer passes (v2 §5)', () => {
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(`${DIR}/options.nix`, '{ lib, ... }: {\n  options.hwc.server.containers.t = {\n    enable = lib.mkEnableOption "t";\n    tag = lib.mkOption { default = "1.4"; };\n  };\n}\n');
  workspace.updateText(`${DIR}/index.nix`, '{ config, lib, ... }:\nlet\n  cfg = config.hwc.server.containers.t;\nin {\n  imports = [ ./options.nix (import ./parts/c.nix { inherit lib cfg; registry = "ghcr.io"; }) ];\n}\n');
  workspace.updateText(`${DIR}/parts/c.nix`, '{ lib, cfg, registry }: {\n  config = lib.mkIf cfg.enable {\n    virtualisation.oci-containers.containers.t.image = "${registry}/app:${cfg.tag}";\n  };\n}\n');
  const found = container(workspace);
  assert.equal(found.file, `${DIR}/parts/c.nix`);
  assert.equal(found.guarded, true, 'cfg.enable through the argument is an enable guard');
  assert.deepEqual(workspace.index.resolver().strings(found.fields.image).map((s) => s.text), ['ghcr.io/app:1.4']);
  assert.ok(workspace.index.importClosure(`${DIR}/index.nix`).has(`${DIR}/parts/c.nix`), 'the part file is an import');
});

test('containers in module values nested in a file: flake modules, inline imports (v2 §12)', () => {
  const workspace = new engine.Workspace(os.tmpdir());
  workspace.updateText(
    'flake-modules/media.nix',
    '{ inputs, ... }: {\n  flake.nixosModules.media = { config, lib, ... }: let name = "sonarr"; in {\n    imports = [ ({ ... }: { virtualisation.oci-containers.containers.radarr.image = "r:1"; }) ];\n    virtualisation.oci-containers.containers.${name}.image = "s:1";\n  };\n}\n',
  );
  assert.deepEqual(workspace.index.containers().map((c) => c.name).sort(), ['radarr', 'sonarr']);
});
