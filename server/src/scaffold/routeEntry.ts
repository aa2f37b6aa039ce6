// A new site in a central routes file (`routesFile`): one attrset with an entry per
// container (`"${c.sonarr.domain}" = { reverse_proxy.to = …; };`). The new entry copies the
// last entry written for another container, with that container's name replaced, so it
// reads like its neighbours (their upstream host, their way of naming options); when no
// entry can serve as a model, it is written the house way in the file's reference style.
import { withTree, type Node, type Tree } from '../parse/parser';
import { ATTRSETS, ensureFormals, insertIntoAttrset, isStructured, lines as snippetLines, membersOf, moduleBody, moduleFunction } from '../fixes/syntax';
import { indentOf, toRange } from '../fixes/text';
import type { TextEdit as OffsetEdit } from '../fixes/types';
import { EditRefused, appendBinding, type TextEdit } from './edits';

export interface RouteEntryInput {
  file: string;
  name: string;
  namespace: string;
  /** Other container modules: an entry that names one of them can be a model. */
  siblings: string[];
  upstreamHost: string;
  /** The domain, for files that cannot read the module's options (not a function of `config`). */
  domain: string;
  /** The host port, for files that cannot read the module's options (not a function of `config`). */
  port: number;
  tlsEmail: string | null;
  basicAuth: { user: string; hash: string } | null;
}

/** A key that is a domain: a quoted attribute name (`"${c.x.domain}"`, `"x.example.com"`). */
function domainKey(binding: Node): Node | null {
  const attrs = binding.childForFieldName('attrpath')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  return attrs.length >= 1 && attrs[0].type === 'string_expression' ? attrs[0] : null;
}

/** The attrset holding the most domain-keyed entries (the routes), anywhere in the file. */
function routesAttrset(tree: Tree): Node | null {
  let best: Node | null = null;
  let bestCount = 0;
  const visit = (node: Node) => {
    if (ATTRSETS.has(node.type)) {
      const count = membersOf(node).filter((m) => m.type === 'binding' && domainKey(m)).length;
      if (count > bestCount) [best, bestCount] = [node, count];
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(tree.rootNode);
  return best;
}

const wordOf = (name: string) => new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');

/** `config.<ns>` as the file names it: a `let` alias (`c = config.hwc.server.containers;`) or config itself. */
function namespaceReference(text: string, namespace: string): string | null {
  const alias = new RegExp(`^\\s*([A-Za-z_][\\w'-]*)\\s*=\\s*config\\.${namespace.replace(/\./g, '\\.')}\\s*;`, 'm').exec(text);
  return alias ? alias[1] : null;
}

/** The house entry, as [depth, line] pairs. */
function houseEntry(input: RouteEntryInput, reference: string | null, literalOnly: boolean): Array<[number, string]> {
  const own = `${reference ?? `config.${input.namespace}`}.${/^[A-Za-z_][\w'-]*$/.test(input.name) ? input.name : JSON.stringify(input.name)}`;
  const key = literalOnly ? JSON.stringify(input.domain) : `"\${${own}.domain}"`;
  const port = literalOnly ? String(input.port) : `\${toString ${own}.port}`;
  const lines: Array<[number, string]> = [[0, `${key} = {`], [1, `reverse_proxy.to = "http://${input.upstreamHost}:${port}";`]];
  if (input.tlsEmail) lines.push([1, 'tls = {'], [2, `email = ${JSON.stringify(input.tlsEmail)};`], [1, '};']);
  if (input.basicAuth) lines.push([1, 'basicauth = {'], [2, `${input.basicAuth.user} = ${JSON.stringify(input.basicAuth.hash)};`], [1, '};']);
  lines.push([0, '};']);
  return lines;
}

/** The model entry with `old` renamed to the new container, or null when it cannot serve (it would still name `old`'s domain or port). */
function fromModel(text: string, entry: Node, old: string, input: RouteEntryInput, existingKeys: Set<string>): string[] | null {
  const indent = indentOf(text, entry.startIndex);
  const source = text.slice(entry.startIndex, entry.endIndex);
  const renamed = source.replace(wordOf(old), input.name);
  const key = domainKey(entry)!;
  const newKey = text.slice(key.startIndex, key.endIndex).replace(wordOf(old), input.name);
  if (existingKeys.has(newKey) || !newKey.includes(input.name)) return null;
  if (/\b\d{2,5}\b/.test(renamed.replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, ''))) return null; // a literal port of the old container
  return renamed.split(/\r?\n/).map((line, i) => (i === 0 ? line : line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
}

export function planRouteEntry(text: string, input: RouteEntryInput): TextEdit[] {
  return withTree(text, (tree) => {
    // No entry yet: the file's own attrset, unless that is a module (then the routes are somewhere this tool cannot guess).
    const body = moduleBody(tree);
    const routes = routesAttrset(tree) ?? (body && ATTRSETS.has(body.type) && !isStructured(body) && membersOf(body).length === 0 ? body : null);
    if (!routes) throw new EditRefused(`${input.file} holds no attrset of routes ("<domain>" = { … }) this tool can extend; add the route for ${input.name} by hand`);
    const entries = membersOf(routes).filter((m) => m.type === 'binding' && domainKey(m));
    const existingKeys = new Set(entries.map((e) => domainKey(e)!.text));
    const plain = input.upstreamHost === 'localhost' && !input.tlsEmail && !input.basicAuth;
    let lines: string[] | null = null;
    if (plain) {
      for (const entry of [...entries].reverse()) {
        const old = input.siblings.filter((s) => s !== input.name && wordOf(s).test(entry.text)).sort((a, b) => b.length - a.length)[0];
        if (old && (lines = fromModel(text, entry, old, input, existingKeys))) break;
      }
    }
    const edits: OffsetEdit[] = [];
    let block: (unit: string) => string;
    if (lines) {
      const model = lines;
      block = () => model.join('\n');
    } else {
      const fn = moduleFunction(tree);
      const reference = namespaceReference(text, input.namespace);
      const formals = reference ? [] : fn ? ensureFormals(tree, ['config']) : null;
      if (formals) edits.push(...formals);
      const house = houseEntry(input, reference, formals === null);
      block = (unit) => snippetLines(house, unit);
      lines = house.map(([, l]) => l);
    }
    const inline = lines.map((l) => l.trim()).join(' ');
    const last = entries.at(-1);
    edits.push(last ? insertIntoAttrset(text, routes, (unit) => ({ block: block(unit), inline }), last, 'follow') : appendBinding(text, routes, block, inline, false));
    return edits.map((e) => ({ range: toRange(text, e), newText: e.newText }));
  });
}
