// Turns ERROR and MISSING nodes into one readable message per error region.
import type { Node, Tree } from './parser';
import { Range, nodeRange } from '../model/source';
import { countErrors, findUnterminatedStringLine, firstMultiLineString } from './repair';
import { parseNix } from './parser';

export interface SyntaxProblem {
  message: string;
  range: Range;
}

const CLOSERS: Record<string, string> = { '}': 'attribute set', ']': 'list', ')': 'parenthesis' };
const MISSING_WHAT: Record<string, string> = {
  identifier: 'a value',
  ';': '`;`',
  '}': '`}`',
  ']': '`]`',
  ')': '`)`',
  '=': '`=`',
  in: '`in`',
  then: '`then`',
  else: '`else`',
  ':': '`:`',
};

function firstLeaf(node: Node): Node {
  let current = node;
  while (current.childCount > 0) {
    const child = current.child(0);
    if (!child) break;
    current = child;
  }
  return current;
}

function short(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 30 ? line.slice(0, 30) + '…' : line;
}

/** The name whose binding swallowed the previous one: `a = 1\n  b = 2;` parses as `1 b` then ERROR `=`. */
function missingSemicolonBefore(errorNode: Node): Node | null {
  if (!errorNode.text.startsWith('=')) return null;
  // `a = 1\n  b = 2;` parses as the application `1 b`, then an ERROR `=`: the swallowed
  // name is the innermost argument right before the ERROR.
  let previous = errorNode.previousSibling;
  if (!previous && errorNode.parent?.type === 'apply_expression') previous = errorNode.parent.childForFieldName('argument');
  while (previous?.type === 'apply_expression') previous = previous.childForFieldName('argument');
  // A dotted key (`environment.TZ = …`) parses as a select of the name.
  const isName = (n: Node | null) => n?.type === 'variable_expression' || (n?.type === 'select_expression' && n.childForFieldName('expression')?.type === 'variable_expression');
  if (previous && isName(previous) && previous.endIndex <= errorNode.startIndex) return previous;
  return null;
}

/**
 * A string left open at the end of its line that swallowed code up to a later quote: its
 * opening quote, and the problems of the text with that string closed, when closing it
 * really removes errors (checked by parsing once more).
 */
function runawayStringProblems(tree: Tree, limit: number, depth: number): SyntaxProblem[] | null {
  const source = tree.rootNode.text;
  const runaway = depth < 8 ? firstMultiLineString(source) : null;
  if (!runaway) return null;
  const closed = parseNix(source.slice(0, runaway.firstLineEnd) + '"' + source.slice(runaway.firstLineEnd));
  try {
    if (closed.rootNode.hasError && countErrors(closed) >= countErrors(tree)) return null;
    const lineStart = source.lastIndexOf('\n', runaway.start - 1) + 1;
    const line = source.slice(0, runaway.start).split('\n').length - 1;
    const problem = {
      message: 'unterminated string: add the closing `"`',
      range: { start: { line, character: runaway.start - lineStart }, end: { line, character: runaway.firstLineEnd - lineStart } },
    };
    // Lines other than the string's own are the same in both texts, so the rest of the positions hold.
    const rest = collect(closed, limit - 1, depth + 1).filter((p) => p.range.start.line !== line);
    return [problem, ...rest];
  } finally {
    closed.delete();
  }
}

function unterminatedStringBefore(node: Node): SyntaxProblem | null {
  const tree = node.tree;
  const source = tree.rootNode.text;
  const lineStart = source.lastIndexOf('\n', node.startIndex - 1) + 1;
  const repair = findUnterminatedStringLine(source, lineStart);
  if (!repair) return null;
  const line = source.slice(0, repair.offset).split('\n').length - 1;
  const start = source.lastIndexOf('\n', repair.offset - 1) + 1;
  const quote = source.indexOf('"', start);
  const lastQuote = source.slice(start, repair.offset).lastIndexOf('"') + start;
  return {
    message: 'unterminated string: add the closing `"`',
    range: { start: { line, character: Math.max(0, lastQuote >= quote ? lastQuote - start : quote - start) }, end: { line, character: repair.offset - start } },
  };
}

function describeError(node: Node): SyntaxProblem {
  const text = node.text;
  const unterminated = unterminatedStringBefore(node);
  if (unterminated) return unterminated;
  const swallowed = missingSemicolonBefore(node);
  if (swallowed) {
    return { message: `missing \`;\` before \`${short(swallowed.text)}\` (the binding above is not terminated)`, range: nodeRange(swallowed) };
  }
  if (text === 'in') return { message: 'missing `;` before `in` (the last `let` binding is not terminated)', range: nodeRange(node) };
  const leaf = firstLeaf(node);
  const leafText = leaf.text;
  if (leafText === '"' || leafText === "''" || text.startsWith('"') || text.startsWith("''")) {
    const range = nodeRange(node);
    if (range.end.line > range.start.line) range.end = { line: range.start.line, character: range.start.character + 1 + short(text).length };
    return { message: 'unterminated string: add the closing quote', range };
  }
  if (CLOSERS[leafText]) {
    return { message: `unexpected \`${leafText}\`: there is no open ${CLOSERS[leafText]} to close here`, range: nodeRange(leaf) };
  }
  const range = nodeRange(node);
  return { message: `unexpected \`${short(leafText || text)}\``, range };
}

function describeMissing(node: Node): SyntaxProblem {
  const what = MISSING_WHAT[node.type] ?? `\`${node.type}\``;
  const parent = node.parent;
  let context = '';
  if (node.type === '}' || node.type === ']' || node.type === ')') {
    const opener = parent ? parent.startPosition.row + 1 : 0;
    context = opener ? ` to close the ${CLOSERS[node.type]} opened on line ${opener}` : '';
  } else if (node.type === 'identifier' && parent?.parent?.type === 'binding') {
    context = ` after \`=\``;
  }
  return { message: `missing ${what}${context}`, range: nodeRange(node) };
}

function hasErrorChild(node: Node): boolean {
  // `children` fetches them in one call; child(i) walks from the first child each time,
  // quadratic for an ERROR node with thousands of children (unclosed `{ a =` repeated).
  return node.children.some((child) => !!child && (child.isError || child.isMissing || child.hasError));
}

/** One problem per error region (the innermost error of a nested region), in document order. */
export function collectSyntaxProblems(tree: Tree, limit = 100): SyntaxProblem[] {
  return collect(tree, limit, 0);
}

function collect(tree: Tree, limit: number, depth: number): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  if (!tree.rootNode.hasError || limit <= 0) return problems;
  // A string left open swallows the code after it: report it at its opening quote, not where the parser gave up.
  const runaway = runawayStringProblems(tree, limit, depth);
  if (runaway) return runaway;
  const cursor = tree.walk();
  try {
    let descend = true;
    for (;;) {
      const node = cursor.currentNode;
      const innerError = node.isError && hasErrorChild(node);
      if (descend && (node.isError || node.isMissing) && !innerError) {
        problems.push(node.isMissing ? describeMissing(node) : describeError(node));
        if (problems.length >= limit) break;
        descend = false;
      }
      if (descend && node.hasError && cursor.gotoFirstChild()) continue;
      descend = true;
      if (cursor.gotoNextSibling()) continue;
      let climbed = false;
      while (cursor.gotoParent()) {
        if (cursor.gotoNextSibling()) {
          climbed = true;
          break;
        }
      }
      if (!climbed) break;
    }
  } finally {
    cursor.delete();
  }
  // Two errors can lead to the same explanation (an unterminated string): keep one.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.range.start.line}:${p.range.start.character}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
