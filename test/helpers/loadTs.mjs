// Loads a TypeScript module of the project straight from its sources (bundled in memory by
// esbuild), for tests of parts that are not in out/engine.js: the client's editor-free
// modules, small engine helpers. Node built-ins come through a real require.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** The exports of `entry` (a path relative to the repository root). */
export function loadTs(entry) {
  const { outputFiles } = esbuild.buildSync({ entryPoints: [path.join(repo, entry)], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent', mainFields: ['module', 'main'] });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}
