// The `ignore` glob matcher (server/src/config/glob.ts): what each pattern form matches, on
// paths of a real workspace, and that star-heavy patterns stay fast (no backtracking blow-up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');

const PATHS = [
  'flake.nix',
  'legacy',
  'legacy/old.nix',
  'legacy/deep/er/thing.nix',
  'domains/server/containers/sonarr/index.nix',
  'domains/server/containers/sonarr/options.nix',
  'domains/server/containers/old-radarr/index.nix',
  'domains/server/containers/.draft/index.nix',
  'hosts/laptop/configuration.nix',
  'hosts/server/configuration.nix',
  'hosts/server/hardware.nix',
  'x1.nix',
  'x12.nix',
];

const CASES = [
  ['legacy/**', ['legacy', 'legacy/old.nix', 'legacy/deep/er/thing.nix']],
  ['*.nix', ['flake.nix', 'x1.nix', 'x12.nix']],
  ['**/index.nix', ['domains/server/containers/sonarr/index.nix', 'domains/server/containers/old-radarr/index.nix', 'domains/server/containers/.draft/index.nix']],
  ['domains/**/old-*/**', ['domains/server/containers/old-radarr/index.nix']],
  ['domains/server/containers/*/options.nix', ['domains/server/containers/sonarr/options.nix']],
  ['hosts/{laptop,server}/configuration.nix', ['hosts/laptop/configuration.nix', 'hosts/server/configuration.nix']],
  ['hosts/server/[a-h]*.nix', ['hosts/server/configuration.nix', 'hosts/server/hardware.nix']],
  ['hosts/server/[!c]*.nix', ['hosts/server/hardware.nix']],
  ['x?.nix', ['x1.nix']],
  ['**/.draft/**', ['domains/server/containers/.draft/index.nix']],
  ['./flake.nix', ['flake.nix']],
  ['x\\*.nix', []],
];

for (const [pattern, expected] of CASES) {
  test(`ignore glob ${pattern}`, () => {
    const matches = engine.compileGlobs([pattern]);
    assert.deepEqual(PATHS.filter(matches), expected);
  });
}

test('star-heavy globs against long names answer in milliseconds', () => {
  const matches = engine.compileGlobs(['*a*a*a*a*a*a*a*a*a*a*a*a*b', '**/*a*a*a*a*a*a*a*a*a*a*a*a*b/**']);
  for (const n of [40, 60, 255, 4000]) {
    const name = 'a'.repeat(n);
    assert.equal(matches(name), false);
    assert.equal(matches(`${name}/${name}/${name}.nix`), false);
    assert.equal(matches(`${name}b`), true);
  }
});

test('refused patterns say why', () => {
  assert.throws(() => engine.checkGlob('{a,b}'.repeat(7)), /more than 64 alternatives/);
  assert.throws(() => engine.checkGlob('x'.repeat(513)), /longer than 512 characters/);
  assert.throws(() => engine.checkGlob('!legacy/**'), /negated globs/);
  engine.checkGlob('{a,b}'.repeat(6));
});
