// secret-missing-assertion → "Add assertion": inserts
// `{ assertion = config.age.secrets ? "<n>"; message = "…requires secret '<n>'"; }` into the
// module's existing `assertions` list (the diagnostic's file first, then the rest of the
// module folder), or creates the list in the config block that uses the secret. Safe: the
// build now fails with a clear message where activation would have failed anyway.
import type { Src } from '../model/source';
import { moduleFiles } from './createStateDir';
import { str, withFile } from './common';
import { appendToList, bindingsAt, configBlock, ensureFormals, insertIntoAttrset, lines, nodeAtRange, pathTaken, unwrapParens } from './syntax';
import { escapeDoubleQuoted, nixString } from './text';
import type { FileEdits, Fix, FixContext, TextEdit } from './types';

function assertionLines(ctx: FixContext, module: string, secret: string): { assertion: string; message: string } {
  return {
    assertion: `assertion = config.age.secrets ? ${nixString(secret)};`,
    message: `message = "${escapeDoubleQuoted(`${ctx.config.namespace}.${module} requires secret '${secret}'`)}";`,
  };
}

/** Edits that add the assertion for `secret` to `module`, anchored at `anchor` (a use of the secret or the container). */
export function secretAssertionEdits(ctx: FixContext, anchor: Src, module: string, secret: string): FileEdits | null {
  const { assertion, message } = assertionLines(ctx, module, secret);
  const item = (unit: string) => ({ block: lines([[0, '{'], [1, assertion], [1, message], [0, '}']], unit), inline: `{ ${assertion} ${message} }` });
  for (const file of moduleFiles(ctx, anchor.file)) {
    const edits = withFile(ctx, file, (text, tree): TextEdit[] | null => {
      const list = bindingsAt(tree, ['assertions'])
        .map((b) => unwrapParens(b.childForFieldName('expression')))
        .find((v) => v?.type === 'list_expression');
      const formals = ensureFormals(tree, ['config']);
      return list && formals ? [...formals, appendToList(text, list, item)] : null;
    });
    if (edits) return new Map([[file, edits]]);
  }
  const edits = withFile(ctx, anchor.file, (text, tree): TextEdit[] | null => {
    const block = configBlock(tree, nodeAtRange(tree, anchor.range));
    const formals = ensureFormals(tree, ['config']);
    if (!block || !formals || pathTaken(block, ['assertions'])) return null;
    const binding = (unit: string) => ({
      block: lines([[0, 'assertions = ['], [1, '{'], [2, assertion], [2, message], [1, '}'], [0, '];']], unit),
      inline: `assertions = [ { ${assertion} ${message} } ];`,
    });
    return [...formals, insertIntoAttrset(text, block, binding)];
  });
  return edits ? new Map([[anchor.file, edits]]) : null;
}

export const addSecretAssertion: Fix = {
  id: 'add-secret-assertion',
  rules: ['secret-missing-assertion'],
  safety: 'safe',
  summary: 'Add `{ assertion = config.age.secrets ? "<n>"; message = …; }` to the module\'s assertions (creating the list if absent).',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const secret = str(data, 'secret');
    const module = str(data, 'module');
    if (!secret || !module) return [];
    const edits = secretAssertionEdits(ctx, src, module, secret);
    if (!edits) return [];
    return [{ fix: this.id, title: `Add an assertion that secret ${secret} is declared`, safety: 'safe', autoApply: true, preferred: true, edits }];
  },
};
