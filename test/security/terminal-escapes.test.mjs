// Issue 15, item 9: terminal escape injection. Repository text reaches the terminal through
// `hwc lint`'s text output: container names in messages, syntax-error excerpts, file names
// (in findings and in the "skipped" log lines). A name holding `ESC [2J ESC [H` clears the
// screen, a newline or a bidi override fakes or reorders output. Every control character
// (C0, DEL, C1, ESC) and bidi control is printed as a visible escape; JSON and SARIF carry
// the exact text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fingerprint, homelabCopy, hwc } from './support/attack.mjs';

const CLEAR = '\u001b[2J\u001b[H';
const RLO = '\u202e';
/** What a crafted container name prints to pretend the lint is clean. */
const EVIL_NAME = `web${CLEAR}${RLO}no problems in 0 files\u009b31m\u007f`;
const FAKE_LINE = 'bad\nno problems in 1 file\n';
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function plant(dir) {
  const folder = path.join(dir, 'domains', 'server', 'containers', 'web');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'index.nix'),
    `{ config, lib, ... }:
{
  virtualisation.oci-containers.containers."${EVIL_NAME}" = {
    image = "docker.io/library/nginx:latest";
    ports = [ "127.0.0.1:8081:80" ];
  };
}
`,
  );
  // A syntax error whose excerpt is an OSC sequence (sets the terminal title) and a BEL.
  fs.writeFileSync(path.join(folder, `${FAKE_LINE}.nix`), '{\n  title = \u001b]0;pwned\u0007 ;\n}\n');
  // A symlink out of the repository, named with ESC: its "skipped" log line quotes the name.
  fs.symlinkSync('/etc/hostname', path.join(folder, `link${CLEAR}.nix`));
}

describe('hwc lint text output escapes repository text', () => {
  test('names, messages, excerpts and paths print control and bidi characters as visible escapes', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('esc');
    try {
      plant(dir);
      const before = fingerprint(dir);
      const r = await hwc(['lint', dir]);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.split('\n');
      for (const line of [...lines, ...r.stderr.split('\n')]) assert.doesNotMatch(line, UNSAFE, `raw control character in: ${JSON.stringify(line)}`);
      // The crafted name is shown, escaped, inside its finding.
      const latest = lines.find((l) => l.includes('[image-latest-tag]') && l.startsWith('domains/server/containers/web/index.nix:'));
      assert.ok(latest, r.stdout);
      assert.ok(latest.includes('web\\x1b[2J\\x1b[H\\u{202e}no problems in 0 files\\x9b31m\\x7f'), latest);
      // The syntax-error excerpt and the file name with newlines.
      const broken = lines.filter((l) => l.startsWith('domains/server/containers/web/bad\\nno problems in 1 file\\n.nix:'));
      assert.ok(broken.some((l) => l.includes('unexpected `\\x1b`')), r.stdout);
      // Exactly one summary line: the fake ones are inside escaped findings.
      assert.equal(lines.filter((l) => /^(no problems|\d+ problems?) /.test(l)).length, 1, r.stdout);
      assert.match(lines.at(-2), /^\d+ problems \(/);
      // The log line of the refused symlink names it escaped.
      assert.match(r.stderr, /hwc: skipped domains\/server\/containers\/web\/link\\x1b\[2J\\x1b\[H\.nix: symlink to a file outside the workspace; not read/);
      assert.deepEqual(fingerprint(dir), before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('JSON and SARIF keep the exact text', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('esc-json');
    try {
      plant(dir);
      const json = await hwc(['lint', '--format', 'json', dir]);
      const findings = JSON.parse(json.stdout);
      assert.ok(findings.some((f) => f.rule === 'image-latest-tag' && f.message.includes(EVIL_NAME)), 'JSON holds the raw name');
      assert.ok(findings.some((f) => f.file === `domains/server/containers/web/${FAKE_LINE}.nix`), 'JSON holds the raw file name');
      const sarif = JSON.parse((await hwc(['lint', '--format', 'sarif', dir])).stdout);
      const messages = sarif.runs[0].results.map((x) => x.message.text);
      assert.ok(messages.some((m) => m.includes(EVIL_NAME)), 'SARIF holds the raw name');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage errors quote arguments escaped', { timeout: 30_000 }, async () => {
    const r = await hwc(['lint', '--format', `text${CLEAR}`]);
    assert.equal(r.code, 2);
    const unknown = await hwc([`lint${CLEAR}`]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command `lint\\x1b\[2J\\x1b\[H`/);
    for (const out of [r.stderr, unknown.stderr]) for (const line of out.split('\n')) assert.doesNotMatch(line, UNSAFE);
  });
});
