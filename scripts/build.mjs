// Bundles the client, the server, the CLI and the engine (for tests) with esbuild and
// copies the two wasm files next to the bundles, where the parser looks for them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const out = path.join(root, 'out');
mkdirSync(out, { recursive: true });

// The ESM build of web-tree-sitter reads import.meta.url, which is undefined in a CJS
// bundle; its CJS build does not.
const webTreeSitterCjs = require.resolve('web-tree-sitter'); // the package's "require" export is its CJS build
const watch = process.argv.includes('--watch');

/**
 * zod registers English messages itself; its other locales (about 8,000 lines, only reachable
 * through `z.locales`, which nothing here uses) would be parsed at every start of every bundle.
 */
function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(build) {
      build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
        contents: "export { default as en } from './en.js';",
        loader: 'js',
        resolveDir: path.dirname(args.path),
      }));
    },
  };
}

// --production (npm run package): minified, no source maps — the .vsix ships only this.
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  // No keepNames: it wraps every closure creation in a defineProperty call (a fifth of lint time).
  keepNames: false,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  alias: { 'web-tree-sitter': webTreeSitterCjs },
  plugins: [zodEnglishOnly()],
};
const builds = [
  { entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  // parseWorker: what a worker thread of `hwc lint` loads (server/src/workspace/parallel.ts).
  { entryPoints: { server: 'server/src/main.ts', cli: 'server/src/cli.ts', engine: 'server/src/engine.ts', parseWorker: 'server/src/workspace/parseWorker.ts' } },
];
for (const b of builds) {
  const options = { ...common, ...b, outdir: out };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}

// lintReplay: what bin/hwc loads first for `hwc lint` (server/src/cache/replayEntry.ts). It is
// there to be small: the build fails when it pulls in a heavy dependency or the engine.
const replay = { ...common, entryPoints: { lintReplay: 'server/src/cache/replayEntry.ts' }, outdir: out, metafile: true };
if (watch) await (await esbuild.context(replay)).watch();
else {
  const { metafile } = await esbuild.build(replay);
  const heavy = Object.keys(metafile.inputs).filter((input) => input.includes('node_modules'));
  const bytes = Object.values(metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  if (heavy.length > 0 || bytes > 64 * 1024) throw new Error(`out/lintReplay.js must stay small (${bytes} bytes); it includes ${heavy.join(', ') || 'too much'}`);
}
copyFileSync(path.join(path.dirname(webTreeSitterCjs), 'web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
copyFileSync(path.join(root, 'server/grammar/tree-sitter-nix.wasm'), path.join(out, 'tree-sitter-nix.wasm'));

// The JSON schema of `.hwc-lint.json` comes from the zod schema (contributes.jsonValidation).
if (!watch) {
  const { writeFileSync } = await import('node:fs');
  const engine = require(path.join(out, 'engine.js'));
  writeFileSync(path.join(out, 'hwc-lint.schema.json'), JSON.stringify(engine.lintConfigJsonSchema(), null, 2) + '\n');
}
