// Registry lookups in the editor (issue 19) against a real registry (Debian's docker-registry,
// images pushed with skopeo): the tags Pin image tag… offers, which version `latest` is, a
// tag's digest, and the newest stable tag in the hover on an image — only with the user's
// hwc.registry.lookups on and in a trusted workspace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileUri, startServer } from '../helpers/lspClient.mjs';
import { hasRegistryTools, startRegistry } from '../helpers/registry.mjs';

describe('registry lookups over LSP', { skip: !hasRegistryTools() && 'docker-registry and skopeo are not installed', timeout: 180_000 }, () => {
  let registry;
  let digests;
  let dir;
  before(async () => {
    registry = await startRegistry();
    digests = registry.push('media/app', [['3.2.0', 'latest'], '3.1.4', '3.1.5', '3.2.1-rc1', 'develop', '3.2.0-alpine']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-lsp-registry-'));
    const write = (file, text) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('flake.nix', '{\n  outputs = { self, nixpkgs }: { };\n}\n');
    write('.hwc-lint.json', JSON.stringify({ registry: { insecureHosts: [registry.host] } }));
    write('domains/server/containers/app/options.nix', `{ lib, ... }:\n{\n  options.hwc.server.containers.app.enable = lib.mkEnableOption "app";\n}\n`);
    // An image written as an option default (options.nix) and one kept in a shared list of images outside any module.
    write('lib/images.nix', `{ lib, ... }:\n{\n  options.hwc.server.containers.app-helper.image = lib.mkOption {\n    type = lib.types.str;\n    default = "${registry.host}/media/app:3.1.5";\n  };\n}\n`);
    write('domains/server/containers/app-worker/options.nix', `{ lib, ... }:\n{\n  options.hwc.server.containers.app-worker = {\n    enable = lib.mkEnableOption "app-worker";\n    image = lib.mkOption {\n      type = lib.types.str;\n      default = "${registry.host}/media/app:3.1.4";\n    };\n  };\n}\n`);
    write('domains/server/containers/app-worker/index.nix', `{ config, lib, ... }:\nlet\n  cfg = config.hwc.server.containers.app-worker;\nin\n{\n  imports = [ ./options.nix ];\n\n  config = lib.mkIf cfg.enable {\n    virtualisation.oci-containers.containers.app-worker = {\n      image = cfg.image;\n    };\n    virtualisation.oci-containers.containers.app-helper = {\n      image = config.hwc.server.containers.app-helper.image;\n    };\n  };\n}\n`);
    write('domains/server/containers/app/index.nix', `{ config, lib, ... }:\nlet\n  cfg = config.hwc.server.containers.app;\nin\n{\n  imports = [ ./options.nix ];\n\n  config = lib.mkIf cfg.enable {\n    virtualisation.oci-containers.containers.app = {\n      image = "${registry.host}/media/app:3.1.4";\n    };\n    virtualisation.oci-containers.containers.app-next = {\n      image = "${registry.host}/media/app:latest";\n    };\n  };\n}\n`);
  });
  after(async () => {
    await registry?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const index = () => fileUri(path.join(dir, 'domains/server/containers/app/index.nix'));
  const tagsOf = (server, args) => server.request('workspace/executeCommand', { command: 'hwc.server.imageTags', arguments: [args] });
  const hoverAt = (server, line, character) => server.request('textDocument/hover', { textDocument: { uri: index() }, position: { line, character } });

  test('trusted, lookups on: tags newest stable first, latest = 3.2.0, a digest on request, hovers with the newest stable tag', async () => {
    const server = await startServer(dir, { initializationOptions: { trusted: true }, settings: { registry: { lookups: 'on' } } });
    try {
      await server.waitReady();
      const result = await tagsOf(server, { image: `${registry.host}/media/app:latest`, uri: index() });
      assert.equal(result.enabled, true);
      assert.deepEqual(result.tags.map((t) => t.tag), ['3.2.0', '3.1.5', '3.1.4', '3.2.0-alpine', '3.2.1-rc1', 'develop', 'latest']);
      assert.equal(result.latestIs, '3.2.0');
      const withDigest = await tagsOf(server, { image: `${registry.host}/media/app:latest`, digestOf: '3.1.5' });
      assert.equal(withDigest.digest, digests['3.1.5']);
      server.open(path.join(dir, 'domains/server/containers/app/index.nix'), fs.readFileSync(path.join(dir, 'domains/server/containers/app/index.nix'), 'utf8'));
      const behind = await hoverAt(server, 9, 20);
      assert.match(behind.contents.value, /newest stable tag: `3\.2\.0` \(this one, `3\.1\.4`, is behind\)/);
      const latest = await hoverAt(server, 12, 20);
      assert.match(latest.contents.value, /newest stable tag: `3\.2\.0`/);
      assert.match(latest.contents.value, /image-latest-tag/, 'the finding is still explained below');
      // The literal where the image is written: an option default in the module's options.nix, or in a file of image options outside any module.
      const hoverIn = (file, line, character) => server.request('textDocument/hover', { textDocument: { uri: fileUri(path.join(dir, file)) }, position: { line, character } });
      const optionDefault = await hoverIn('domains/server/containers/app-worker/options.nix', 6, 20);
      assert.match(optionDefault?.contents.value ?? '', /newest stable tag: `3\.2\.0` \(this one, `3\.1\.4`, is behind\)/);
      const shared = await hoverIn('lib/images.nix', 4, 20);
      assert.match(shared?.contents.value ?? '', /newest stable tag: `3\.2\.0` \(this one, `3\.1\.5`, is behind\)/);
      const notAnImage = await hoverIn('domains/server/containers/app-worker/options.nix', 3, 6);
      assert.doesNotMatch(notAnImage?.contents.value ?? '', /newest stable/);
    } finally {
      await server.stop();
    }
  });

  test('lookups off (the default) or an untrusted workspace: nothing is asked', async () => {
    for (const options of [{ initializationOptions: { trusted: true } }, { initializationOptions: { trusted: false }, settings: { registry: { lookups: 'on' } } }]) {
      const server = await startServer(dir, options);
      try {
        await server.waitReady();
        const result = await tagsOf(server, { image: `${registry.host}/media/app:latest` });
        assert.equal(result.enabled, false);
        assert.match(result.reason, options.settings ? /trusted workspaces/ : /lookups are off/);
        server.open(path.join(dir, 'domains/server/containers/app/index.nix'), fs.readFileSync(path.join(dir, 'domains/server/containers/app/index.nix'), 'utf8'));
        const hover = await hoverAt(server, 9, 20);
        assert.doesNotMatch(hover?.contents.value ?? '', /newest stable/);
      } finally {
        await server.stop();
      }
    }
  });
});
