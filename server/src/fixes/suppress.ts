// Every rule → "Disable <id> for this line" / "… for this file": inserts the spec's
// comment (`# hwc-lint: disable-next-line <id> -- <reason>`) above the diagnostic's line,
// indented like that line, or at the top of the file; an existing comment of the same kind
// for that line (or file) gets the id added instead. Findings about a whole module (on
// the file's first line) get `disable-line` at the end of that line. Never in fix-all.
import type { Src } from '../model/source';
import { withTree } from '../parse/parser';
import { eol, lineEndOf, lineStartOf, offsetAt } from './text';
import type { Fix, FixAction, TextEdit } from './types';

/** Findings a suppression comment cannot silence (the engine reports them regardless), or that are not in Nix files. */
const UNSUPPRESSIBLE = new Set(['syntax-error', 'file-not-analysed', 'config-invalid', 'suppression-unknown-rule', 'suppression-unused']);
export const REASON_PLACEHOLDER = '<reason>';

/** Adds `id` to the id list of the suppression comment at `src`; null when the text there is not one. */
function extendComment(text: string, src: Src, id: string): TextEdit | null {
  const start = offsetAt(text, src.range.start);
  const end = offsetAt(text, src.range.end);
  const comment = text.slice(start, end);
  const m = /^#\s*hwc-lint:\s*disable-(?:next-line|line|file)\b/.exec(comment);
  if (!m) return null;
  const reason = /\s--(?:\s|$)/.exec(comment.slice(m[0].length));
  const idsEnd = reason ? m[0].length + reason.index : comment.trimEnd().length;
  const ids = comment.slice(m[0].length, idsEnd).split(/[\s,]+/).filter(Boolean);
  if (ids.includes(id)) return null;
  const at = start + m[0].length + comment.slice(m[0].length, idsEnd).trimEnd().length;
  return { start: at, end: at, newText: ids.length ? `, ${id}` : ` ${id}` };
}

/** Is the start of `line` inside a string or comment that began on an earlier line (a comment inserted there would change it)? */
function insideMultiLineToken(text: string, line: number): boolean {
  return withTree(text, (tree) => {
    for (let node = tree.rootNode.descendantForPosition({ row: line, column: 0 }); node; node = node.parent) {
      if (['string_expression', 'indented_string_expression', 'comment'].includes(node.type) && node.startPosition.row < line) return true;
    }
    return false;
  });
}

/** Does the first line end in a comment (another `#` comment cannot follow it there)? */
function endsInComment(text: string, end: number): boolean {
  return withTree(text, (tree) => tree.rootNode.descendantsOfType('comment').some((c) => !!c && c.startPosition.row === 0 && c.endIndex >= end));
}

export const suppress: Fix = {
  id: 'suppress',
  rules: '*',
  safety: 'safe',
  summary: 'Insert `# hwc-lint: disable-next-line <id> -- <reason>` above the line (or `disable-file` at the top).',
  actions(ctx) {
    const { rule, src } = ctx.diagnostic;
    if (UNSUPPRESSIBLE.has(rule) || !src.file.endsWith('.nix')) return [];
    const text = ctx.text(src.file);
    if (text === undefined) return [];
    const nl = eol(text);
    const suppressions = ctx.index.get(src.file)?.suppressions ?? [];
    const line = src.range.start.line;
    const actions: FixAction[] = [];
    const existingLine = suppressions.find((s) => s.kind === 'disable-next-line' && s.line === line);
    let lineEdit: TextEdit | null = existingLine ? extendComment(text, existingLine.src, rule) : null;
    if (src.range.start.line === 0 && src.range.start.character === 0) {
      // A finding about the whole module sits on the file's first line, wherever that is: a
      // comment inserted above would become the first line, so the comment goes at its end.
      const existing = suppressions.find((s) => s.kind === 'disable-line' && s.line === 0);
      const end = lineEndOf(text, 0) - (text[lineEndOf(text, 0) - 1] === '\r' ? 1 : 0);
      lineEdit = existing
        ? extendComment(text, existing.src, rule)
        : insideMultiLineToken(text, 1) || endsInComment(text, end)
          ? null // only "for this file" then
          : { start: end, end, newText: `${text.slice(0, end).trim() ? ' ' : ''}# hwc-lint: disable-line ${rule} -- ${REASON_PLACEHOLDER}` };
    } else if (!existingLine && !insideMultiLineToken(text, line)) {
      const at = lineStartOf(text, offsetAt(text, { line, character: 0 }));
      const indent = /^[ \t]*/.exec(text.slice(at))![0];
      lineEdit = { start: at, end: at, newText: `${indent}# hwc-lint: disable-next-line ${rule} -- ${REASON_PLACEHOLDER}${nl}` };
    }
    if (lineEdit) actions.push({ fix: this.id, title: `Disable ${rule} for this line`, safety: 'safe', autoApply: false, edits: new Map([[src.file, [lineEdit]]]) });
    const existingFile = suppressions.find((s) => s.kind === 'disable-file');
    const fileEdit: TextEdit | null = existingFile
      ? extendComment(text, existingFile.src, rule)
      : { start: 0, end: 0, newText: `# hwc-lint: disable-file ${rule} -- ${REASON_PLACEHOLDER}${nl}` };
    if (fileEdit) actions.push({ fix: this.id, title: `Disable ${rule} for this file`, safety: 'safe', autoApply: false, edits: new Map([[src.file, [fileEdit]]]) });
    return actions;
  },
};

export const removeUnusedSuppression: Fix = {
  id: 'remove-unused-suppression',
  rules: ['suppression-unused'],
  safety: 'safe',
  summary: 'Delete a suppression comment that suppresses nothing (its whole line when it stands alone).',
  actions(ctx) {
    const { src } = ctx.diagnostic;
    const text = ctx.text(src.file);
    if (text === undefined) return [];
    const start = offsetAt(text, src.range.start);
    const end = offsetAt(text, src.range.end);
    if (!/^#\s*hwc-lint:/.test(text.slice(start, end))) return [];
    const lineStart = lineStartOf(text, start);
    const nlAt = text.indexOf('\n', end);
    const lineEnd = nlAt < 0 ? text.length : nlAt;
    const alone = text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '';
    let edit: TextEdit;
    if (alone) edit = { start: lineStart, end: nlAt < 0 ? text.length : nlAt + 1, newText: '' };
    else {
      let from = start;
      while (from > lineStart && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
      edit = { start: from, end, newText: '' };
    }
    // Not in fix-all: a suppression written ahead of the code it is meant for would vanish
    // on save (editor.codeActionsOnSave); removing one is the user's call.
    return [{ fix: this.id, title: 'Remove the unused suppression', safety: 'safe', autoApply: false, preferred: true, edits: new Map([[src.file, [edit]]]) }];
  },
};
