// Error recovery for analysis. tree-sitter's own recovery sometimes turns a whole module
// into one ERROR node (a missing `;` before `in`), which would hide every later finding.
// Here the text is repaired the way the syntax error message suggests (insert the `;`,
// close the string, blank a stray `}`) and parsed again; the repaired tree is used for
// analysis only. Repairs never move text onto other lines, so positions after the repair
// point stay valid on every other line.
import type { Node, Tree } from './parser';
import { parseNix } from './parser';
import { FileLimitError } from './limits';

const MAX_ROUNDS = 8;

interface Repair {
  offset: number;
  deleteLength: number;
  insert: string;
}

function firstError(tree: Tree): Node | null {
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) {
        // Prefer the innermost error: it is where the parser actually got stuck.
        if (node.isError && node.hasError && cursor.gotoFirstChild()) {
          let found: Node | null = null;
          do {
            if (cursor.currentNode.isError || cursor.currentNode.hasError) {
              found = cursor.currentNode;
              break;
            }
          } while (cursor.gotoNextSibling());
          if (found && found.isError) return found;
          if (found) continue;
          return node;
        }
        return node;
      }
      if (node.hasError && cursor.gotoFirstChild()) continue;
      let moved = cursor.gotoNextSibling();
      while (!moved && cursor.gotoParent()) moved = cursor.gotoNextSibling();
      if (!moved) return null;
    }
  } finally {
    cursor.delete();
  }
}

function endOfPreviousToken(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  return i;
}

/** A repair for the error, or null when none is known. */
function repairFor(text: string, error: Node): Repair | null {
  if (error.isMissing) return null; // tree-sitter already recovered around it
  const errorText = text.slice(error.startIndex, error.endIndex);
  // `a = 1 <newline> b = 2;` and `x = 1 <newline> in`: a `;` is missing.
  if (errorText.startsWith('=') || errorText === 'in' || errorText.startsWith('in ') || errorText.startsWith('in\n')) {
    let before = error.startIndex;
    if (errorText.startsWith('=')) {
      // Back over the swallowed attribute name.
      before = endOfPreviousToken(text, before);
      while (before > 0 && /[\w.'"-]/.test(text[before - 1])) before--;
    }
    const at = endOfPreviousToken(text, before);
    if (at > 0 && text[at - 1] !== ';') return { offset: at, deleteLength: 0, insert: ';' };
  }
  // A stray closer: blank it out.
  if (errorText === '}' || errorText === ']' || errorText === ')') return { offset: error.startIndex, deleteLength: 1, insert: ' ' };
  // An unterminated string: close it at the end of the line it starts on.
  const lineStart = text.lastIndexOf('\n', error.startIndex - 1) + 1;
  const quoteLine = findUnterminatedStringLine(text, lineStart);
  if (quoteLine !== null) return quoteLine;
  // The string ran on to a later line's quote (`"/opt/` typed at the end of a line): close it there.
  const runaway = firstMultiLineString(text);
  return runaway === null ? null : { offset: runaway.firstLineEnd, deleteLength: 0, insert: '"' };
}

export interface MultiLineString {
  /** Offset of the opening `"`. */
  start: number;
  /** Where to close it: the end of the line it opens on, before trailing spaces and a final `;`. */
  firstLineEnd: number;
}

/**
 * The first `"…"` string that runs over a line break, found by a lexical scan (comments,
 * `''…''` strings and `${…}` nesting understood). Such strings are legal Nix but rare in
 * configurations (`''` is used for multi-line text); in a file that does not parse, it is
 * the usual sign of a string left open while typing, which swallowed code up to the next
 * line's opening quote.
 */
export function firstMultiLineString(text: string): MultiLineString | null {
  // Stack of contexts: 'code' frames count braces so `}` can end an interpolation.
  const stack: Array<{ kind: 'code'; depth: number } | { kind: 'dq'; start: number } | { kind: 'ind' }> = [{ kind: 'code', depth: 0 }];
  for (let i = 0; i < text.length; i++) {
    const top = stack[stack.length - 1];
    const c = text[i];
    if (top.kind === 'code') {
      if (c === '#') {
        const end = text.indexOf('\n', i);
        if (end < 0) return null;
        i = end;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) return null;
        i = end + 1;
      } else if (c === '"') stack.push({ kind: 'dq', start: i });
      else if (c === "'" && text[i + 1] === "'") {
        stack.push({ kind: 'ind' });
        i++;
      } else if (c === '{') top.depth++;
      else if (c === '}') {
        if (top.depth > 0) top.depth--;
        else if (stack.length > 1) stack.pop();
      }
    } else if (top.kind === 'dq') {
      if (c === '\\') i++;
      else if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '{') {
        stack.push({ kind: 'code', depth: 0 });
        i++;
      } else if (c === '\n') {
        let end = i;
        while (end > top.start + 1 && /[ \t\r]/.test(text[end - 1])) end--;
        // `image = "x:1.0;`: the `;` ends the binding, it is not part of the string.
        if (text[end - 1] === ';' && end - 1 > top.start) end--;
        return { start: top.start, firstLineEnd: end };
      }
    } else {
      if (c === "'" && text[i + 1] === "'") {
        const next = text[i + 2];
        if (next === '$' || next === "'" || next === '\\') i += 2;
        else {
          stack.pop();
          i++;
        }
      } else if (c === '$' && text[i + 1] === '{') {
        stack.push({ kind: 'code', depth: 0 });
        i++;
      }
    }
  }
  return null;
}

