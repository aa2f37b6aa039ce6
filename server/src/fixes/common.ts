// What most fixes start with: the text and a (freed-after-use) tree of a file, the string
// literal a diagnostic sits on, and the container a literal belongs to.
import type { Src } from '../model/source';
import type { ContainerModel } from '../model/summary';
import { withTree, type Tree } from '../parse/parser';
import type { FixContext } from './types';
import { nodeAtRange, stringLiteral, type StringLiteral } from './syntax';

/** Runs fn on the file's text and tree (freed afterwards); undefined when the file cannot be read. */
export function withFile<T>(ctx: FixContext, file: string, fn: (text: string, tree: Tree) => T): T | undefined {
  const text = ctx.text(file);
  if (text === undefined) return undefined;
  return withTree(text, (tree) => fn(text, tree));
}

/** The string literal exactly at `src` in a parsed file. */
export function literalAt(tree: Tree, src: Src): StringLiteral | null {
  return stringLiteral(nodeAtRange(tree, src.range));
}

function sameStart(a: Src, b: Src): boolean {
  return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

/** The container whose field `field` resolves to a string from the literal at `src`. */
export function containerOfLiteral(ctx: FixContext, field: string, src: Src): ContainerModel | undefined {
  const resolver = ctx.index.resolver();
  return ctx.index.containers().find((c) => resolver.strings(c.fields[field]).some((v) => sameStart(v.src, src)));
}

/** The string the diagnostic's literal resolves to in `field` of some container (the literal's own text if not found). */
export function resolvedText(ctx: FixContext, field: string, src: Src): string | null {
  const resolver = ctx.index.resolver();
  for (const container of ctx.index.containers()) {
    for (const value of resolver.strings(container.fields[field])) if (sameStart(value.src, src)) return value.text;
  }
  return null;
}

export function str(data: Record<string, unknown> | undefined, key: string): string | null {
  const value = data?.[key];
  return typeof value === 'string' ? value : null;
}
