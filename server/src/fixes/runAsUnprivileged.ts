// container-runs-as-root → "Run as PUID/PGID 1000" (removes `user = "root"`, adds or sets
// PUID/PGID in environment — the linuxserver.io convention) or "Run as user 1000:1000"
// (rewrites the `user` value; for other images). A `PUID`/`PGID` of "0" becomes "1000".
// missing-puid-pgid → "Run as PUID/PGID 1000" adds both to environment. Unsafe: files the
// container already wrote as root (or as the image's default user) may become unreadable.
import { isLinuxserverImage } from '../rules/docker';
import { images } from '../rules/facts';
import type { Node } from '../parse/parser';
import { containerOfLiteral, str, withFile } from './common';
import { ATTRSETS, bindingNames, insertIntoAttrset, lines, literalText, membersOf, nodeAtRange, removeNode, replaceInLiteral, same, stringLiteral, unwrapParens } from './syntax';
import { editsIn } from './text';
import type { Fix, FixAction, FixContext, TextEdit } from './types';
import { attrSource } from './moveSecretToEnvFile';

const ID = '1000';

/** `user = "root"` → PUID/PGID in the container's environment attrset. */
function puidPgidEdits(text: string, literal: Node): TextEdit[] | null {
  const binding = literal.parent;
  if (binding?.type !== 'binding' || !same(binding.childForFieldName('expression'), literal)) return null;
  const names = bindingNames(binding);
  if (names[names.length - 1] !== 'user' || names.some((n) => n === null)) return null;
  const prefix = names.slice(0, -1) as string[];
  const container = binding.parent?.parent;
  if (!container || !ATTRSETS.has(container.type)) return null;
  const envPath = [...prefix, 'environment'].join('.');
  const members = membersOf(container);
  const environment = members.find((m) => m.type === 'binding' && bindingNames(m).join('.') === envPath);
  if (!environment) {
    if (members.some((m) => m.type === 'binding' && bindingNames(m).join('.').startsWith(envPath + '.'))) return null;
    const source = [...prefix, 'environment'].map(attrSource).join('.');
    return [{ start: binding.startIndex, end: binding.endIndex, newText: `${source} = { PUID = "${ID}"; PGID = "${ID}"; };` }];
  }
  const set = setPuidPgid(text, environment);
  return set ? [removeNode(text, binding), ...set] : null;
}

/** PUID/PGID set to 1000 in an `environment = { … };` binding (added where missing, "0" replaced). */
function setPuidPgid(text: string, environment: Node): TextEdit[] | null {
  const env = unwrapParens(environment.childForFieldName('expression'));
  if (env?.type !== 'attrset_expression') return null;
  const out: TextEdit[] = [];
  const missing: string[] = [];
  for (const key of ['PUID', 'PGID']) {
    const entry = membersOf(env).find((m) => m.type === 'binding' && bindingNames(m).join('.') === key);
    if (!entry) {
      missing.push(key);
      continue;
    }
    const lit = stringLiteral(unwrapParens(entry.childForFieldName('expression')));
    const current = lit ? literalText(lit) : null;
    if (current === null) return null;
    if (current !== ID) out.push(replaceInLiteral(lit!, current, ID)!);
  }
  if (missing.length) {
    out.push(insertIntoAttrset(text, env, (unit) => ({ block: lines(missing.map((k) => [0, `${k} = "${ID}";`]), unit), inline: missing.map((k) => `${k} = "${ID}";`).join(' ') })));
  }
  return out;
}

