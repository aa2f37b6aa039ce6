// The only module that loads web-tree-sitter. Everything else receives trees from here
// (or from the document store) and must delete() what it creates.
import * as path from 'path';
import * as fs from 'fs';
import { Parser, Language, Query, Tree, Node, Edit, Point } from 'web-tree-sitter';
export { Edit };

export type { Tree, Node, Point };

let ready: Promise<Language> | undefined;
let language: Language | undefined;
let sharedParser: Parser | undefined;

/** Folder that holds web-tree-sitter.wasm and tree-sitter-nix.wasm (next to the bundle). */
export function wasmFolder(): string {
  return process.env.HWC_WASM_DIR ?? __dirname;
}

/** Loads the runtime and the Nix grammar once per process. */
export function initParser(): Promise<Language> {
  if (!ready) {
    ready = (async () => {
      const dir = wasmFolder();
      await Parser.init({ locateFile: (file: string) => path.join(dir, file) });
      language = await Language.load(fs.readFileSync(path.join(dir, 'tree-sitter-nix.wasm')));
      sharedParser = new Parser();
      sharedParser.setLanguage(language);
      return language;
    })();
  }
  return ready;
}

function parserOrThrow(): Parser {
  if (!sharedParser) throw new Error('initParser() must complete before parsing');
  return sharedParser;
}

/** Parses text (optionally reusing an edited old tree). The caller owns the result. */
export function parseNix(text: string, oldTree?: Tree | null): Tree {
  const tree = parserOrThrow().parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Parses, runs fn on the tree and always frees it. */
export function withTree<T>(text: string, fn: (tree: Tree) => T): T {
  const tree = parseNix(text);
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

const queries = new Map<string, Query>();

/**
 * A compiled query, created once per process and kept for its lifetime (queries are
 * immutable and cheap to keep; compiling one per file would be the leak).
 */
export function sharedQuery(source: string): Query {
  let query = queries.get(source);
  if (!query) {
    if (!language) throw new Error('initParser() must complete before queries');
    query = new Query(language, source);
    queries.set(source, query);
  }
  return query;
}
