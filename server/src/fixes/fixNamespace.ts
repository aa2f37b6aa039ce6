// namespace-mismatch → "Did you mean `config.<namespace>.<folder>`?": rewrites the path of
// a `cfg = config.<path>;` binding to the folder's own namespace. (A wrong namespace in
// options.nix gets no fix: how much of a declaration's path is the namespace is a guess.)
// Unsafe and never in fix-all: which options a module reads is the user's decision.
import type { Node } from '../parse/parser';
import { attrSource } from './moveSecretToEnvFile';
import { withFile } from './common';
import { bindingNames, nodeAtRange, unwrapParens } from './syntax';
import { editsIn } from './text';
import type { Fix, TextEdit } from './types';

export const fixNamespace: Fix = {
  id: 'fix-namespace',
  rules: ['namespace-mismatch'],
  safety: 'unsafe',
  summary: "Point `cfg = config.<path>` at the folder's own namespace.",
  actions(ctx) {
    const { src } = ctx.diagnostic;
    const folder = ctx.index.get(src.file)?.moduleFolder;
    if (!folder) return [];
    const expected = [...ctx.config.namespace.split('.'), folder].map(attrSource).join('.');
    const result = withFile(ctx, src.file, (_text, tree): { edit: TextEdit; title: string } | null => {
      const node: Node | null = nodeAtRange(tree, src.range);
      if (!node) return null;
      // `cfg = config.<path>;`
      if (node.type === 'select_expression' && unwrapParens(node.childForFieldName('expression'))?.text === 'config') {
        const binding = node.parent;
        const attrpath = node.childForFieldName('attrpath');
        if (binding?.type !== 'binding' || bindingNames(binding).join('.') !== 'cfg' || !attrpath || attrpath.text === expected) return null;
        return { edit: { start: attrpath.startIndex, end: attrpath.endIndex, newText: expected }, title: `Did you mean \`config.${expected}\`?` };
      }
      return null;
    });
    if (!result) return [];
    return [{ fix: this.id, title: result.title, safety: 'unsafe', autoApply: false, preferred: true, edits: editsIn(src.file, result.edit) }];
  },
};