/** missing-puid-pgid: the diagnostic sits on the container's `image` value; PUID/PGID go into its environment. */
function addPuidPgid(text: string, image: Node): TextEdit[] | null {
  const binding = image.parent;
  if (binding?.type !== 'binding' || !same(binding.childForFieldName('expression'), image)) return null;
  const names = bindingNames(binding);
  if (names[names.length - 1] !== 'image' || names.some((n) => n === null)) return null;
  const prefix = names.slice(0, -1) as string[];
  const container = binding.parent?.parent;
  if (!container || !ATTRSETS.has(container.type)) return null;
  const envPath = [...prefix, 'environment'].join('.');
  const members = membersOf(container).filter((m) => m.type === 'binding');
  const environment = members.find((m) => bindingNames(m).join('.') === envPath);
  if (environment) return setPuidPgid(text, environment);
  const dotted = members.filter((m) => bindingNames(m).join('.').startsWith(envPath + '.'));
  const source = [...prefix, 'environment'].map(attrSource).join('.');
  if (dotted.length) {
    const keys = dotted.map((m) => bindingNames(m).slice(prefix.length + 1).join('.'));
    const missing = ['PUID', 'PGID'].filter((k) => !keys.includes(k));
    if (missing.length < 2) return null; // one of them set some other way: leave it to the user
    return [insertIntoAttrset(text, container, (unit) => ({ block: lines(missing.map((k) => [0, `${source}.${k} = "${ID}";`]), unit), inline: missing.map((k) => `${source}.${k} = "${ID}";`).join(' ') }), dotted[dotted.length - 1])];
  }
  return [
    insertIntoAttrset(text, container, (unit) => ({
      block: lines([[0, `${source} = {`], [1, `PUID = "${ID}";`], [1, `PGID = "${ID}";`], [0, '};']], unit),
      inline: `${source} = { PUID = "${ID}"; PGID = "${ID}"; };`,
    }), binding),
  ];
}

function linuxserver(ctx: FixContext, container: ReturnType<typeof containerOfLiteral>): boolean {
  return !!container && images(container, ctx.index.resolver()).some((i) => isLinuxserverImage(i.ref));
}

export const runAsUnprivileged: Fix = {
  id: 'run-as-unprivileged',
  rules: ['container-runs-as-root', 'missing-puid-pgid'],
  safety: 'unsafe',
  summary: 'Run the container as 1000:1000: PUID/PGID in environment (linuxserver.io images) or `user = "1000:1000"`.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    if (ctx.diagnostic.rule === 'missing-puid-pgid') {
      const edits = withFile(ctx, src.file, (text, tree) => {
        const image = nodeAtRange(tree, src.range);
        return image ? addPuidPgid(text, image) : null;
      });
      return edits ? [{ fix: this.id, title: `Run as PUID/PGID ${ID}`, safety: 'unsafe', autoApply: true, preferred: true, edits: editsIn(src.file, ...edits) }] : [];
    }
    const kind = str(data, 'kind');
    const result = withFile(ctx, src.file, (text, tree) => {
      const node = nodeAtRange(tree, src.range);
      const lit = stringLiteral(node);
      const current = lit ? literalText(lit) : null;
      if (!node || !lit || current === null) return null;
      if (kind === 'PUID' || kind === 'PGID') return { set: replaceInLiteral(lit, current, ID), puid: null, user: null };
      return { set: null, puid: puidPgidEdits(text, node), user: replaceInLiteral(lit, current, `${ID}:${ID}`) };
    });
    if (!result) return [];
    const actions: FixAction[] = [];
    if (result.set) actions.push({ fix: this.id, title: `Set ${kind} to ${ID}`, safety: 'unsafe', autoApply: true, preferred: true, edits: editsIn(src.file, result.set) });
    const preferPuid = linuxserver(ctx, containerOfLiteral(ctx, 'user', src));
    if (result.puid) {
      actions.push({ fix: this.id, title: `Run as PUID/PGID ${ID} (remove \`user\`)`, safety: 'unsafe', autoApply: preferPuid || !result.user, preferred: preferPuid, edits: editsIn(src.file, ...result.puid) });
    }
    if (result.user) {
      actions.push({ fix: this.id, title: `Run as user ${ID}:${ID}`, safety: 'unsafe', autoApply: !preferPuid || !result.puid, preferred: !preferPuid, edits: editsIn(src.file, result.user) });
    }
    return actions.sort((a, b) => Number(!!b.preferred) - Number(!!a.preferred));
  },
};
