// Typing in a large module re-summarises the whole file, but usually changes one
// container. Handing the index the previous ContainerModel objects for containers that
// came out identical lets everything keyed by container identity (resolved values, the
// lint state's per-container findings and facts) survive the edit.
import type { ContainerModel, FileSummary } from '../model/summary';

/** Structural equality of summary data: plain objects, arrays, primitives and Src objects. */
export function sameData(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 64) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  // for…in instead of Object.keys: no array per compared object (this runs on every keystroke).
  let count = 0;
  for (const key in a) {
    if (!(key in b) || !sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

/**
 * Replaces, in `next` (a summary not yet in the index), each container equal to the one
 * at the same place in `old` by that old object. Returns how many were kept.
 */
export function keepUnchangedContainers(old: FileSummary | undefined, next: FileSummary): number {
  if (!old || old.containers.length === 0) return 0;
  let kept = 0;
  const byName = new Map<string, ContainerModel[]>();
  for (const c of old.containers) {
    const list = byName.get(c.name);
    if (list) list.push(c);
    else byName.set(c.name, [c]);
  }
  next.containers.forEach((container, i) => {
    const candidate = old.containers[i]?.name === container.name ? old.containers[i] : byName.get(container.name)?.[0];
    if (candidate && sameData(candidate, container)) {
      next.containers[i] = candidate;
      kept++;
    }
  });
  return kept;
}
