// state-dir-missing-tmpfiles → "Create state directory": adds
// `"d /opt/<category>/<name> 0755 1000 1000 -"` (mode and owner like the list's last entry,
// else from the config) to the
// module's `systemd.tmpfiles.rules` — in the container's file, else in another file of its
// module folder — or creates the binding in the config block that defines the container.
// Safe: it creates the empty directory podman needs; nothing else changes.
import type { Node } from '../parse/parser';
import { bindingsAt, configBlock, insertIntoAttrset, lines, literalText, nodeAtRange, pathTaken, stringLiteral, unwrapParens, appendToList } from './syntax';
import { str, withFile } from './common';
import { editsIn, nixString } from './text';
import type { Fix, FixContext, TextEdit } from './types';

const RULES_PATH = ['systemd', 'tmpfiles', 'rules'];

/** The files of the module folder `file` belongs to, `file` first. */
export function moduleFiles(ctx: FixContext, file: string): string[] {
  const folder = ctx.index.get(file)?.moduleFolder;
  const others = folder ? (ctx.index.modules().get(folder)?.files ?? []).map((f) => f.file).filter((f) => f !== file).sort() : [];
  return [file, ...others];
}

export function tmpfilesEntry(ctx: FixContext, dir: string): string {
  const { mode, user, group } = ctx.config.tmpfiles;
  return `d ${dir} ${mode} ${user} ${group} -`;
}

/**
 * The entry for `dir` with the mode and owner of the list's last literal `d` entry (the
 * module's own habit, e.g. `0750 media media`), else those of the config.
 */
function entryLike(ctx: FixContext, list: Node, dir: string): string {
  const texts = list.namedChildren.flatMap((item) => {
    const literal = stringLiteral(item);
    const text = literal ? literalText(literal) : null;
    return text ? [text] : [];
  });
  const model = texts.map((t) => /^d\s+\/\S+\s+([0-7]{3,4})\s+(\S+)\s+(\S+)\s+-$/.exec(t.trim())).filter((m) => m !== null).at(-1);
  return model ? `d ${dir} ${model[1]} ${model[2]} ${model[3]} -` : tmpfilesEntry(ctx, dir);
}

/** Adds a tmpfiles line for `dir` next to the definition of `container` in `file` (see above). */
export function createStateDirEdits(ctx: FixContext, file: string, container: string, dir: string) {
  const literal = nixString(tmpfilesEntry(ctx, dir));
  for (const candidate of moduleFiles(ctx, file)) {
    const edit = withFile(ctx, candidate, (text, tree) => {
      const list = bindingsAt(tree, RULES_PATH)
        .map((b) => unwrapParens(b.childForFieldName('expression')))
        .find((v) => v?.type === 'list_expression');
      if (!list) return null;
      const entry = nixString(entryLike(ctx, list, dir));
      return appendToList(text, list, () => ({ block: entry, inline: entry }));
    });
    if (edit) return editsIn(candidate, edit);
  }
  const model = ctx.index.containersNamed(container).find((c) => c.file === file);
  if (!model) return null;
  const edit = withFile(ctx, file, (text, tree): TextEdit | null => {
    const block = configBlock(tree, nodeAtRange(tree, model.nameSrc.range));
    if (!block || pathTaken(block, RULES_PATH)) return null;
    return insertIntoAttrset(text, block, (unit) => ({
      block: lines([[0, 'systemd.tmpfiles.rules = ['], [1, literal], [0, '];']], unit),
      inline: `systemd.tmpfiles.rules = [ ${literal} ];`,
    }));
  });
  return edit ? editsIn(file, edit) : null;
}

export const createStateDir: Fix = {
  id: 'create-state-dir',
  rules: ['state-dir-missing-tmpfiles'],
  safety: 'safe',
  summary: 'Add `"d /opt/<category>/<name> 0755 1000 1000 -"` to the module\'s systemd.tmpfiles.rules (creating the binding if absent).',
  actions(ctx) {
    const { data } = ctx.diagnostic;
    const dir = str(data, 'dir');
    const container = str(data, 'container');
    const file = str(data, 'file');
    if (!dir || !container || !file) return [];
    const edits = createStateDirEdits(ctx, file, container, dir);
    if (!edits) return [];
    return [{ fix: this.id, title: `Create state directory ${dir} (systemd.tmpfiles.rules)`, safety: 'safe', autoApply: true, preferred: true, edits }];
  },
};
