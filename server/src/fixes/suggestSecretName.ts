// secret-undeclared → "Did you mean `<name>`?": replaces the secret's name in the
// `config.age.secrets.<n>` reference with the closest declared secret. Unsafe and never in
// fix-all: it changes which secret the container gets, on a guess.
import { closestNames } from './didYouMean';
import { attrSource } from './moveSecretToEnvFile';
import { str, withFile } from './common';
import { attrNames, nodeAtRange } from './syntax';
import { editsIn, nixString } from './text';
import type { Fix } from './types';

export const suggestSecretName: Fix = {
  id: 'suggest-secret-name',
  rules: ['secret-undeclared'],
  safety: 'unsafe',
  summary: 'Replace an undeclared secret name with the closest declared one.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const secret = str(data, 'secret');
    if (!secret) return [];
    const declared = [...ctx.index.files()].flatMap((f) => f.secretsDeclared.map((d) => d.name));
    const candidates = closestNames(secret, declared);
    if (candidates.length === 0) return [];
    const attr = withFile(ctx, src.file, (_text, tree) => {
      const node = nodeAtRange(tree, src.range);
      const attrpath = node?.childForFieldName('attrpath');
      if (!attrpath) return null;
      const names = attrNames(attrpath);
      const attrs = attrpath.namedChildren.filter((c) => c && c.type !== 'comment');
      const i = names.indexOf(secret);
      return i >= 0 ? { start: attrs[i]!.startIndex, end: attrs[i]!.endIndex, quoted: attrs[i]!.type === 'string_expression' } : null;
    });
    if (!attr) return [];
    return candidates.map((name) => ({
      fix: this.id,
      title: `Did you mean \`${name}\`?`,
      safety: 'unsafe' as const,
      autoApply: false,
      edits: editsIn(src.file, { start: attr.start, end: attr.end, newText: attr.quoted ? nixString(name) : attrSource(name) }),
    }));
  },
};
