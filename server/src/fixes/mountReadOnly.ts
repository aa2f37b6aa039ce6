// media-mount-writable → "Mount read-only": adds `:ro`, appends `,ro` to existing options,
// or turns an explicit `rw` into `ro`. Unsafe and never applied in bulk: it changes what the
// container may do, and many media apps write to the library on purpose (the *arr apps
// import into it, recorders and music managers write there), which only the user knows.
import { parseVolume } from '../rules/docker';
import { literalAt, str, withFile } from './common';
import { replaceInLiteral } from './syntax';
import { editsIn } from './text';
import type { Fix } from './types';

/** The volume spec with `ro` among its options, or null when it is not a valid spec. */
export function readOnlyVolume(volume: string): string | null {
  const parsed = parseVolume(volume);
  if ('error' in parsed || parsed.options.includes('ro')) return null;
  if (parsed.options.length === 0) return `${volume}:ro`;
  const options = parsed.options.includes('rw') ? parsed.options.map((o) => (o === 'rw' ? 'ro' : o)) : [...parsed.options, 'ro'];
  return `${parsed.host}:${parsed.target}:${options.join(',')}`;
}

export const mountReadOnly: Fix = {
  id: 'mount-read-only',
  rules: ['media-mount-writable'],
  safety: 'unsafe',
  summary: 'Mount the media library read-only (`:ro`, `,ro` after other options, or `rw` → `ro`).',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const volume = str(data, 'volume');
    const next = volume ? readOnlyVolume(volume) : null;
    if (!volume || !next) return [];
    const edit = withFile(ctx, src.file, (_text, tree) => {
      const lit = literalAt(tree, src);
      return lit ? replaceInLiteral(lit, volume, next) : null;
    });
    if (!edit) return [];
    return [
      {
        fix: this.id,
        title: 'Mount read-only',
        safety: 'unsafe',
        autoApply: false,
        preferred: true,
        edits: editsIn(src.file, edit),
        note: 'The container can no longer write to the library: check that it only reads there (an *arr app that imports, a recorder or a tagger needs write access).',
      },
    ];
  },
};
