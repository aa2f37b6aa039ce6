// Suppression comments: `# hwc-lint: disable-next-line <ids> -- reason` and friends.
import type { Src } from './source';
import type { Suppression } from './summary';

const SUPPRESSION = /^#\s*hwc-lint:\s*(disable-next-line|disable-line|disable-file)\b([^]*)$/;

export function parseSuppression(text: string, comment: Src): Suppression | null {
  const match = SUPPRESSION.exec(text.trim());
  if (!match) return null;
  const [idsText, ...reasonParts] = match[2].split(/\s--(?:\s|$)/);
  const ids = idsText.split(/[\s,]+/).filter(Boolean);
  const reason = reasonParts.length ? reasonParts.join(' -- ').trim() || null : null;
  const kind = match[1] as Suppression['kind'];
  const line = kind === 'disable-file' ? -1 : kind === 'disable-line' ? comment.range.start.line : comment.range.end.line + 1;
  return { kind, ids, reason, line, src: comment };
}
