// Typing in a large file changes a few nodes of its tree, but flattenTree copies all of them
// out of WebAssembly again (five calls per node, the largest cost of an edit in a 2,000-line
// module). Here the previous FlatTree is kept and only the smallest named node holding the
// edit and every range tree-sitter reports as changed is copied again; the nodes before and
// after it are moved in JavaScript (offsets after the edit shift by its length).
//
// Why that is exact: tree-sitter's changed ranges are the ranges where the ancestors of a
// character differ between the two trees; every character outside them has the same
// ancestors in both. The node chosen starts and ends outside them, so it and all its
// ancestors are the same nodes in the new tree, and everything outside it is unchanged but
// for the shift. The new tree's node is still checked (kind, extent, depth) before use.
import { FlatTree, Node, Tree, flatTreeOver, flattenFrom, grammarNames, sourceText } from './parser';

/** One replacement in the text: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * The FlatTree of `tree`, made from `old`, the FlatTree of the text before `change`;
 * `oldTree` is the tree `old` was copied from, already edited with `change` (as for an
 * incremental parse). Undefined when only the root holds the change (copy the whole tree).
 */
export function spliceFlatTree(old: FlatTree, oldTree: Tree, tree: Tree, change: TextChange): FlatTree | undefined {
  const delta = change.newEnd - change.oldEnd;
  // What changed, in the new text's offsets (the edited old tree has them too).
  let from = change.start;
  let to = change.newEnd;
  for (const range of oldTree.getChangedRanges(tree)) {
    if (range.startIndex < from) from = range.startIndex;
    if (range.endIndex > to) to = range.endIndex;
  }
  // The same range in the old text's offsets (`to` is at or after the inserted text).
  const toOld = to - delta;
  const named = grammarNames().named;
  const holds = (n: number) => named[old.symbol[n]] !== 0 && old.start[n] < from && old.end[n] > toOld;
  if (old.count === 0 || !holds(0)) return undefined;
  // The deepest named node strictly holding the range, and its ancestors' next siblings.
  let node = 0;
  const ancestorsNext: number[] = [];
  for (;;) {
    let inner = -1;
    for (let c = old.firstChild[node]; c >= 0 && old.start[c] < toOld; c = old.nextSibling[c]) {
      if (holds(c)) {
        inner = c;
        break;
      }
    }
    if (inner < 0) break;
    ancestorsNext.push(old.nextSibling[node]);
    node = inner;
  }
  if (node === 0) return undefined;
  const replacement = counterpart(tree, old.symbol[node], old.start[node], old.end[node] + delta, ancestorsNext.length);
  if (!replacement) return undefined;
  const text = sourceText(tree.rootNode);
  const sub = flattenFrom(replacement, text);
  let oldEnd = old.nextSibling[node];
  for (let k = ancestorsNext.length - 1; oldEnd < 0 && k >= 0; k--) oldEnd = ancestorsNext[k];
  if (oldEnd < 0) oldEnd = old.count;
  return splice(old, node, oldEnd, sub, delta, text);
}

/** The node of `tree` with this symbol and extent at this depth (named ancestors), or undefined. */
function counterpart(tree: Tree, symbol: number, start: number, end: number, depth: number): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForIndex(start, end);
  // The smallest node spanning the extent may lie inside the one wanted (an identifier in a variable).
  while (node && node.startIndex === start && node.endIndex === end && node.typeId !== symbol) node = node.parent;
  if (!node || node.startIndex !== start || node.endIndex !== end || node.typeId !== symbol) return undefined;
  let ancestors = 0;
  for (let up = node.parent; up; up = up.parent) ancestors++;
  return ancestors === depth ? node : undefined;
}

/** `old` with its nodes [node, oldEnd) replaced by `sub` (whose node 0 takes node's place). */
function splice(old: FlatTree, node: number, oldEnd: number, sub: FlatTree, delta: number, text: string): FlatTree {
  const shift = sub.count - (oldEnd - node);
  const count = old.count + shift;
  const flat = flatTreeOver(new ArrayBuffer(19 * count), count, count, text);
  const link = (v: number) => (v > node ? v + shift : v);
  // Before the node: its ancestors (which end at or after it, so their ends move) and whole earlier subtrees.
  const nodeEnd = old.end[node];
  for (let i = 0; i < node; i++) {
    flat.symbol[i] = old.symbol[i];
    flat.field[i] = old.field[i];
    flat.start[i] = old.start[i];
    flat.end[i] = old.end[i] >= nodeEnd ? old.end[i] + delta : old.end[i];
    flat.firstChild[i] = link(old.firstChild[i]);
    flat.nextSibling[i] = link(old.nextSibling[i]);
  }
  flat.symbol.set(sub.symbol.subarray(0, sub.count), node);
  flat.field.set(sub.field.subarray(0, sub.count), node);
  flat.start.set(sub.start.subarray(0, sub.count), node);
  flat.end.set(sub.end.subarray(0, sub.count), node);
  for (let i = 0; i < sub.count; i++) {
    const child = sub.firstChild[i];
    const next = sub.nextSibling[i];
    flat.firstChild[node + i] = child < 0 ? -1 : child + node;
    flat.nextSibling[node + i] = next < 0 ? -1 : next + node;
  }
  // The copied root has no parent in `sub`: its field and next sibling come from the old tree.
  flat.field[node] = old.field[node];
  flat.nextSibling[node] = link(old.nextSibling[node]);
  for (let i = oldEnd; i < old.count; i++) {
    const j = i + shift;
    flat.symbol[j] = old.symbol[i];
    flat.field[j] = old.field[i];
    flat.start[j] = old.start[i] + delta;
    flat.end[j] = old.end[i] + delta;
    flat.firstChild[j] = link(old.firstChild[i]);
    flat.nextSibling[j] = link(old.nextSibling[i]);
  }
  return flat;
}
