#!/usr/bin/env bash
# Rebuilds server/grammar/tree-sitter-nix.wasm from the npm package tree-sitter-nix and
# rewrites server/grammar/PROVENANCE.json. Needs Debian's `emscripten` (emcc).
# Why committed: tree-sitter-cli cannot be downloaded here, and emcc is slow to install,
# so the wasm is built once, committed, and checked against this provenance by a test.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=node_modules/tree-sitter-nix
out=server/grammar/tree-sitter-nix.wasm
command -v emcc >/dev/null || { echo "emcc not found: apt-get install -y emscripten" >&2; exit 2; }
flags=(-Os -fno-exceptions -s SIDE_MODULE=2 -s 'EXPORTED_FUNCTIONS=["_tree_sitter_nix"]')
emcc -o "$out" "${flags[@]}" -I "$pkg/src" "$pkg/src/parser.c" "$pkg/src/scanner.c"
version=$(node -p "require('./$pkg/package.json').version")
node - "$version" "$(emcc --version | head -1)" "${flags[*]}" <<'JS'
const fs = require('fs'); const crypto = require('crypto');
const sha = (p) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const [version, compiler, flags] = process.argv.slice(2);
const provenance = {
  grammar: 'tree-sitter-nix', version,
  parserCSha256: sha('node_modules/tree-sitter-nix/src/parser.c'),
  scannerCSha256: sha('node_modules/tree-sitter-nix/src/scanner.c'),
  wasmSha256: sha('server/grammar/tree-sitter-nix.wasm'),
  compiler, flags, builtBy: 'scripts/build-grammar.sh',
};
fs.writeFileSync('server/grammar/PROVENANCE.json', JSON.stringify(provenance, null, 2) + '\n');
JS
echo "built $out ($(stat -c %s "$out") bytes)"
