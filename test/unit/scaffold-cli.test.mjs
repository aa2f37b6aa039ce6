// `hwc new` end to end: the real CLI on a copy of examples/homelab, secret values on stdin,
// --dry-run, refusals (nothing written), and the all-or-nothing writer.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ageDecrypt, ageIdentity, assertModuleShape, assertParses, cleanup, engine, filesContaining, hasNix, lintFindings, newFindings, repoRoot, scratchWorkspace, setSecretsNixRecipient, snapshot,
} from '../fixtures/scaffold/harness.mjs';

after(cleanup);

function hwc(args, { cwd, input = '' } = {}) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/hwc'), ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hwc new', () => {
  test('writes the module, the route, the secret and the edits; values come from stdin', async () => {
    const { base, root, keys } = scratchWorkspace();
    const id = ageIdentity(keys);
    setSecretsNixRecipient(root, id.recipient);
    const baseline = await lintFindings(root);
    const secretInput = 'PAPERLESS_API_TOKEN=cli-token-5a5a5a\nSMTP_PASS=cli pass = with equals\n';
    const run = hwc(
      ['new', 'paperless-ai', '--image', 'clusterzx/paperless-ai:3.0.2', '--port', '3005:3000', '--category', 'business', '--domain', 'ai.local', '--tls-email', 'me@example.com', '--secret', 'PAPERLESS_API_TOKEN', '--secret', 'SMTP_PASS', '--depends-on', 'paperless', '--network', 'hwc-db'],
      { cwd: root, input: secretInput },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^created domains\/server\/containers\/paperless-ai\/options\.nix$/m);
    assert.match(run.stdout, /^edited  profiles\/server\.nix$/m);
    assert.match(run.stdout, /^created domains\/secrets\/parts\/server\/paperless-ai-env\.age$/m);
    assert.match(run.stdout, /nixos-rebuild dry-build --flake \.#server/);
    const created = run.stdout.match(/^(?:created|edited ) (\S+)$/gm).map((l) => path.join(root, l.split(/\s+/)[1]));
    if (hasNix) {
      assertParses(created);
      assertModuleShape(created.filter((f) => f.endsWith('.nix') && !f.includes('/caddy/routes/')));
    }
    assert.deepEqual(newFindings(baseline, await lintFindings(root)), []);
    assert.equal(ageDecrypt(path.join(root, 'domains/secrets/parts/server/paperless-ai-env.age'), id.identity), 'PAPERLESS_API_TOKEN=cli-token-5a5a5a\nSMTP_PASS=cli pass = with equals\n');
    assert.deepEqual(filesContaining(base, ['cli-token-5a5a5a', 'cli pass = with equals']), []);
    assert.ok(!/cli-token|cli pass/.test(run.stdout + run.stderr), 'values are never echoed');
    // No temporary files are left behind.
    assert.deepEqual(Object.keys(snapshot(root)).filter((f) => f.includes('.hwc-new-')), []);
  });

  test('--dry-run prints the files and writes nothing', () => {
    const { root, keys } = scratchWorkspace();
    writeFileSync(path.join(root, '.hwc-lint.json'), JSON.stringify({ ageRecipients: [ageIdentity(keys).recipient] }));
    const before = snapshot(root);
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000', '--category', 'monitoring', '--proxy', '--secret', 'GF_SECURITY_ADMIN_PASSWORD', '--dry-run'], { cwd: root, input: 'GF_SECURITY_ADMIN_PASSWORD=dry-run-secret-1\n' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(snapshot(root), before, 'nothing was written');
    assert.match(run.stdout, /^--- create domains\/server\/containers\/grafana\/index\.nix\n\{ config, pkgs, lib, \.\.\. \}:/m);
    assert.match(run.stdout, /^--- create domains\/server\/containers\/caddy\/routes\/grafana\.nix$/m);
    assert.match(run.stdout, /^--- edit profiles\/server\.nix\n@@ after line 29 @@\n {5}\.\.\/domains\/server\/containers\/uptime-kuma\/index\.nix\n\+ {4}\.\.\/domains\/server\/containers\/grafana\/index\.nix$/m);
    assert.match(run.stdout, /^\+ {2}hwc\.server\.containers\.grafana\.enable = true;$/m);
    assert.match(run.stdout, /^--- create domains\/secrets\/parts\/server\/grafana-env\.age\n\(age file, ASCII-armored, \d+ bytes, encrypted to 1 recipient\)$/m);
    assert.match(run.stdout, /\(dry run: nothing was written\)/);
    assert.ok(!run.stdout.includes('dry-run-secret-1'));
  });

  test('a secret value in the arguments is refused, nothing written', () => {
    const { root } = scratchWorkspace();
    const before = snapshot(root);
    const run = hwc(['new', 'leak', '--image', 'a/b:1.0', '--secret', 'TOKEN=hunter2'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /secret values are read from stdin only/);
    assert.ok(!run.stderr.includes('hunter2'), 'the value is not repeated');
    assert.deepEqual(snapshot(root), before);
  });

  test('refusals exit 1 with every reason and write nothing', () => {
    const { root } = scratchWorkspace();
    const before = snapshot(root);
    for (const [args, pattern] of [
      [['new', '../x', '--image', 'a/b:1.0'], /path characters/],
      [['new', 'a/b', '--image', 'a/b:1.0'], /path characters/],
      [['new', 'Foo', '--image', 'a/b:1.0'], /upper-case/],
      [['new', 'a b', '--image', 'a/b:1.0'], /spaces/],
      [['new', '', '--image', 'a/b:1.0'], /a name is required/],
      [['new', 'sonarr', '--image', 'a/b:1.0'], /already exists/],
      [['new', 'x', '--image', 'nginx:latest', '--port', '8989:80'], /latest[^]*already published by sonarr/],
    ]) {
      const run = hwc(args, { cwd: root });
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
      assert.match(run.stderr, /nothing was written/);
    }
    assert.deepEqual(snapshot(root), before);
  });

  test('a missing stdin value is refused; usage errors exit 2', () => {
    const { root } = scratchWorkspace();
    const before = snapshot(root);
    let run = hwc(['new', 'app', '--image', 'a/b:1.0', '--secret', 'A', '--secret', 'B'], { cwd: root, input: 'A=1\n' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no value for `B`/);
    run = hwc(['new', 'app', '--image', 'a/b:1.0', '--secret', 'A'], { cwd: root, input: 'not a pair\n' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /expected KEY=value lines/);
    run = hwc(['new', 'app'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--image/);
    assert.deepEqual(snapshot(root), before);
  });

  test('without stdin values the secret is declared and the age command printed', () => {
    const { root } = scratchWorkspace();
    const run = hwc(['new', 'app', '--image', 'a/b:1.0', '--secret', 'TOKEN', '--root', root], { input: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!existsSync(path.join(root, 'domains/secrets/parts/server/app-env.age')));
    assert.match(run.stdout, /age -r age1dw29222anuscqtqnf6e29zyh5yhfkpuqjt3ht7j9n0wd3vd07egsucq724 -a -o domains\/secrets\/parts\/server\/app-env\.age/);
  });
});

describe('the writer is all or nothing', () => {
  test('a failure while publishing undoes the files already published and the folders made', () => {
    const { root } = scratchWorkspace();
    const before = snapshot(root);
    const profile = readFileSync(path.join(root, 'profiles/server.nix'), 'utf8');
    const files = [
      { path: 'profiles/server.nix', action: 'edit', before: profile, text: profile + '# edited\n', edits: [] },
      { path: 'new/deep/a.nix', action: 'create', text: '{ }\n' },
      // The same path twice: the second exclusive publish fails after the first succeeded.
      { path: 'new/deep/a.nix', action: 'create', text: '{ x = 1; }\n' },
    ];
    assert.throws(() => engine.writePlan(root, files), /EEXIST/);
    assert.deepEqual(snapshot(root), before);
  });
  test('a file that changed after planning stops everything before any write', () => {
    const { root } = scratchWorkspace();
    const before = snapshot(root);
    const files = [
      { path: 'x/new.nix', action: 'create', text: '{ }\n' },
      { path: 'profiles/server.nix', action: 'edit', before: 'something else', text: 'x', edits: [] },
    ];
    assert.throws(() => engine.writePlan(root, files), /changed on disk after it was read; nothing was written/);
    assert.deepEqual(snapshot(root), before);
  });
  test('a folder that cannot be made (a file is in the way) leaves nothing behind', () => {
    const { root } = scratchWorkspace();
    mkdirSync(path.join(root, 'spare'));
    const before = snapshot(root);
    const files = [
      { path: 'spare/one/a.nix', action: 'create', text: '{ }\n' },
      { path: 'flake.nix/b.nix', action: 'create', text: '{ }\n' },
    ];
    assert.throws(() => engine.writePlan(root, files), /ENOTDIR|EEXIST/);
    assert.deepEqual(snapshot(root), before);
  });
});
