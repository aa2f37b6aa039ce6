// Issue 15, item 9: terminal escape injection. Repository text reaches the terminal through
// `hwc lint`'s text output: container names in messages, syntax-error excerpts, file names
// (in findings and in the "skipped" log lines). A name holding `ESC [2J ESC [H` clears the
// screen, a newline or a bidi override fakes or reorders output. Every control character
// (C0, DEL, C1, ESC), every format character (bidi controls, zero-width characters, tag
// characters) and the line separators are printed as visible escapes, by one function
// (cli/terminal.ts) in every command; JSON and SARIF carry the exact text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fingerprint, homelabCopy, hwc } from './support/attack.mjs';
import { loadTs } from '../helpers/loadTs.mjs';

const { escapeForTerminal } = loadTs('server/src/cli/terminal.ts');

const CLEAR = '\u001b[2J\u001b[H';
const RLO = '\u202e';
/** What a crafted container name prints to pretend the lint is clean. */
const EVIL_NAME = `web${CLEAR}${RLO}no problems in 0 files\u009b31m\u007f`;
const FAKE_LINE = 'bad\nno problems in 1 file\n';
/** Anything but a line break that the terminal would act on or not show: controls, format characters, line separators. */
const UNSAFE = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** Invisible characters that hide text without moving the cursor: a zero-width space and joiner, and tag characters spelling "rm". */
const HIDDEN = '\u200b\u200d\u{e0072}\u{e006d}';

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

describe('one escaper for every command', () => {
  test('it escapes controls, format characters and separators, and nothing else', () => {
    const cases = [
      ['\u001b[2J', '\\x1b[2J'],
      ['a\nb\tc\rd', 'a\\nb\\tc\\rd'],
      ['\u007f\u009b', '\\x7f\\x9b'],
      ['\u202eevil\u2066\u061c\u200e', '\\u{202e}evil\\u{2066}\\u{61c}\\u{200e}'],
      // Zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen: invisible, so `web` and `w\u{200b}eb` would print alike.
      ['w\u200beb\u200c\u200d\u2060\ufeff\u00ad', 'w\\u{200b}eb\\u{200c}\\u{200d}\\u{2060}\\u{feff}\\xad'],
      // Tag characters carry a hidden ASCII text ("ignore") that most terminals do not show at all.
      ['ok\u{e0069}\u{e0067}\u{e006e}\u{e006f}\u{e0072}\u{e0065}', 'ok\\u{e0069}\\u{e0067}\\u{e006e}\\u{e006f}\\u{e0072}\\u{e0065}'],
      ['line\u2028para\u2029', 'line\\u{2028}para\\u{2029}'],
    ];
    for (const [raw, shown] of cases) assert.equal(escapeForTerminal(raw), shown, JSON.stringify(raw));
    for (const plain of ['docker.io/library/nginx:1.27', '/opt/media/sonarr:/config', 'Zürich café 東京 ñ', 'emoji 🎉 stays', '`backticks` and "quotes"']) {
      assert.equal(escapeForTerminal(plain), plain, 'printable text is left alone');
    }
  });

  test('lint, containers and import compose show a name with hidden characters the same way', { timeout: 90_000 }, async () => {
    const dir = homelabCopy('hidden');
    try {
      const name = `web${HIDDEN}`;
      const shown = 'web\\u{200b}\\u{200d}\\u{e0072}\\u{e006d}';
      const folder = path.join(dir, 'domains', 'server', 'containers', 'web');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, 'index.nix'),
        `{ config, lib, ... }:\n{\n  virtualisation.oci-containers.containers."${name}" = {\n    image = "docker.io/library/nginx:latest";\n    ports = [ "127.0.0.1:8081:80" ];\n  };\n}\n`,
      );
      const compose = path.join(dir, 'compose.yaml');
      fs.writeFileSync(compose, `services:\n  app:\n    image: "docker.io/library/nginx:1.27${HIDDEN}\\e[2J"\n`);
      const before = fingerprint(dir);
      const lint = await hwc(['lint', dir]);
      const containers = await hwc(['containers', '--root', dir]);
      const imported = await hwc(['import', 'compose', compose, '--root', dir]);
      assert.equal(imported.code, 2, 'the image is refused');
      for (const run of [lint, containers, imported]) for (const line of [...run.stdout.split('\n'), ...run.stderr.split('\n')]) assert.doesNotMatch(line, UNSAFE, JSON.stringify(line));
      assert.ok(lint.stdout.includes(shown), lint.stdout);
      assert.ok(containers.stdout.includes(shown), containers.stdout);
      assert.ok(imported.stderr.includes(`nginx:1.27\\u{200b}\\u{200d}\\u{e0072}\\u{e006d}\\x1b[2J`), imported.stderr);
      assert.deepEqual(fingerprint(dir), before, 'nothing was written');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
