// The index keeps each source range in one of three encodings (model/source.ts), picked by
// how far down the file, how far right and over how many lines it reaches. Whatever the
// encoding, a finding must point at exactly the text it is about, and the index must give
// back every range as written: checked here at both sides of each limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');

/** 0-based line and UTF-16 column of an offset in `text`. */
function positionOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * A container module for `name` whose image string starts `indent` columns in, after
 * `padding` lines of comments, and whose ports list spans `portLines` lines.
 */
function moduleText(name, { padding = 0, indent = 6, portLines = 1 }) {
  const comments = Array.from({ length: padding }, (_, i) => `# migration note ${i}: keep the old volume layout until the backup job has run`).join('\n');
  const ports =
    portLines === 1
      ? `ports = [ "127.0.0.1:8080:80" ];`
      : ['ports = [', ...Array.from({ length: portLines - 2 }, (_, i) => `        "127.0.0.1:${8080 + i}:${80 + i}"`), '      ];'].join('\n');
  return `${comments}${padding > 0 ? '\n' : ''}{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.${name};
in {
  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.${name} = {
${' '.repeat(indent)}image = "docker.io/library/nginx:latest";
      ${ports}
      volumes = [ "/opt/apps/${name}:/config" ];
    };
  };
}
`;
}

const CASES = [
  { name: 'near-top', options: {} },
  { name: 'column-249', options: { indent: 240 } },
  { name: 'column-300', options: { indent: 291 } },
  { name: 'line-8180', options: { padding: 8180 } },
  { name: 'line-8200', options: { padding: 8200 } },
  { name: 'ports-4-lines', options: { portLines: 4 } },
  { name: 'ports-5-lines', options: { portLines: 5 } },
  { name: 'ports-40-lines', options: { portLines: 40 } },
];

async function workspaceWith(cases) {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-positions-'));
  const texts = new Map();
  for (const { name, options } of cases) {
    const file = `domains/server/containers/${name}/index.nix`;
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    const text = moduleText(name, options);
    fs.writeFileSync(path.join(dir, file), text);
    texts.set(name, { file, text });
  }
  const workspace = new engine.Workspace(dir);
  workspace.loadAll();
  return { dir, workspace, texts, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('findings point at the text they are about far down and far right in a file', async () => {
  const ws = await workspaceWith(CASES);
  try {
    const findings = [...engine.workspaceDiagnostics(ws.workspace).values()].flat().filter((d) => d.rule === 'image-latest-tag');
    for (const { name } of CASES) {
      const { file, text } = ws.texts.get(name);
      const finding = findings.find((d) => d.src.file === file);
      assert.ok(finding, `${name}: image-latest-tag is reported`);
      const at = text.indexOf('"docker.io/library/nginx:latest"');
      assert.deepEqual(finding.src.range.start, positionOf(text, at), `${name}: the finding starts at the image string`);
      assert.deepEqual(finding.src.range.end, positionOf(text, at + '"docker.io/library/nginx:latest"'.length), `${name}: and ends with it`);
    }
  } finally {
    ws.cleanup();
  }
});

test('the index gives back multi-line ranges as written', async () => {
  const ws = await workspaceWith(CASES);
  try {
    for (const { name } of CASES) {
      const { file, text } = ws.texts.get(name);
      const [container] = ws.workspace.index.get(file).containers;
      const ports = container.fields.ports[0];
      const open = text.indexOf('[', text.indexOf('ports = '));
      const close = text.indexOf(']', open) + 1;
      assert.deepEqual(ports.src.range, { start: positionOf(text, open), end: positionOf(text, close) }, `${name}: the ports list`);
      const nameAt = text.indexOf(`containers.${name} = {`) + 'containers.'.length;
      assert.deepEqual(container.nameSrc.range, { start: positionOf(text, nameAt), end: positionOf(text, nameAt + name.length) }, `${name}: the container's name`);
      // A Src serialises as the plain shape editors and the lint cache read.
      assert.deepEqual(JSON.parse(JSON.stringify(ports.src)), { file, range: ports.src.range });
    }
  } finally {
    ws.cleanup();
  }
});
