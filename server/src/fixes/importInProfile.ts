// module-not-enabled → "Import in profiles/server.nix": appends the module's path to the
// profile's `imports` and adds `<namespace>.<folder>.enable = true;` next to the other
// enable lines (unless the profile already sets it). The edit lands in the profile, not
// in the file with the diagnostic. Unsafe: the next switch starts a new container.
import { str, withFile } from './common';
import { attrSource } from './moveSecretToEnvFile';
import { appendToList, bindingNames, configBlock, insertIntoAttrset, membersOf, moduleBody, pathTaken, unwrapParens, ATTRSETS } from './syntax';
import type { Fix, TextEdit } from './types';

/** The import as a Nix path literal, or null when it cannot be written as one. */
export function pathLiteral(importPath: string): string | null {
  const p = importPath.startsWith('.') || importPath.startsWith('/') ? importPath : `./${importPath}`;
  return /^[A-Za-z0-9._\-+/]+$/.test(p) && p.includes('/') && !p.endsWith('/') ? p : null;
}

export const importInProfile: Fix = {
  id: 'import-in-profile',
  rules: ['module-not-enabled'],
  safety: 'unsafe',
  summary: 'Add the module to the profile\'s imports and set `<namespace>.<folder>.enable = true;` there.',
  actions(ctx) {
    const { data } = ctx.diagnostic;
    const folder = str(data, 'folder');
    const importPath = str(data, 'importPath');
    const literal = importPath ? pathLiteral(importPath) : null;
    const profile = ctx.config.profile;
    if (!folder || !literal) return [];
    const enablePath = [...ctx.config.namespace.split('.'), folder, 'enable'];
    const alreadyEnabled = ctx.index.get(profile)?.enabled.some((p) => ctx.index.canonicalPath(p.split('.')).join('.') === enablePath.join('.')) ?? false;
    const edits = withFile(ctx, profile, (text, tree): TextEdit[] | null => {
      const body = moduleBody(tree);
      if (!body || !ATTRSETS.has(body.type)) return null;
      const out: TextEdit[] = [];
      const imports = membersOf(body).find((m) => m.type === 'binding' && bindingNames(m).join('.') === 'imports');
      const list = unwrapParens(imports?.childForFieldName('expression') ?? null);
      if (imports && list?.type !== 'list_expression') return null;
      if (list) {
        const present = list.namedChildren.some((item) => item?.type === 'path_expression' && item.text.replace(/^\.\//, '') === literal.replace(/^\.\//, ''));
        if (!present) out.push(appendToList(text, list, () => ({ block: literal, inline: literal })));
      } else {
        out.push(insertIntoAttrset(text, body, () => ({ block: `imports = [ ${literal} ];`, inline: `imports = [ ${literal} ];` })));
      }
      const block = configBlock(tree, null);
      if (!alreadyEnabled && block && !pathTaken(block, enablePath)) {
        const binding = `${enablePath.map(attrSource).join('.')} = true;`;
        const siblings = membersOf(block).filter((m) => {
          const names = bindingNames(m);
          return m.type === 'binding' && names.length === enablePath.length && names[names.length - 1] === 'enable' && names.slice(0, -2).join('.') === enablePath.slice(0, -2).join('.');
        });
        const edit = insertIntoAttrset(text, block, () => ({ block: binding, inline: binding }), siblings[siblings.length - 1]);
        // Both new bindings go after the same member: one insertion, imports first.
        const same = out.find((o) => o.start === edit.start && o.end === o.start && edit.end === edit.start);
        if (same) same.newText += edit.newText;
        else if (out.some((o) => o.start === edit.start)) return null;
        else out.push(edit);
      }
      return out.length ? out : null;
    });
    if (!edits) return [];
    return [{ fix: this.id, title: `Import ${folder} in ${profile} and enable it`, safety: 'unsafe', autoApply: true, preferred: true, edits: new Map([[profile, edits]]) }];
  },
};
