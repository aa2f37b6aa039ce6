// The server over real JSON-RPC on stdio: a broken file gets syntax-error diagnostics,
// fixing it clears them, and shutdown/exit end the process cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../helpers/lspClient.mjs';

const BROKEN = `{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.whoami;
in {
  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.whoami = {
      image = "traefik/whoami:v1.10"
      ports = [ "127.0.0.1:8088:80" ];
    };
  };
}
`;

test('syntax errors appear on open, clear on fix, and the server exits cleanly', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-lsp-'));
  fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { self }: { }; }\n');
  const server = await startServer(dir);
  try {
    assert.equal(server.initializeResult.serverInfo.name, 'hwc-orchestrator');
    assert.equal(server.initializeResult.capabilities.textDocumentSync.change, 2, 'incremental sync');
    const file = path.join(dir, 'whoami.nix');
    const uri = server.open(file, BROKEN);
    const diagnostics = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'syntax-error'));
    const syntax = diagnostics.filter((d) => d.code === 'syntax-error');
    assert.equal(syntax.length, 1, JSON.stringify(diagnostics, null, 2));
    assert.match(syntax[0].message, /missing `;`/);
    assert.equal(syntax[0].range.start.line, 7, 'points at the line after the unterminated binding');
    assert.equal(syntax[0].source, 'hwc');
    assert.match(syntax[0].codeDescription.href, /docs\/rules\/syntax-error\.md$/);

    // Insert the missing `;` after the image string (line 6).
    const line6 = BROKEN.split('\n')[6];
    server.change(uri, [{ range: { start: { line: 6, character: line6.length }, end: { line: 6, character: line6.length } }, text: ';' }]);
    await server.waitDiagnostics(uri, (d) => d.every((x) => x.code !== 'syntax-error'));
  } finally {
    const code = await server.stop();
    assert.equal(code, 0, `server exit code (stderr: ${server.stderr})`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
