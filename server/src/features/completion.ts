// Completion from the workspace index: option names after `cfg.` and dotted option paths,
// state categories and the container's own name in `/opt/…` volume strings, container
// names in `dependsOn`, declared secrets after `config.age.secrets.`, created networks
// after `--network=`, pinned images in `image = "…"`, and container attribute names.
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionList } from 'vscode-languageserver/node';
import type { Position, Range } from '../model/source';
import type { ContainerModel } from '../model/summary';
import type { Session } from '../lsp/session';
import type { Feature } from './feature';
import { CONTAINER_ATTRIBUTES, attributeInsertText } from './support/containerAttributes';
import { Cursor, StringAtCursor, boundKey, containerBodyAt, cursorIn, stringAt } from './support/cursor';
import type { OptionChild } from './support/facts';
import { containsPosition, sourceLink } from './support/ranges';
import { optionDetail } from './support/render';
import { Located, locateDocument } from './support/target';

// Looked up by the categories .hwc-lint.json names: a Map, so `constructor` finds nothing.
const CATEGORY_DOCS = new Map(Object.entries({
  media: 'Media stack (*Arr services, downloaders)',
  services: 'General services',
  databases: 'Database storage',
  monitoring: 'Monitoring/observability',
  business: 'Business applications',
}));

const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

interface Context {
  session: Session;
  at: Located;
  cursor: Cursor;
  snippets: boolean;
}

let snippetSupport = false;

export const completion: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['.', '"', '/', '='] } },
  initialize(params) {
    snippetSupport = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  },
  register({ connection, session }) {
    connection.onCompletion(({ textDocument, position }) => complete(session, textDocument.uri, position, snippetSupport));
  },
};

export function complete(session: Session, uri: string, position: Position, snippets: boolean): CompletionList | null {
  const at = locateDocument(session, uri);
  const cursor = at && cursorIn(session, uri, position);
  if (!at || !cursor) return null;
  const ctx: Context = { session, at, cursor, snippets };
  const items = inString(ctx) ?? inCode(ctx);
  return items ? capped(ctx, items) : null;
}

/** Items beyond this many (names in a very large workspace) are filtered here, and the list is marked incomplete. */
const MAX_ITEMS = 200;

function capped(ctx: Context, items: CompletionItem[]): CompletionList {
  if (items.length <= MAX_ITEMS) return { isIncomplete: false, items };
  const edit = items[0].textEdit;
  const typedText = edit && 'range' in edit ? ctx.cursor.document.getText(edit.range).replace(/^"/, '').toLowerCase() : '';
  const matching = items.filter((item) => isSubsequence(typedText, (item.filterText ?? item.label).toLowerCase()));
  return { isIncomplete: true, items: matching.slice(0, MAX_ITEMS) };
}

function isSubsequence(needle: string, haystack: string): boolean {
  let i = 0;
  for (let j = 0; j < haystack.length && i < needle.length; j++) if (haystack[j] === needle[i]) i++;
  return i === needle.length;
}

function inString(ctx: Context): CompletionItem[] | undefined {
  const quotedSecret = /config\.age\.secrets\."([^"]*)$/.exec(ctx.cursor.linePrefix);
  if (quotedSecret) return secretItems(ctx, quotedSecret[1], false);
  const str = stringAt(ctx.cursor);
  if (!str) return undefined;
  const network = /^--net(?:work)?[= ]([^\s,]*)$/.exec(str.prefix);
  if (network) return networkItems(ctx, network[1]);
  switch (boundKey(str.node ?? ctx.cursor.node)) {
    case 'volumes':
      return volumeItems(ctx, str.prefix);
    case 'dependsOn':
      return dependsOnItems(ctx, str.prefix, false);
    case 'image':
      return imageItems(ctx, str);
    default:
      return [];
  }
}

