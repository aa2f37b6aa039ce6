// What most fixes start with: the text and a (freed-after-use) tree of a file, the string
// literal a diagnostic sits on, and the container a literal belongs to.
import type { Src } from '../model/source';
import type { ContainerModel } from '../model/summary';
import type { WorkspaceIndex } from '../workspace/index';
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

const memos = new WeakMap<WorkspaceIndex, { generation: number; values: Map<string, unknown> }>();

/** A value derived from the whole index, computed once per index generation (code actions ask for many diagnostics). */
export function memo<T>(index: WorkspaceIndex, key: string, build: () => T): T {
  let entry = memos.get(index);
  if (!entry || entry.generation !== index.generation) {
    entry = { generation: index.generation, values: new Map() };
    memos.set(index, entry);
  }
  if (!entry.values.has(key)) entry.values.set(key, build());
  return entry.values.get(key) as T;
}

export function srcKey(src: Src): string {
  return `${src.file}:${src.range.start.line}:${src.range.start.character}`;
}

/** The container whose field `field` resolves to a string from the literal at `src`. */
export function containerOfLiteral(ctx: FixContext, field: string, src: Src): ContainerModel | undefined {
  const owners = memo(ctx.index, `owners:${field}`, () => {
    const resolver = ctx.index.resolver();
    const map = new Map<string, ContainerModel>();
    for (const c of ctx.index.containers()) for (const v of resolver.strings(c.fields[field])) if (!map.has(srcKey(v.src))) map.set(srcKey(v.src), c);
    return map;
  });
  return owners.get(srcKey(src));
}

export function str(data: Record<string, unknown> | undefined, key: string): string | null {
  const value = data?.[key];
  return typeof value === 'string' ? value : null;
}
