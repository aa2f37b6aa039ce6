// image-latest-tag → "Pin image tag…": the client asks for the tag (pre-filled with the
// tag other containers of the workspace use for the same image) and the server replaces
// only the tag (or adds one); a digest (`sha256:…`) is accepted too. Where the image comes
// from an option default, the diagnostic (and so the edit) sits on the default; where the
// registry is unknown (`"${cfg.mirror}/app"`), the literal's last path segment is edited. Unsafe:
// the tag decides what runs; fix-all pins only to a tag the workspace already uses.
import type { Src } from '../model/source';
import { parseImage, type ImageRef } from '../rules/docker';
import { images } from '../rules/facts';
import { literalAt, memo, str, withFile } from './common';
import { literalEnds, replaceInLiteral } from './syntax';
import { editsIn } from './text';
import type { FileEdits, Fix, FixContext } from './types';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** `4.0.14`, `sha256:…`, `@sha256:…` or `4.0.14@sha256:…` → its parts; an error for anything else. */
export function parsePin(input: string): { tag: string | null; digest: string | null } | { error: string } {
  const text = input.trim();
  const at = text.indexOf('@');
  const tagPart = at >= 0 ? text.slice(0, at) : DIGEST.test(text) ? '' : text;
  const digestPart = at >= 0 ? text.slice(at + 1) : DIGEST.test(text) ? text : '';
  if (tagPart === '' && digestPart === '') return { error: 'enter a tag (e.g. 1.2.3) or a digest (sha256:…)' };
  if (tagPart !== '' && !TAG.test(tagPart)) return { error: `\`${tagPart}\` is not a valid tag (letters, digits, _ . -; at most 128)` };
  if (tagPart === 'latest') return { error: '`latest` is what the rule asks to replace; enter a version' };
  if (digestPart !== '' && !DIGEST.test(digestPart)) return { error: `\`${digestPart}\` is not a valid digest (algorithm:hex, e.g. sha256:…)` };
  return { tag: tagPart || null, digest: digestPart || null };
}

/** The image reference with its tag replaced: `louislam/uptime-kuma:latest` + `1.23.16` → `louislam/uptime-kuma:1.23.16`. */
export function pinnedImage(image: string, pin: { tag: string | null; digest: string | null }): string {
  const ref = parseImage(image);
  const base = ref.tagStart >= 0 ? image.slice(0, ref.tagStart - 1) : ref.digest !== null ? image.slice(0, image.indexOf('@')) : image;
  return base + (pin.tag ? `:${pin.tag}` : '') + (pin.digest ? `@${pin.digest}` : '');
}

function sameImage(a: ImageRef, b: ImageRef): boolean {
  const registry = (r: ImageRef) => (r.registry === null || r.registry === 'docker.io' || r.registry === 'index.docker.io' ? 'docker.io' : r.registry);
  const repository = (r: ImageRef) => r.repository.replace(/^library\//, '');
  return registry(a) === registry(b) && repository(a) === repository(b);
}

/** The tag (or digest) other containers of the workspace pin the same image to, the most used one first. */
export function suggestPin(ctx: FixContext, image: string): { pin: string; container: string } | null {
  const wanted = parseImage(image);
  const counts = new Map<string, { count: number; container: string }>();
  const all = memo(ctx.index, 'images', () => {
    const resolver = ctx.index.resolver();
    return ctx.index.containers().flatMap((container) => images(container, resolver).map(({ ref }) => ({ container, ref })));
  });
  for (const { container, ref } of all) {
    if (!sameImage(ref, wanted)) continue;
    const tag = ref.tag && ref.tag !== 'latest' ? ref.tag : null;
    const pin = ref.digest ? (tag ? `${tag}@${ref.digest}` : ref.digest) : tag;
    if (!pin) continue;
    const entry = counts.get(pin) ?? { count: 0, container: container.name };
    entry.count++;
    counts.set(pin, entry);
  }
  let best: { pin: string; container: string } | null = null;
  let bestCount = 0;
  for (const [pin, { count, container }] of counts) {
    if (count > bestCount) [best, bestCount] = [{ pin, container }, count];
  }
  return best;
}

/** `…/app:latest` + pin → `…/app:1.2.3`: the last path segment of an image whose registry part is unknown. */
function pinnedTail(tail: string, pin: { tag: string | null; digest: string | null }): string | null {
  const slash = tail.lastIndexOf('/');
  if (slash < 0 || slash === tail.length - 1) return null;
  return tail.slice(0, slash + 1) + pinnedImage(tail.slice(slash + 1), pin);
}

/**
 * The edit that pins the image literal at `src` (the diagnostic's) to `input`, or an error
 * to show. `image` is the resolved image; null when only the literal's tail is known
 * (`"${cfg.mirror}/app:latest"`), whose last path segment is then edited.
 */
export function pinImageTagEdits(ctx: FixContext, src: Src, image: string | null, input: string): FileEdits | { error: string } {
  const pin = parsePin(input);
  if ('error' in pin) return pin;
  const edit = withFile(ctx, src.file, (_text, tree) => {
    const lit = literalAt(tree, src);
    if (!lit) return null;
    if (image !== null) return replaceInLiteral(lit, image, pinnedImage(image, pin));
    const { head, tail, interpolated } = literalEnds(lit);
    const next = interpolated ? pinnedTail(tail, pin) : null;
    // A stand-in for the unknown middle keeps the change inside the literal tail.
    return next === null ? null : replaceInLiteral(lit, `${head}\u0000${tail}`, `${head}\u0000${next}`);
  });
  if (!edit) return { error: `cannot edit the image string at ${src.file}:${src.range.start.line + 1} (it changed, or the tag is not written there)` };
  return editsIn(src.file, edit);
}

/** How the image reads in the prompt: the resolved text, or the literal with `…` for what is unknown. */
function imageShown(ctx: FixContext, src: Src): string | null {
  return withFile(ctx, src.file, (_text, tree) => {
    const lit = literalAt(tree, src);
    return lit ? lit.segments.map((seg) => seg.decoded ?? '…').join('') : null;
  }) ?? null;
}

export const pinImageTag: Fix = {
  id: 'pin-image-tag',
  rules: ['image-latest-tag'],
  safety: 'unsafe',
  summary: 'Pin the image to a tag or digest the user enters (pre-filled with the one other containers use).',
  actions(ctx) {
    const { src, data } = ctx.diagnostic;
    const image = str(data, 'image');
    // Offer the prompt only where a tag can be written (not when the tag itself is an interpolation).
    if ('error' in pinImageTagEdits(ctx, src, image, '0.0.0')) return [];
    const shown = image ?? imageShown(ctx, src);
    if (shown === null) return [];
    const suggestion = image ? suggestPin(ctx, image) : null;
    const actions: ReturnType<Fix['actions']> = [
      { fix: this.id, title: 'Pin image tag…', safety: 'unsafe', autoApply: false, preferred: !suggestion, edits: new Map(), prompt: { kind: 'imageTag', image: shown, suggestion: suggestion?.pin ?? null } },
    ];
    if (suggestion) {
      const edits = pinImageTagEdits(ctx, src, image, suggestion.pin);
      if (!('error' in edits)) {
        actions.unshift({ fix: this.id, title: `Pin image to \`${suggestion.pin}\` (as ${suggestion.container} does)`, safety: 'unsafe', autoApply: true, preferred: true, edits });
      }
    }
    return actions;
  },
};
