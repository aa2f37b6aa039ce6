// The module-shape check every generated or edited file passes before it is written.
// NixOS reads a module with a top-level `config` or `options` as an explicit module and
// then refuses any other top-level attribute ("Module … has an unsupported attribute
// `age'"), a mistake the parser cannot see and the build reports far from its cause.
// Without `config`/`options`, `imports` and everything else may stand side by side.
import { withTree, type Node } from './parser';

/** Keys NixOS accepts beside `config`/`options` (lib/modules.nix, unifyModuleSyntax). */
export const EXPLICIT_MODULE_KEYS: ReadonlySet<string> = new Set(['config', 'options', 'imports', 'meta', '_file', 'key', 'disabledModules', 'freeformType', '_class']);

export interface ShapeProblem {
  kind: 'syntax' | 'shape';
  message: string;
}

/** The attrset a file evaluates to, through `{ … }:`, `let … in`, `with …;`, `assert …;` and parentheses. */
function topLevelAttrset(root: Node): Node | null {
  let node: Node | null = root.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  for (let depth = 0; node && depth < 16; depth++) {
    if (node.type === 'attrset_expression' || node.type === 'rec_attrset_expression') return node;
    if (node.type === 'parenthesized_expression') node = node.childForFieldName('expression');
    else if (['function_expression', 'let_expression', 'with_expression', 'assert_expression'].includes(node.type)) node = node.childForFieldName('body');
    else return null;
  }
  return null;
}

/** The first attribute name of each top-level binding and every inherited name; null for a computed key. */
function topLevelKeys(attrset: Node): Array<{ name: string | null; node: Node }> {
  const set = attrset.namedChildren.find((c) => c?.type === 'binding_set');
  const out: Array<{ name: string | null; node: Node }> = [];
  for (const member of set?.namedChildren ?? []) {
    if (!member) continue;
    if (member.type === 'binding') {
      const first = member.childForFieldName('attrpath')?.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
      if (!first) continue;
      if (first.type === 'identifier') out.push({ name: first.text, node: first });
      else if (first.type === 'string_expression' && first.namedChildren.every((p) => p?.type === 'string_fragment')) out.push({ name: first.namedChildren.map((p) => p!.text).join(''), node: first });
      else out.push({ name: null, node: first });
    } else if (member.type === 'inherit' || member.type === 'inherit_from') {
      for (const attr of member.childForFieldName('attrs')?.namedChildren ?? []) if (attr && attr.type !== 'comment') out.push({ name: attr.text, node: attr });
    }
  }
  return out;
}

/**
 * Null when `text` parses and has a shape NixOS accepts; otherwise what is wrong, naming
 * `file`. A file that is not an attrset module (a function returning a list, a routes
 * attrset read by `import`) only has to parse.
 */
export function moduleShapeProblem(text: string, file: string): ShapeProblem | null {
  return withTree(text, (tree) => {
    if (tree.rootNode.hasError) return { kind: 'syntax', message: `${file} would not parse` };
    const top = topLevelAttrset(tree.rootNode);
    if (!top) return null;
    const keys = topLevelKeys(top);
    if (!keys.some((k) => k.name === 'config' || k.name === 'options')) return null;
    const extra = keys.filter((k) => k.name !== null && !EXPLICIT_MODULE_KEYS.has(k.name));
    if (extra.length === 0) return null;
    const names = [...new Set(extra.map((k) => `\`${k.name}\``))].join(', ');
    return {
      kind: 'shape',
      message: `${file} is an explicit module (it has a top-level \`config\` or \`options\`), so NixOS would refuse its top-level ${names} ("unsupported attribute"); that belongs inside \`config = { … }\``,
    };
  });
}

/** Whether an edit turned an acceptable file into one with a problem (a file that was already broken stays the user's business). */
export function shapeBrokenBy(before: string | undefined, after: string, file: string): ShapeProblem | null {
  const problem = moduleShapeProblem(after, file);
  if (!problem || before === undefined) return problem;
  const earlier = moduleShapeProblem(before, file);
  return earlier && earlier.kind === problem.kind ? null : problem;
}
