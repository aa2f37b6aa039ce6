// The engine version a cache entry is valid for: a hash of the code that made it. Any change
// to the bundle (a rule, the extractor, the shape of a summary) or to the grammar changes it,
// so a cache never outlives the code that wrote it — no version number to remember to bump.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/**
 * A hash of the running bundle (`__filename`: out/cli.js, out/engine.js or out/server.js)
 * and the grammar beside it. Each bundle has its own version, which is right: each is
 * its own build of the engine. Computed once per process (about 5 ms for 2.5 MB).
 */
export function engineVersion(): string {
  cached ??= bundleVersion(__filename);
  return cached;
}

/** The version of a bundle on disk: `engineVersion()` of a process running it (the fast replay of `hwc lint` names out/cli.js's). */
export function bundleVersion(bundle: string): string {
  const hash = createHash('sha256');
  hash.update(process.version.split('.')[0]);
  for (const file of [bundle, path.join(path.dirname(bundle), 'tree-sitter-nix.wasm')]) {
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      // Not a bundle on disk (an in-memory test build): its name and a per-process nonce,
      // so nothing is ever shared with another build.
      hash.update(`${file}:${process.pid}:${Date.now()}`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}
