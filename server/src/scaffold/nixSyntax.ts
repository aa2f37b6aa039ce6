// Reading the layout of an existing Nix file so a new line can go where a person would
// put it: the module's top-level attrset, its bindings with full attribute paths, the
// comments that head groups of lines, and each line's indentation. Positions are
// LSP-shaped (0-based lines, UTF-16 columns, which web-tree-sitter reports for JS strings).
import type { Node } from '../parse/parser';
import type { Position } from '../model/source';

/** The attrset a module file evaluates to (through `{ … }:`, `let … in`, `with …;`, parentheses). */
export function topAttrset(root: Node): Node | null {
  let node: Node | null = root.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  for (let depth = 0; node && depth < 10; depth++) {
    switch (node.type) {
      case 'attrset_expression':
      case 'rec_attrset_expression':
        return node;
      case 'function_expression':
      case 'let_expression':
      case 'with_expression':
        node = node.childForFieldName('body');
        break;
      case 'parenthesized_expression':
        node = node.childForFieldName('expression');
        break;
      default:
        return null;
    }
  }
  return null;
}

export function bindingSetOf(attrset: Node): Node | null {
  return attrset.namedChildren.find((c) => c?.type === 'binding_set') ?? null;
}

/** An attribute name as Nix reads it, or null for an interpolated one. */
export function attrName(attr: Node): string | null {
  if (attr.type === 'identifier') return attr.text;
  if (attr.type === 'string_expression') {
    const parts = attr.namedChildren.filter((c): c is Node => !!c);
    if (parts.every((p) => p.type === 'string_fragment')) return parts.map((p) => p.text).join('');
  }
  return null;
}

export interface FlatBinding {
  /** Full attribute path from the top-level attrset (`hwc.server.containers.x.enable`). */
  path: Array<string | null>;
  binding: Node;
  /** The binding_set the binding sits in, and the path that set is nested under. */
  set: Node;
  setPrefix: Array<string | null>;
}

/** Every binding of an attrset, descending into nested attrsets, with full paths. */
export function flatBindings(attrset: Node, prefix: Array<string | null> = [], out: FlatBinding[] = [], depth = 0): FlatBinding[] {
  const set = bindingSetOf(attrset);
  if (!set || depth > 12) return out;
  for (const binding of set.namedChildren) {
    if (binding?.type !== 'binding') continue;
    const attrs = binding.childForFieldName('attrpath')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    const path = [...prefix, ...attrs.map(attrName)];
    out.push({ path, binding, set, setPrefix: prefix });
    const value = binding.childForFieldName('expression');
    if (value && (value.type === 'attrset_expression' || value.type === 'rec_attrset_expression')) flatBindings(value, path, out, depth + 1);
  }
  return out;
}

/** Does a comment head a group of the given category (`# Media`, `# Databases`, `# Business apps`)? */
export function commentNamesCategory(comment: string, category: string): boolean {
  const words = comment.replace(/^#+/, '').trim().toLowerCase();
  const singular = category.replace(/s$/, '');
  return words === category || words.startsWith(`${category} `) || words === singular || words.startsWith(`${singular} `) || words.startsWith(`${category}:`);
}

/**
 * The last of `items` (children of `container`, in order) that sits in the group headed by
 * a comment naming `category`: the items after that comment and before the next comment.
 */
export function lastInCategoryGroup(container: Node, items: Node[], category: string): Node | undefined {
  let inGroup = false;
  let last: Node | undefined;
  const wanted = new Set(items.map((n) => n.startIndex));
  for (const child of container.namedChildren) {
    if (!child) continue;
    if (child.type === 'comment') {
      // A group ends at the next heading, not at a comment inside it.
      if (/^#\s*[A-Za-z]/.test(child.text) && !child.text.includes('hwc-lint')) inGroup = commentNamesCategory(child.text, category);
      continue;
    }
    if (inGroup && wanted.has(child.startIndex)) last = child;
  }
  return last;
}

export class TextLines {
  readonly lines: string[];
  constructor(readonly text: string) {
    this.lines = text.split('\n');
  }
  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lines[line] ?? '')![0];
  }
  endOf(line: number): Position {
    return { line, character: (this.lines[line] ?? '').replace(/\r$/, '').length };
  }
  /** The line ending the file uses. */
  get eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }
}
