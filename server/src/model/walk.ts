// The one way to walk a Value. Several values stand for others: a guard (`lib.mkIf`) for
// its body, a merge (`lib.mkMerge`) for all its items, an alternative (`if`, a conditional
// default) for each of its options. Every consumer (the summary's collectors, the resolver,
// the rules' shared facts, editor features) needs the concrete values behind them; they
// all go through `eachValue`, so a new structural kind is taught in one place.
import type { Value } from './values';

/** Deeper than any value a module builds; cuts cycles a bad input could make. */
export const MAX_WALK_DEPTH = 64;

export interface Descent<S> {
  /** Also go into list items (a list is then never visited itself). */
  lists?: boolean;
  /** Also go into attrset entry values (a deep walk: attrsets are never visited themselves). */
  attrs?: boolean;
  /** The state below a guard (e.g. "guarded by an enable option"); unchanged when absent. */
  guard?(state: S, guard: Value & { k: 'guard' }): S;
  /** The state below option `index` of an alternative (e.g. which `if` branch); unchanged when absent. */
  option?(state: S, alternative: Value & { k: 'alt' }, index: number): S;
}

/**
 * Calls `visit` with every concrete value `value` may stand for: through guard bodies,
 * merge items, alternative options, and (as `descent` asks) list items and attrset entries.
 * `state` is threaded down and changed only by `descent.guard`/`descent.option`.
 */
/** Shared by the calls that pass no descent (a walk is hot: no object per call). */
const NO_DESCENT: Descent<never> = Object.freeze({});

export function eachValue<S>(value: Value, state: S, visit: (leaf: Value, state: S) => void, descent: Descent<S> = NO_DESCENT, depth = 0): void {
  if (depth > MAX_WALK_DEPTH) return;
  switch (value.k) {
    case 'guard':
      return eachValue(value.body, descent.guard ? descent.guard(state, value) : state, visit, descent, depth + 1);
    case 'merge':
      for (const item of value.items) eachValue(item, state, visit, descent, depth + 1);
      return;
    case 'alt':
      for (let i = 0; i < value.options.length; i++) eachValue(value.options[i], descent.option ? descent.option(state, value, i) : state, visit, descent, depth + 1);
      return;
    case 'list':
      if (!descent.lists) return visit(value, state);
      for (const item of value.items) eachValue(item, state, visit, descent, depth + 1);
      return;
    case 'attrs':
      if (!descent.attrs) return visit(value, state);
      for (const entry of value.entries) eachValue(entry.value, state, visit, descent, depth + 1);
      return;
    default:
      return visit(value, state);
  }
}

/** Every leaf of a value without state: `eachLeaf(v, visit, { lists: true })`. */
export function eachLeaf(value: Value, visit: (leaf: Value) => void, descent: Descent<null> = NO_DESCENT): void {
  // `visit` ignores the (null) state eachValue passes it: no wrapper closure per call.
  eachValue(value, null, visit, descent);
}
