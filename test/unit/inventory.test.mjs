// The inventory engine (workspace/inventory.ts): why each unknown value is unknown, in the
// words of the evaluator and the resolver, on the forms real modules use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engine, init } from '../fixtures/rules/harness.mjs';

await init();

function inventoryOf(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-inventory-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const workspace = new engine.Workspace(dir);
    workspace.loadAll();
    return engine.containerInventory(workspace.index, workspace.config);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const host = (body) => ({ 'flake.nix': '{ outputs = { ... }: { }; }\n', 'hosts/app/default.nix': body });

test('each way resolution gives up carries its own reason', () => {
  const [app] = inventoryOf(
    host(`{ config, lib, pkgs, ... }:
let
  registry = "ghcr.io/acme";
  mkImage = { name, tag }: "\${registry}/\${name}:\${tag}";
in
{
  virtualisation.oci-containers.containers.app = {
    image = mkImage { name = "app"; };
    ports = [ "\${toString config.services.app.port}:8080" ];
    volumes = [
      "\${lib.strings.removeSuffix "/" config.hwc.paths.data}/app:/data"
      (with config.hwc.paths; "\${dataRoot}/cache:/cache")
      "/srv/app/static:/static:ro"
    ];
    environmentFiles = [ (pkgs.writeText "app.env" "MODE=prod") ];
  };
}
`),
  );
  assert.deepEqual(app.image.map((v) => [v.partial, v.unknown]), [['ghcr.io/acme/app:…', 'argument `tag` not supplied']]);
  assert.deepEqual(app.ports.map((v) => v.unknown), ['option `services.app.port` is not declared in the workspace']);
  assert.deepEqual(app.volumes.map((v) => v.value ?? v.unknown), [
    'function `lib.strings.removeSuffix "/"` not modelled',
    '`dataRoot` may come from a `with` the engine cannot see into',
    '/srv/app/static:/static:ro',
  ]);
  assert.deepEqual(app.environmentFiles.map((v) => v.unknown), ['function `pkgs.writeText "app.env"` not modelled']);
});

test('an option default is the value, with where it is written and where it is used', () => {
  const [app] = inventoryOf({
    ...host(`{ config, ... }:
{
  imports = [ ./options.nix ];
  virtualisation.oci-containers.containers.app.image = config.my.app.image;
}
`),
    'hosts/app/options.nix': `{ lib, ... }:
{
  options.my.app.image = lib.mkOption {
    type = lib.types.str;
    default = "ghcr.io/acme/app:2.4.1";
  };
}
`,
  });
  assert.deepEqual(app.image, [{ value: 'ghcr.io/acme/app:2.4.1', file: 'hosts/app/options.nix', line: 5, usedAt: { file: 'hosts/app/default.nix', line: 4 } }]);
});

test('both branches of an if are listed; a null branch adds nothing', () => {
  const [app] = inventoryOf(
    host(`{ config, ... }:
let
  onServer = config.networking.hostName == "nas";
in
{
  virtualisation.oci-containers.containers.app = {
    image = if onServer then "ghcr.io/acme/app:2.4.1" else "ghcr.io/acme/app:2.5.0-rc1";
    volumes = [ (if onServer then "/mnt/media:/media:ro" else null) ];
  };
}
`),
  );
  assert.deepEqual(app.image.map((v) => v.value), ['ghcr.io/acme/app:2.4.1', 'ghcr.io/acme/app:2.5.0-rc1']);
  assert.deepEqual(app.volumes.map((v) => v.value), ['/mnt/media:/media:ro']);
});