function inCode(ctx: Context): CompletionItem[] | undefined {
  const line = ctx.cursor.linePrefix;
  const secret = /config\.age\.secrets\.([\w'-]*)$/.exec(line);
  if (secret) return secretItems(ctx, secret[1], true);
  const cfg = /(?:^|[^\w.'-])cfg\.((?:[\w'-]+\.)*)([\w'-]*)$/.exec(line);
  if (cfg) return cfgItems(ctx, cfg[1], cfg[2]);
  const dotted = /(?:^|[^\w.'"-])((?:[A-Za-z_][\w'-]*\.)+)([\w'-]*)$/.exec(line);
  if (dotted) {
    const path = dotted[1].slice(0, -1).split('.');
    const children = ctx.at.facts.optionChildren(path[0] === 'config' ? path.slice(1) : path);
    return children ? optionItems(ctx, children, dotted[2]) : undefined;
  }
  const key = boundKey(ctx.cursor.node);
  if (key === 'dependsOn') return dependsOnItems(ctx, /[\w'-]*$/.exec(line)![0], true);
  // Attribute names only where a binding starts, directly in a container's attrset.
  if (key === null && /(?:^|[{;])\s*[A-Za-z_]?[\w'.-]*$/.test(line)) {
    const container = containerBodyAt(ctx.cursor, ctx.at.summary);
    if (container) return attributeItems(ctx, container, /[\w'.-]*$/.exec(line)![0]);
  }
  return undefined;
}

/** The range of the `length` characters before the cursor (what the item replaces). */
function typed(ctx: Context, length: number): Range {
  const { line, character } = ctx.cursor.position;
  return { start: { line, character: character - length }, end: ctx.cursor.position };
}

/** The container the cursor is in: its attrset, one of its values, or the only container of the module. */
function containerAtCursor(ctx: Context): ContainerModel | undefined {
  const { summary, facts } = ctx.at;
  const body = containerBodyAt(ctx.cursor, summary);
  if (body) return body;
  const position = ctx.cursor.position;
  const inside = summary.containers.find((c) => facts.container(c).sites.some((s) => s.file === summary.file && containsPosition(s.range, position)));
  if (inside) return inside;
  const module = summary.moduleFolder ? facts.index.modules().get(summary.moduleFolder) : undefined;
  return module?.containers.length === 1 ? module.containers[0] : undefined;
}

function cfgItems(ctx: Context, middle: string, word: string): CompletionItem[] | undefined {
  const binding = ctx.at.summary.cfgBindings[0];
  if (!binding) return undefined;
  const children = ctx.at.facts.optionChildren([...binding.path, ...middle.split('.').filter(Boolean)]);
  return children ? optionItems(ctx, children, word) : [];
}

function optionItems(ctx: Context, children: Map<string, OptionChild>, word: string): CompletionItem[] {
  const { session, at } = ctx;
  const items: CompletionItem[] = [];
  for (const [name, child] of [...children].sort(([a], [b]) => a.localeCompare(b))) {
    const decl = child.decl;
    const item: CompletionItem = { label: name, textEdit: { range: typed(ctx, word.length), newText: name } };
    if (decl) {
      item.kind = CompletionItemKind.Property;
      item.detail = optionDetail(decl, at.facts.resolver);
      const lines = [decl.description ?? '', `Declared in ${sourceLink(session, at.workspace, decl.src)}`].filter(Boolean);
      item.documentation = { kind: MarkupKind.Markdown, value: lines.join('\n\n') };
    } else {
      item.kind = CompletionItemKind.Module;
      item.detail = `${child.options} option${child.options === 1 ? '' : 's'}`;
    }
    items.push(item);
  }
  return items;
}

function volumeItems(ctx: Context, prefix: string): CompletionItem[] {
  const root = ctx.at.workspace.config.stateRoot.replace(/\/+$/, '');
  if (!prefix.startsWith(root + '/')) return [];
  const segments = prefix.slice(root.length + 1).split('/');
  if (segments.length === 1 && !segments[0].includes(':')) {
    return ctx.at.workspace.config.categories.map((category, i) => ({
      label: category,
      kind: CompletionItemKind.Folder,
      detail: `${root}/${category}/<name>`,
      documentation: CATEGORY_DOCS.get(category),
      sortText: String(i).padStart(3, '0'),
      textEdit: { range: typed(ctx, segments[0].length), newText: `${category}/` },
      command: RETRIGGER,
    }));
  }
  if (segments.length === 2 && !segments[1].includes(':')) {
    const container = containerAtCursor(ctx);
    if (!container) return [];
    const names = [...new Set([container.name, container.moduleFolder ?? container.name])];
    return names.map((name) => ({
      label: name,
      kind: CompletionItemKind.Folder,
      detail: `${root}/${segments[0]}/${name}`,
      documentation: `The state directory of \`${container.name}\`: one directory per container, never shared.`,
      textEdit: { range: typed(ctx, segments[1].length), newText: name },
    }));
  }
  return [];
}

function dependsOnItems(ctx: Context, word: string, quote: boolean): CompletionItem[] {
  const { facts } = ctx.at;
  const self = containerAtCursor(ctx);
  const listed = new Set<string>();
  if (self) {
    for (const entry of facts.container(self).dependsOn) {
      const here = entry.src.file === ctx.at.summary.file && containsPosition(entry.src.range, ctx.cursor.position);
      if (entry.text !== null && !here) listed.add(entry.text);
    }
  }
  const items: CompletionItem[] = [];
  for (const name of facts.containerNames()) {
    if (name === self?.name || listed.has(name)) continue;
    const image = facts.index.containersNamed(name).map((c) => facts.container(c).image).find((i) => i !== null);
    items.push({
      label: name,
      kind: CompletionItemKind.Module,
      detail: image ?? undefined,
      documentation: `Starts after podman-${name}.service.`,
      filterText: quote ? `"${name}"` : undefined,
      textEdit: { range: typed(ctx, word.length), newText: quote ? `"${name}"` : name },
    });
  }
  return items;
}

function secretItems(ctx: Context, word: string, quote: boolean): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const [name, declarations] of ctx.at.facts.secrets()) {
    const declaration = declarations[0];
    items.push({
      label: name,
      kind: CompletionItemKind.Constant,
      detail: declaration.file ?? 'age secret',
      documentation: { kind: MarkupKind.Markdown, value: `Declared in ${sourceLink(ctx.session, ctx.at.workspace, declaration.src)}` },
      filterText: quote ? name : undefined,
      textEdit: { range: typed(ctx, word.length), newText: quote ? `"${name}"` : name },
    });
  }
  return items;
}

function networkItems(ctx: Context, word: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const [name, sites] of [...ctx.at.facts.networks()].sort(([a], [b]) => a.localeCompare(b))) {
    items.push({
      label: name,
      kind: CompletionItemKind.Reference,
      detail: `created in ${sites[0].file}`,
      textEdit: { range: typed(ctx, word.length), newText: name },
    });
  }
  items.push({
    label: 'host',
    kind: CompletionItemKind.Reference,
    detail: 'the host network',
    documentation: 'No port mappings and no isolation: the container sees real client addresses and devices on the LAN.',
    textEdit: { range: typed(ctx, word.length), newText: 'host' },
  });
  return items;
}

function imageItems(ctx: Context, str: StringAtCursor): CompletionItem[] {
  const images = [...ctx.at.facts.pinnedImages()].sort(([a, n], [b, m]) => m - n || a.localeCompare(b));
  return images.map(([image, uses]) => ({
    label: image,
    kind: CompletionItemKind.Value,
    detail: `used by ${uses} container${uses === 1 ? '' : 's'}`,
    textEdit: { range: { start: str.contentStart, end: ctx.cursor.position }, newText: image },
  }));
}

function attributeItems(ctx: Context, container: ContainerModel, word: string): CompletionItem[] {
  const present = new Set(Object.keys(container.fields));
  return CONTAINER_ATTRIBUTES.filter((a) => !present.has(a.name)).map((attribute, i) => ({
    label: attribute.name,
    kind: CompletionItemKind.Field,
    detail: `${container.name}: ${attribute.shape === 'strings' ? 'list of strings' : attribute.shape}`,
    documentation: { kind: MarkupKind.Markdown, value: attribute.doc },
    sortText: String(i).padStart(3, '0'),
    insertTextFormat: ctx.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: typed(ctx, word.length), newText: attributeInsertText(attribute, ctx.snippets) },
  }));
}
