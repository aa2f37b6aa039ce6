// Issue 15, items 2 and 11: `hwc new` and the server's New Container against a repository
// whose folders are symbolic links leading out of the root, a symlinked profile inside it,
// a dangling link where a new file goes, and a folder it may not write to.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../helpers/lspClient.mjs';
import { NOBODY, assertNoTrace, changes, chownTree, cleanup, hwc, picture, scratchWorkspace } from './writeHarness.mjs';

after(cleanup);

const TIMEOUT = { timeout: 60_000 };
/** Handing files to `nobody` needs root (CI runs as root). */
const AS_ROOT = { ...TIMEOUT, skip: process.getuid?.() !== 0 && 'needs root to prepare files owned by another user' };

/** Moves `relative` out of the root into `outside` and leaves a symbolic link to it in its place. */
function linkOut(root, outside, relative) {
  const moved = path.join(outside, path.basename(relative));
  fs.renameSync(path.join(root, relative), moved);
  fs.symlinkSync(moved, path.join(root, relative));
  return moved;
}

describe('hwc new refuses writes that leave the root', () => {
  test('a symlinked domains/server/containers pointing outside: refused, nothing written inside or out', TIMEOUT, () => {
    const { base, root, outside } = scratchWorkspace();
    linkOut(root, outside, 'domains/server/containers');
    const before = picture(base);
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000'], { cwd: root });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /domains\/server\/containers\/grafana\/options\.nix: its real path .*outside\/containers\/grafana\/options\.nix is outside the workspace root/);
    assert.match(run.stderr, /nothing was written/);
    assertNoTrace(assert, run.stderr);
    assert.deepEqual(changes(before, picture(base)), []);
    assert.ok(!fs.existsSync(path.join(outside, 'containers', 'grafana')));
  });

  test('a symlinked profiles folder pointing outside: the profile edit is refused and the module is not created either', TIMEOUT, () => {
    const { base, root, outside } = scratchWorkspace();
    linkOut(root, outside, 'profiles');
    const before = picture(base);
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000'], { cwd: root });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /profiles\/server\.nix: its real path .*outside\/profiles\/server\.nix is outside the workspace root/);
    assert.match(run.stderr, /nothing was written/);
    assert.deepEqual(changes(before, picture(base)), []);
  });

  test('a profile that is a symlink to a file inside the root is edited through the link, which stays a link', TIMEOUT, () => {
    const { root } = scratchWorkspace();
    fs.mkdirSync(path.join(root, 'hosts/shared'));
    fs.renameSync(path.join(root, 'profiles/server.nix'), path.join(root, 'hosts/shared/server-profile.nix'));
    fs.symlinkSync('../hosts/shared/server-profile.nix', path.join(root, 'profiles/server.nix'));
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000'], { cwd: root });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fs.readlinkSync(path.join(root, 'profiles/server.nix')), '../hosts/shared/server-profile.nix');
    assert.match(fs.readFileSync(path.join(root, 'hosts/shared/server-profile.nix'), 'utf8'), /hwc\.server\.containers\.grafana\.enable = true;/);
  });

  test('a dangling symlink where the route file goes: a message (no stack trace), exit 2, nothing written, the link untouched', TIMEOUT, () => {
    const { base, root, outside } = scratchWorkspace();
    const route = path.join(root, 'domains/server/containers/caddy/routes/grafana.nix');
    fs.symlinkSync(path.join(outside, 'planted.nix'), route);
    const before = picture(base);
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000', '--proxy'], { cwd: root });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /caddy\/routes\/grafana\.nix is a symbolic link to .*outside\/planted\.nix, which does not exist; it is not followed; nothing was written/);
    assertNoTrace(assert, run.stderr);
    assert.deepEqual(changes(before, picture(base)), []);
    assert.ok(!fs.existsSync(path.join(outside, 'planted.nix')));
  });

  test('an I/O error in the middle of writing (file size limit: EFBIG on the edited profile): undone, and it says so', TIMEOUT, () => {
    const { base, root } = scratchWorkspace();
    const before = picture(base);
    // The new module files are small; the profile (over 2 KiB once edited) is not.
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000', '--proxy'], { cwd: root, maxFileKb: 2 });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^hwc new: profiles\/server\.nix: could not write it: file too large \(EFBIG\); nothing was written$/m);
    assertNoTrace(assert, run.stderr);
    assert.deepEqual(changes(before, picture(base)), [], 'no module folder, temp file or edit is left');
  });

  test('a folder the user may not write to: an I/O refusal that says nothing was written (run as nobody)', AS_ROOT, () => {
    const { base, root } = scratchWorkspace();
    chownTree(root, NOBODY);
    // The secrets index lives here; the user may read it but not replace it.
    fs.chownSync(path.join(root, 'domains/secrets'), 0, 0);
    fs.chmodSync(path.join(root, 'domains/secrets'), 0o755);
    const before = picture(base);
    const run = hwc(['new', 'grafana', '--image', 'grafana/grafana:11.4.0', '--port', '3000:3000', '--secret', 'GF_ADMIN_PASSWORD'], { cwd: root, as: NOBODY });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /domains\/secrets\/index\.nix: its folder is not writable \(EACCES\).*; nothing was written/);
    assertNoTrace(assert, run.stderr);
    assert.deepEqual(changes(before, picture(base)), []);
  });
});

describe('the server\'s New Container', () => {
  const execute = (server, command, args) => server.request('workspace/executeCommand', { command, arguments: args });
  const spec = { name: 'grafana', image: 'grafana/grafana:11.4.0', ports: ['3000:3000'] };

  test('refuses to generate in an untrusted workspace', TIMEOUT, async () => {
    const { root } = scratchWorkspace();
    const server = await startServer(root);
    try {
      await server.waitReady();
      await assert.rejects(execute(server, 'hwc.server.generateContainer', [spec]), /needs a trusted workspace/);
      // Reading what the workspace holds stays possible (the wizard's first step).
      assert.ok((await execute(server, 'hwc.server.newContainerContext', [])).containers.includes('sonarr'));
      // Trust granted later (VS Code's onDidGrantWorkspaceTrust): generating works.
      await server.notify('hwc/workspaceTrust', { trusted: true });
      const result = await execute(server, 'hwc.server.generateContainer', [spec]);
      assert.ok(result.files.some((uri) => uri.endsWith('/domains/server/containers/grafana/index.nix')));
    } finally {
      await server.stop();
    }
  });

  test('refuses a plan whose files would land outside the root through a symlinked containers folder', TIMEOUT, async () => {
    const { base, root, outside } = scratchWorkspace();
    linkOut(root, outside, 'domains/server/containers');
    const before = picture(base);
    const server = await startServer(root, { initializationOptions: { trusted: true } });
    try {
      await server.waitReady();
      await assert.rejects(execute(server, 'hwc.server.generateContainer', [spec]), (error) => {
        assert.match(error.message, /domains\/server\/containers\/grafana\/options\.nix: its real path .* is outside the workspace root/);
        assert.match(error.message, /nothing was generated/);
        return true;
      });
    } finally {
      await server.stop();
    }
    assert.deepEqual(changes(before, picture(base)), []);
  });
});
