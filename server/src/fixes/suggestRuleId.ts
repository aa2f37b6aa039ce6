// suppression-unknown-rule → "Did you mean `<id>`?": replaces the unknown id in the
// suppression comment with the closest rule id (the one the message suggests). Not in
// fix-all: it is a guess, and a right guess starts hiding findings.
import { str } from './common';
import { offsetAt } from './text';
import type { Fix } from './types';

export const suggestRuleId: Fix = {
  id: 'suggest-rule-id',
  rules: ['suppression-unknown-rule'],
  safety: 'safe',
  summary: 'Replace an unknown rule id in a suppression comment with the closest existing one.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const id = str(data, 'id');
    const suggestion = str(data, 'suggestion');
    const text = ctx.text(src.file);
    if (!id || !suggestion || text === undefined) return [];
    const start = offsetAt(text, src.range.start);
    const comment = text.slice(start, offsetAt(text, src.range.end));
    const head = /^#\s*hwc-lint:\s*disable-(?:next-line|line|file)\b/.exec(comment);
    if (!head) return [];
    const reason = /\s--(?:\s|$)/.exec(comment.slice(head[0].length));
    const ids = comment.slice(head[0].length, reason ? head[0].length + reason.index : comment.length);
    const at = new RegExp(`(^|[\\s,])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s,]|$)`).exec(ids);
    if (!at) return [];
    const offset = start + head[0].length + at.index + at[1].length;
    return [
      {
        fix: this.id,
        title: `Did you mean \`${suggestion}\`?`,
        safety: 'safe',
        autoApply: false,
        preferred: true,
        edits: new Map([[src.file, [{ start: offset, end: offset + id.length, newText: suggestion }]]]),
      },
    ];
  },
};
