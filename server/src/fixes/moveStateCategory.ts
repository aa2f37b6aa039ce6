// state-path-category → "Move state to /opt/<category>/…", one action per configured
// category. Rewrites the category segment in the volume literal (or in the `let` string it
// interpolates), in the container's other volumes below the same directory and in every
// tmpfiles entry that creates it (in any file), so state and its directory stay together. Unsafe and never in fix-all: the
// category is the user's choice, and the data on the host has to be moved by hand.
import type { Src } from '../model/source';
import { parseVolume } from '../rules/docker';
import { containerOfLiteral, literalAt, memo, srcKey, str, withFile } from './common';
import { closestNames } from './didYouMean';
import { letBindingInScope, stringLiteral, unwrapParens, type StringLiteral } from './syntax';
import { combine, editsIn } from './text';
import type { FileEdits, Fix, FixContext } from './types';

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
  const created = memo(ctx.index, 'tmpfiles', () =>
    [...ctx.index.files()].flatMap((file) =>
      resolver.strings(file.tmpfiles).flatMap((value) => {
        const m = value.text !== null ? CREATES.exec(value.text) : null;
        return m ? [{ path: m[1], src: value.src }] : [];
      }),
    ),
  );
  for (const entry of created) if (under(entry.path, dir)) found.push(entry.src);
  const seen = new Set<string>();
  return found.filter((s) => !seen.has(srcKey(s)) && !!seen.add(srcKey(s)));
}

/** Source offset of the category in `prefix` (`<root>/<from>/<owner>`) within a literal's own text. */
function offsetIn(lit: StringLiteral, prefix: string, root: string): number | null {
  for (const seg of lit.segments) {
    if (!seg.verbatim || seg.decoded === null) continue;
    for (let i = seg.decoded.indexOf(prefix); i >= 0; i = seg.decoded.indexOf(prefix, i + 1)) {
      const next = seg.decoded[i + prefix.length];
      if (next === undefined || '/: '.includes(next)) return seg.start + i + root.length + 1;
    }
  }
  return null;
}

/**
 * Where the category segment of `prefix` sits for the literal at `src`: in its own text, or
 * in the `let` string it interpolates (`"${stateDir}:/config"` with `stateDir = "/opt/apps/x"`).
 */
function categoryOffset(ctx: FixContext, src: Src, prefix: string, root: string): number | null {
  return (
    withFile(ctx, src.file, (_text, tree) => {
      const lit = literalAt(tree, src);
      if (!lit || lit.indented) return null;
      const own = offsetIn(lit, prefix, root);
      if (own !== null) return own;
      for (const seg of lit.segments) {
        if (seg.decoded !== null) continue;
        const interpolation = tree.rootNode.descendantForIndex(seg.start, seg.end);
        const variable = unwrapParens(interpolation?.childForFieldName('expression') ?? null);
        if (variable?.type !== 'variable_expression') continue;
        const binding = letBindingInScope(variable, variable.text);
        const bound = stringLiteral(unwrapParens(binding?.childForFieldName('expression') ?? null));
        const found = bound && !bound.indented ? offsetIn(bound, prefix, root) : null;
        if (found !== null) return found;
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
    const first = categoryOffset(ctx, src, dir, root);
    if (first === null) return [];
    const targets = literalsOf(ctx, src, dir)
      .map((t) => ({ file: t.file, at: categoryOffset(ctx, t, dir, root) }))
      .filter((t): t is { file: string; at: number } => t.at !== null);
    const actions: ReturnType<Fix['actions']> = [];
    // A near miss (`/opt/database/…`) is most likely a typo of that category.
    const likely = new Set(closestNames(category, ctx.config.categories));
    for (const to of ctx.config.categories) {
      if (to === category) continue;
      // `/opt/uptime-kuma` has no category at all: its one segment is the container's own
      // directory, which moves below the category instead of being replaced by it.
      const newText = owner ? to : `${to}/${category}`;
      const edits: FileEdits = combine(...targets.map((t) => editsIn(t.file, { start: t.at, end: t.at + category.length, newText })));
      const moved = `${root}/${to}/${owner ?? category}`;
      actions.push({
        fix: this.id,
        title: `Move state to ${moved}`,
        safety: 'unsafe',
        autoApply: false,
        preferred: likely.has(to) || undefined,
        edits,
        note: `Existing data stays in ${dir} on the host: move it before switching (sudo mv ${dir} ${moved}).`,
      });
    }
    return actions;
  },
};
