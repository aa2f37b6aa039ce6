// Issue 15, item 12: no setting was restricted, so a repository's .vscode/settings.json
// applied in Restricted Mode too. VS Code ignores a workspace's value of a setting marked
// `"restricted": true` (and listed in capabilities.untrustedWorkspaces.restrictedConfigurations)
// until the workspace is trusted. Restricted here, and why:
// - hwc.flakeHost: becomes an argument of `nixos-rebuild --flake .#<host>`;
// - hwc.fixAll.includeUnsafe: lets Fix all apply fixes that change what the system does
//   (bind addresses, users, imports) without asking;
// - hwc.maxFileSizeKb: a resource limit; a repository must not lift it.
// Not restricted: hwc.enable, hwc.rules (the repository's .hwc-lint.json can already set
// severities), hwc.trace.server (output only), hwc.baseline.show (how baselined findings
// look; the repository's .hwc-baseline.json already decides which they are).
// Application scope, so no workspace can set it at all: hwc.registry.lookups (each lookup
// tells a registry which images you use).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repo } from './support/attack.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties;
const RESTRICTED = ['hwc.fixAll.includeUnsafe', 'hwc.flakeHost', 'hwc.maxFileSizeKb'];
const OPEN = ['hwc.enable', 'hwc.rules', 'hwc.trace.server', 'hwc.baseline.show'];
const USER_ONLY = ['hwc.registry.lookups'];

describe('settings a repository must not set in Restricted Mode', () => {
  test('are marked restricted in contributes.configuration and listed as restricted configurations', () => {
    assert.deepEqual(Object.keys(properties).filter((k) => properties[k].restricted === true).sort(), RESTRICTED);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), RESTRICTED);
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /cannot set hwc\.flakeHost, hwc\.fixAll\.includeUnsafe or hwc\.maxFileSizeKb/);
  });

  test('every setting is classified: a new one must be judged here', () => {
    assert.deepEqual(Object.keys(properties).sort(), [...RESTRICTED, ...OPEN, ...USER_ONLY].sort());
    for (const key of OPEN) assert.notEqual(properties[key].restricted, true, key);
    for (const key of USER_ONLY) assert.equal(properties[key].scope, 'application', key);
  });
});
