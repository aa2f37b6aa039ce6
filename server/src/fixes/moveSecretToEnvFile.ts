// hardcoded-secret → "Move to secret env file": removes the `KEY = "literal";` binding from
// `environment`, adds `config.age.secrets."<name>-env".path` to `environmentFiles` (and the
// assertion for it) when missing, and tells the user which key to put in the encrypted
// file. The value is never written anywhere else. Unsafe and never in fix-all: until the
// user adds the key to the .age file, the container starts without it.
import type { Node } from '../parse/parser';
import { secretAssertionEdits } from './addSecretAssertion';
import { str, withFile } from './common';
import { ATTRSETS, appendToList, bindingNames, ensureFormals, insertIntoAttrset, membersOf, nodeAtRange, pathTaken, removeNode, same, unwrapParens } from './syntax';
import { combine, nixString } from './text';
import type { FileEdits, Fix, TextEdit } from './types';

/** An attribute name as Nix source (quoted when it is not an identifier). */
export function attrSource(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : nixString(name);
}

interface Site {
  /** The `KEY = "…";` binding. */
  binding: Node;
  /** The container's attrset and the attribute prefix of its fields inside it (`[]`, or the dotted path before `environment`). */
  container: Node;
  prefix: string[];
  /** The binding that holds `environment`, used as the insertion anchor. */
  environment: Node;
  /** What to remove: the `KEY = …;` binding, or the whole `environment = { KEY = …; };` when it holds nothing else. */
  removal: Node;
}

function siteOf(literal: Node, key: string): Site | null {
  const binding = literal.parent;
  if (binding?.type !== 'binding' || !same(binding.childForFieldName('expression'), literal)) return null;
  const names = bindingNames(binding);
  const attrset = binding.parent?.parent;
  if (!attrset || !ATTRSETS.has(attrset.type)) return null;
  if (names.length >= 2 && names[names.length - 1] === key && names[names.length - 2] === 'environment' && names.every((n) => n !== null)) {
    return { binding, container: attrset, prefix: names.slice(0, -2) as string[], environment: binding, removal: binding };
  }
  if (names.length !== 1 || names[0] !== key) return null;
  const owner = attrset.parent;
  if (owner?.type !== 'binding' || !same(owner.childForFieldName('expression'), attrset)) return null;
  const ownerNames = bindingNames(owner);
  if (ownerNames[ownerNames.length - 1] !== 'environment' || ownerNames.some((n) => n === null)) return null;
  const container = owner.parent?.parent;
  if (!container || !ATTRSETS.has(container.type)) return null;
  const alone = membersOf(attrset).length === 1 && !attrset.descendantsOfType('comment').length;
  return { binding, container, prefix: ownerNames.slice(0, -1) as string[], environment: owner, removal: alone ? owner : binding };
}

export const moveSecretToEnvFile: Fix = {
  id: 'move-secret-to-env-file',
  rules: ['hardcoded-secret'],
  safety: 'unsafe',
  summary: 'Remove the literal from `environment`, load `config.age.secrets."<name>-env".path` through environmentFiles (plus its assertion), and say which key to put in the .age file.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const key = str(data, 'key');
    const container = str(data, 'container');
    if (!key || !container) return [];
    const secret = `${container}-env`;
    const reference = `config.age.secrets.${nixString(secret)}.path`;
    const edits = withFile(ctx, src.file, (text, tree): TextEdit[] | null => {
      const literal = nodeAtRange(tree, src.range);
      const site = literal ? siteOf(literal, key) : null;
      const formals = ensureFormals(tree, ['config']);
      if (!site || !formals) return null;
      const out: TextEdit[] = [...formals];
      const filesPath = [...site.prefix, 'environmentFiles'];
      const existing = membersOf(site.container).find((m) => m.type === 'binding' && bindingNames(m).join('.') === filesPath.join('.'));
      const mentions = new RegExp(`age\\.secrets\\.(?:"${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"|${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\.path`);
      if (existing) {
        const list = unwrapParens(existing.childForFieldName('expression'));
        if (list?.type !== 'list_expression') return null;
        if (!mentions.test(list.text)) out.push(appendToList(text, list, () => ({ block: reference, inline: reference })));
        out.push(removeNode(text, site.removal));
        return out;
      }
      if (pathTaken(site.container, filesPath)) return null;
      const binding = `${filesPath.map(attrSource).join('.')} = [ ${reference} ];`;
      if (same(site.environment, site.removal)) {
        // The anchor itself goes (`environment.KEY = "…";`, or an environment left empty): the new binding takes its place.
        out.push({ start: site.removal.startIndex, end: site.removal.endIndex, newText: binding });
      } else {
        out.push(removeNode(text, site.removal), insertIntoAttrset(text, site.container, () => ({ block: binding, inline: binding }), site.environment, 'follow'));
      }
      return out;
    });
    if (!edits) return [];
    const folder = ctx.index.get(src.file)?.moduleFolder ?? null;
    const asserted = folder ? (ctx.index.modules().get(folder)?.files ?? []).some((f) => f.assertionSecrets.includes(secret)) : true;
    let all: FileEdits = new Map([[src.file, edits]]);
    if (!asserted && folder) {
      const assertion = secretAssertionEdits(ctx, src, folder, secret);
      if (assertion) all = combine(all, assertion);
    }
    const declared = [...ctx.index.files()].some((f) => f.secretsDeclared.some((d) => d.name === secret));
    const ageFile = `${ctx.config.secretsFolder.replace(/\/+$/, '')}/${secret}.age`;
    const note =
      `Put ${key}=<value> into ${ageFile} (decrypt it, add the line, encrypt it again): the value was removed from the config and written nowhere else.` +
      (declared ? '' : ` Also declare age.secrets.${nixString(secret)}.file in ${ctx.config.secretsIndex}.`);
    return [{ fix: this.id, title: `Move ${key} to the secret env file ${secret}`, safety: 'unsafe', autoApply: false, preferred: true, edits: all, note }];
  },
};
