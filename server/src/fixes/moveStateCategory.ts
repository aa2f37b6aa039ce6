// state-path-category → "Move state to /opt/<category>/…", one action per configured
// category. Rewrites the category segment in the volume literal, in the container's other
// volumes below the same directory and in every tmpfiles entry that creates it (in any
// file), so state and its directory stay together. Unsafe and never in fix-all: the
// category is the user's choice, and the data on the host has to be moved by hand.
import type { Src } from '../model/source';
import { parseVolume } from '../rules/docker';
import { containerOfLiteral, literalAt, str, withFile } from './common';
import { combine, editsIn } from './text';
import type { FileEdits, Fix, FixContext, TextEdit } from './types';

const CREATES = /^\s*[dDvqQ]\s+(\S+)/;

function under(path: string, dir: string): boolean {
  const clean = path.replace(/\/+$/, '');
  return clean === dir || clean.startsWith(dir + '/');
}

/** Every literal that spells the state directory `dir`: the volume, its siblings, the tmpfiles entries. */
function literalsOf(ctx: FixContext, src: Src, dir: string): Src[] {
  const resolver = ctx.index.resolver();
  const found: Src[] = [src];
  const container = containerOfLiteral(ctx, 'volumes', src);
  for (const value of container ? resolver.strings(container.fields.volumes) : []) {
    const parsed = value.text !== null ? parseVolume(value.text) : null;
    if (parsed && !('error' in parsed) && under(parsed.host, dir)) found.push(value.src);
  }
  for (const file of ctx.index.files()) {
    for (const value of resolver.strings(file.tmpfiles)) {
      const m = value.text !== null ? CREATES.exec(value.text) : null;
      if (m && under(m[1], dir)) found.push(value.src);
    }
  }
  const seen = new Set<string>();
  return found.filter((s) => {
    const key = `${s.file}:${s.range.start.line}:${s.range.start.character}`;
    return !seen.has(key) && !!seen.add(key);
  });
}

/** The edit turning the category `from` of `prefix` (`<root>/<from>/<owner>`) into `to` inside the literal at `src`. */
function rewriteCategory(ctx: FixContext, src: Src, prefix: string, root: string, from: string, to: string): TextEdit | null {
  return (
    withFile(ctx, src.file, (_text, tree) => {
      const lit = literalAt(tree, src);
      if (!lit || lit.indented) return null;
      for (const seg of lit.segments) {
        if (!seg.verbatim || seg.decoded === null) continue;
        for (let i = seg.decoded.indexOf(prefix); i >= 0; i = seg.decoded.indexOf(prefix, i + 1)) {
          const next = seg.decoded[i + prefix.length];
          if (next !== undefined && !'/: '.includes(next)) continue;
          const start = seg.start + i + root.length + 1;
          return { start, end: start + from.length, newText: to };
        }
      }
      return null;
    }) ?? null
  );
}

export const moveStateCategory: Fix = {
  id: 'move-state-category',
  rules: ['state-path-category'],
  safety: 'unsafe',
  summary: 'Move the state path (and its tmpfiles entry) to a configured category, one action per category.',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const category = str(data, 'category');
    const owner = str(data, 'owner');
    if (!category) return [];
    const root = ctx.config.stateRoot.replace(/\/+$/, '');
    const dir = owner ? `${root}/${category}/${owner}` : `${root}/${category}`;
    const targets = literalsOf(ctx, src, dir);
    const actions: ReturnType<Fix['actions']> = [];
    for (const to of ctx.config.categories) {
      if (to === category) continue;
      const first = rewriteCategory(ctx, src, dir, root, category, to);
      if (!first) continue;
      const edits: FileEdits = combine(...targets.map((t) => editsIn(t.file, rewriteCategory(ctx, t, dir, root, category, to))));
      const moved = owner ? `${root}/${to}/${owner}` : `${root}/${to}`;
      actions.push({
        fix: this.id,
        title: `Move state to ${moved}`,
        safety: 'unsafe',
        autoApply: false,
        edits,
        note: `Existing data stays in ${dir} on the host: move it before switching (sudo mv ${dir} ${moved}).`,
      });
    }
    return actions;
  },
};