/** Looks backwards from the error's line for a line whose double quotes do not balance. */
export function findUnterminatedStringLine(text: string, fromLineStart: number): Repair | null {
  let lineStart = fromLineStart;
  for (let back = 0; back < 3 && lineStart >= 0; back++) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const quotes = (line.replace(/\\./g, '').match(/"/g) ?? []).length;
    if (quotes % 2 === 1) {
      const trimmed = line.replace(/\s+$/, '');
      const semicolon = trimmed.endsWith(';') ? 1 : 0;
      return { offset: lineStart + trimmed.length - semicolon, deleteLength: 0, insert: '"' };
    }
    if (lineStart === 0) break;
    lineStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  }
  return null;
}

/** ERROR and MISSING nodes of a tree (an ERROR region counts once, not its inner errors). */
export function countErrors(tree: Tree): number {
  let count = 0;
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      if (node.hasError && !node.isError && cursor.gotoFirstChild()) continue;
      let moved = cursor.gotoNextSibling();
      while (!moved && cursor.gotoParent()) moved = cursor.gotoNextSibling();
      if (!moved) return count;
    }
  } finally {
    cursor.delete();
  }
}

/**
 * A tree for analysis: the given tree when it is clean enough, else a tree of repaired
 * text. The caller must delete the returned tree when `owned` is true.
 */
export function analysisTree(tree: Tree): { tree: Tree; owned: boolean } {
  if (!tree.rootNode.hasError) return { tree, owned: false };
  let text = tree.rootNode.text;
  let current: Tree = tree;
  let owned = false;
  let errors = countErrors(tree);
  for (let round = 0; round < MAX_ROUNDS && errors > 0; round++) {
    const error = firstError(current);
    const repair = error && repairFor(text, error);
    if (!repair) break;
    const repaired = text.slice(0, repair.offset) + repair.insert + text.slice(repair.offset + repair.deleteLength);
    let next: Tree;
    try {
      next = parseNix(repaired);
    } catch (error) {
      // The repaired text is over a limit: analyse what we have.
      if (error instanceof FileLimitError) break;
      throw error;
    }
    const nextErrors = countErrors(next);
    if (nextErrors >= errors && !(nextErrors === errors && next.rootNode.namedChild(0)?.type !== 'ERROR' && current.rootNode.namedChild(0)?.type === 'ERROR')) {
      next.delete();
      break;
    }
    if (owned) current.delete();
    current = next;
    owned = true;
    text = repaired;
    errors = nextErrors;
  }
  return { tree: current, owned };
}
