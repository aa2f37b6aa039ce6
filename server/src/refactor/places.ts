// Every place a container's name lives, found for the lifecycle refactors (rename, remove).
// The index says which container, module folder, secrets, route file and dependents there
// are; each file that mentions the name is then parsed (and freed) and every mention is
// classified by its syntactic place: an option path, the oci-containers attribute, a
// `dependsOn` entry, `--network=container:<name>`, a secret, an import path, a state
// directory, a comment. A mention that fits none of them (an environment value, a shell
// script, a domain) is listed as unresolved, never guessed.
import * as path from 'path';
import type { Node, Tree } from '../parse/parser';
import { withTree } from '../parse/parser';
import type { LintConfig } from '../config/schema';
import type { WorkspaceIndex } from '../workspace/index';
import { containerFacts } from '../features/support/facts';
import { lineStarts, positionAt } from '../fixes/text';

export type PlaceKind =
  | 'container' // virtualisation.oci-containers.containers.<name>, or the literal a helper names it by
  | 'option' // options.<ns>.<name> and <ns>.<name>.… definitions (profile enable lines)
  | 'config-read' // config.<ns>.<name> (the cfg binding, reads in routes)
  | 'depends-on'
  | 'network' // --network=container:<name>
  | 'upstream' // a route's http://<name>:<port>
  | 'secret' // <name>-env in age.secrets, its uses and assertions
  | 'secret-file' // the .age path in a declaration or in agenix's secrets.nix
  | 'import' // a path through the module folder
  | 'route-file' // a path to the container's own route file
  | 'state-dir' // /opt/<category>/<name> in volumes and tmpfiles
  | 'text' // descriptions, mkEnableOption, assertion messages
  | 'comment';

export interface Place {
  kind: PlaceKind;
  file: string;
  /** UTF-16 offsets of exactly the container's name in the file's text. */
  start: number;
  end: number;
  line: number;
  /** The syntax node the removal of this place would take out (binding, list item), as offsets. */
  owner?: { start: number; end: number; kind: 'binding' | 'item' };
}

export interface Mention {
  file: string;
  line: number;
  /** The source line, trimmed (from the repository: print it escaped). */
  text: string;
  reason: string;
}

export interface ContainerPlaces {
  name: string;
  /** The container's module folder, when it has one of its own named after it. */
  moduleFolder: string | null;
  /** Every file on disk under the module folder (Nix or not). */
  moduleFiles: string[];
  /** `<routesFolder>/<name>.nix`, when it exists. */
  routeFile: string | null;
  /** Secret names the container reads that carry its name (`<name>-env`). */
  secrets: string[];
  /** Their `.age` files (workspace-relative), when declared with a literal path. */
  ageFiles: string[];
  /** State directories (`/opt/<category>/<name>`) its volumes mount. */
  stateDirs: string[];
  /** Containers whose `dependsOn` names it. */
  dependents: Array<{ name: string; file: string; line: number }>;
  places: Place[];
  unresolved: Mention[];
  /** The text of each file a place or mention was found in (what the offsets refer to). */
  texts: Map<string, string>;
}

export interface PlaceSource {
  index: WorkspaceIndex;
  config: LintConfig;
  /** Every workspace file that may be read (relative paths), Nix or not. */
  files: string[];
  /** Current text of a workspace-relative file (the open document, else the disk). */
  read(file: string): string | undefined;
}

const TOKEN_CHAR = /[A-Za-z0-9_-]/;

/** Offsets where `word` stands as a whole token (kebab names: `-` is part of a token). */
export function tokenOffsets(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + word.length] ?? '';
    if (!TOKEN_CHAR.test(before) && !TOKEN_CHAR.test(after)) out.push(at);
  }
  return out;
}

export function findContainerPlaces(source: PlaceSource, name: string): ContainerPlaces | null {
  const { index, config } = source;
  const models = index.containersNamed(name);
  if (models.length === 0) return null;
  const resolver = index.resolver();
  const facts = models.map((m) => containerFacts(m, resolver, config.stateRoot));
  const containersFolder = config.containersFolder.replace(/\/+$/, '');
  const ownFolder = `${containersFolder}/${name}`;
  const moduleFolder = models.some((m) => m.moduleFolder === ownFolder) || source.files.some((f) => f.startsWith(`${ownFolder}/`)) ? ownFolder : null;
  const routeCandidate = `${config.routesFolder.replace(/\/+$/, '')}/${name}.nix`;
  const routeFile = source.files.includes(routeCandidate) ? routeCandidate : null;
  const secrets = [...new Set(facts.flatMap((f) => f.secrets))].filter((s) => s.startsWith(`${name}-`)).sort();
  const ageFiles: string[] = [];
  for (const file of index.files()) for (const d of file.secretsDeclared) if (secrets.includes(d.name) && d.file) ageFiles.push(d.file);
  const stateDirs = [...new Set(facts.flatMap((f) => f.stateDirs))].filter((dir) => path.posix.basename(dir) === name).sort();
  const dependents: ContainerPlaces['dependents'] = [];
  // One resolution pass over every container: who depends on this one, and where every dependsOn entry is written.
  const dependsOnSites = new Set<string>();
  for (const other of index.containers()) {
    for (const entry of containerFacts(other, resolver, config.stateRoot).dependsOn) {
      dependsOnSites.add(`${entry.src.file}:${entry.src.range.start.line}`);
      if (entry.text === name && other.name !== name) dependents.push({ name: other.name, file: entry.src.file, line: entry.src.range.start.line + 1 });
    }
  }
  const ctx: Context = {
    name,
    namespace: config.namespace.split('.'),
    aliases: config.namespaceAliases.map((a) => a.split('.')),
    stateRoot: config.stateRoot.replace(/\/+$/, ''),
    moduleFolder,
    routeFile,
    secrets,
    ageFiles,
    helperNames: new Set(models.map((m) => `${m.nameSrc.file}:${m.nameSrc.range.start.line}:${m.nameSrc.range.start.character}`)),
    dependsOnSites,
    stateDirs,
    routeKeys: (file) => (index.get(file)?.routes ?? []).map((r) => r.src.range.start),
  };
  const result: ContainerPlaces = {
    name,
    moduleFolder,
    moduleFiles: moduleFolder ? source.files.filter((f) => f.startsWith(`${moduleFolder}/`)).sort() : [],
    routeFile,
    secrets,
    ageFiles: [...new Set(ageFiles)].sort(),
    stateDirs,
    dependents,
    places: [],
    unresolved: [],
    texts: new Map(),
  };
  for (const file of source.files) {
    if (!file.endsWith('.nix')) continue;
    const text = source.read(file);
    if (text === undefined || !text.includes(name)) continue;
    result.texts.set(file, text);
    withTree(text, (tree) => scanFile(ctx, file, text, tree, result));
  }
  // A computed container name (`containers.${cfg.name}`) has no literal to rename.
  for (const model of models) {
    const text = result.texts.get(model.nameSrc.file);
    const covered = result.places.some((p) => p.kind === 'container' && p.file === model.nameSrc.file);
    if (!covered) result.unresolved.push({ file: model.nameSrc.file, line: model.nameSrc.range.start.line + 1, text: lineOf(text ?? '', model.nameSrc.range.start.line), reason: 'the container name is computed here' });
  }
  return result;
}

interface Context {
  name: string;
  namespace: string[];
  aliases: string[][];
  stateRoot: string;
  moduleFolder: string | null;
  routeFile: string | null;
  secrets: string[];
  ageFiles: string[];
  /** Positions of the literals the model reads the container's name from (a helper's `name = "…"`). */
  helperNames: Set<string>;
  /** Lines holding a `dependsOn` entry the model resolved (an option default included). */
  dependsOnSites: Set<string>;
  /** The container's state directories, as the rules resolve them. */
  stateDirs: string[];
  /** Route entries (their domain keys) the index found in each file. */
  routeKeys(file: string): Array<{ line: number; character: number }>;
}

function lineOf(text: string, line: number): string {
  return (text.split('\n')[line] ?? '').trim();
}

function scanFile(ctx: Context, file: string, text: string, tree: Tree, out: ContainerPlaces): void {
  const starts = lineStarts(text);
  const words = [ctx.name, ...ctx.secrets];
  const ownFile = (ctx.moduleFolder !== null && file.startsWith(`${ctx.moduleFolder}/`)) || file === ctx.routeFile;
  const leaves = tree.rootNode.descendantsOfType(['identifier', 'string_fragment', 'path_fragment', 'comment']);
  const found: Array<{ at: number; line: number; kind: PlaceKind | null; reason: string; owner?: Place['owner']; comment?: boolean }> = [];
  for (const leaf of leaves) {
    if (!leaf) continue;
    const leafText = leaf.text;
    for (const word of words) {
      for (const offset of tokenOffsets(leafText, word)) {
        const at = leaf.startIndex + offset;
        const line = positionAt(text, at, starts).line;
        const { kind, reason, owner } = classify(ctx, file, text, leaf, offset, word);
        // Prose (comments, descriptions) is the container's own only in its own files.
        const prose = kind === 'comment' || kind === 'text';
        found.push({ at, line, kind: prose && !ownFile ? null : kind, reason: prose && !ownFile ? 'prose in another module' : reason, owner, comment: kind === 'comment' });
      }
    }
  }
  // A comment outside the container's own files is renamed when it sits on a line we change anyway.
  const routes = routeEntries(ctx, file, tree);
  for (const f of found) {
    if (f.kind !== 'config-read' && f.kind !== 'upstream') continue;
    const entry = routes.find((r) => r.start <= f.at && f.at < r.end);
    if (entry) f.owner = { ...entry, kind: 'binding' };
  }
  const changedLines = new Set(found.filter((f) => f.kind !== null).map((f) => f.line));
  for (const f of found) {
    if (f.kind === null && f.comment && changedLines.has(f.line)) f.kind = 'comment';
    if (f.kind === null) {
      out.unresolved.push({ file, line: f.line + 1, text: lineOf(text, f.line), reason: f.reason });
      continue;
    }
    out.places.push({ kind: f.kind, file, start: f.at, end: f.at + ctx.name.length, line: f.line, owner: f.owner });
  }
}

/** The bindings of the route entries the index found in a file (a central routes file), as offsets. */
function routeEntries(ctx: Context, file: string, tree: Tree): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  if (file === ctx.routeFile) return out;
  for (const key of ctx.routeKeys(file)) {
    let node: Node | null = tree.rootNode.descendantForPosition({ row: key.line, column: key.character });
    while (node && node.type !== 'binding') node = node.parent;
    if (node) out.push({ start: node.startIndex, end: node.endIndex });
  }
  return out;
}

interface Classified {
  kind: PlaceKind | null;
  reason: string;
  owner?: Place['owner'];
}

function classify(ctx: Context, file: string, text: string, leaf: Node, offset: number, word: string): Classified {
  const isSecret = word !== ctx.name;
  if (leaf.type === 'comment') return { kind: 'comment', reason: 'comment' };
  if (leaf.type === 'path_fragment') return classifyPath(ctx, file, leaf, offset, word);
  const parent = leaf.parent;
  if (!parent) return { kind: null, reason: 'not understood here' };
  // A literal the model reads the container's name from (a helper call's `name = "sonarr"`).
  const stringNode = parent.type === 'string_expression' ? parent : null;
  const srcNode = stringNode ?? leaf;
  if (!isSecret && ctx.helperNames.has(`${file}:${srcNode.startPosition.row}:${srcNode.startPosition.column}`)) return { kind: 'container', reason: '' };
  // An attribute: a binding's key or a selection (`config.…`, `cfg`).
  const attrpath = parent.type === 'attrpath' ? parent : stringNode?.parent?.type === 'attrpath' ? stringNode.parent : null;
  if (attrpath) return classifyAttr(ctx, attrpath, parent.type === 'attrpath' ? leaf : stringNode!, word);
  if (parent.type === 'indented_string_expression') return { kind: null, reason: 'inside a multi-line string (a script?)' };
  if (!stringNode) return { kind: null, reason: 'not understood here' };
  // A value string: what is it the value of?
  const fragment = leaf.text;
  const before = fragment.slice(0, offset);
  const wholeString = stringNode.namedChildren.length === 1 && fragment === word;
  const host = stringNode.parent;
  const listItem = host?.type === 'list_expression' ? { start: stringNode.startIndex, end: stringNode.endIndex, kind: 'item' as const } : undefined;
  const key = bindingKeyOf(host?.type === 'list_expression' ? host : stringNode);
  if (isSecret && host?.type === 'has_attr_expression') return { kind: 'secret', reason: '' };
  if (!isSecret) {
    if (key === 'dependsOn' && wholeString) return { kind: 'depends-on', reason: '', owner: listItem };
    if (ctx.dependsOnSites.has(`${file}:${stringNode.startPosition.row}`) && wholeString) return { kind: 'depends-on', reason: '', owner: listItem };
    if (/^--net(work)?=container:$/.test(before) && fragment.length === offset + word.length) return { kind: 'network', reason: '', owner: listItem };
    const statePrefix = new RegExp(`(^|[\\s:])(${escapeRegExp(ctx.stateRoot)}/[a-z0-9][a-z0-9_-]*/)$`).exec(before);
    // A state directory: in volumes and tmpfiles, or wherever else the resolved state path is spelled (an option default).
    if (statePrefix && (key === 'volumes' || key === 'rules' || ctx.stateDirs.includes(statePrefix[2] + word))) {
      return { kind: 'state-dir', reason: '', owner: key === 'rules' ? listItem : undefined };
    }
    if (/^https?:\/\/$/.test(before) && /^(:\d*)?$/.test(fragment.slice(offset + word.length).replace(/\/.*$/, ''))) return { kind: 'upstream', reason: '' };
  }
  if (key === 'description' || key === 'message') return { kind: 'text', reason: '' };
  if (host?.type === 'apply_expression' && /(^|\.)mkEnableOption$/.test(host.childForFieldName('function')?.text ?? '')) return { kind: 'text', reason: '' };
  if (isSecret) return { kind: null, reason: 'the secret is named in a string here' };
  return { kind: null, reason: key ? `a value of \`${key}\`` : 'a string' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The last name of the binding whose value `node` is, if it is one. */
function bindingKeyOf(node: Node): string | null {
  const binding = node.parent;
  if (binding?.type !== 'binding') return null;
  const attrs = binding.childForFieldName('attrpath')?.namedChildren ?? [];
  const last = attrs[attrs.length - 1];
  return last?.type === 'identifier' ? last.text : last ? stringText(last) : null;
}

function stringText(node: Node): string | null {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'string_expression') return null;
  const parts = node.namedChildren;
  return parts.every((p) => p?.type === 'string_fragment') ? parts.map((p) => p!.text).join('') : null;
}

/** The names an attrpath spells up to and including `attr` (null for an interpolated one). */
function namesUpTo(attrpath: Node, attr: Node): Array<string | null> {
  const names: Array<string | null> = [];
  for (const child of attrpath.namedChildren) {
    if (!child) continue;
    names.push(stringText(child));
    if (child.startIndex === attr.startIndex) break;
  }
  return names;
}

/** The attribute path at which a binding lands, through the attrsets that hold it (ignoring let/function plumbing). */
function enclosingPath(binding: Node): Array<string | null> {
  const path: Array<string | null> = [];
  for (let cur = binding.parent; cur; cur = cur.parent) {
    if (cur.type === 'binding') {
      const attrs = cur.childForFieldName('attrpath');
      path.unshift(...(attrs ? attrs.namedChildren.map((a) => (a ? stringText(a) : null)) : [null]));
    }
    if (cur.type === 'let_expression') break;
  }
  return path;
}

function endsWith(path: Array<string | null>, tail: string[]): boolean {
  if (path.length < tail.length) return false;
  const head = path.slice(path.length - tail.length);
  return tail.every((seg, i) => head[i] === seg);
}

function classifyAttr(ctx: Context, attrpath: Node, attr: Node, word: string): Classified {
  const host = attrpath.parent;
  const names = namesUpTo(attrpath, attr);
  const isSecret = word !== ctx.name;
  if (stringText(attr) !== word && !(attr.type === 'string_expression' && stringText(attr)?.includes(word))) return { kind: null, reason: 'an attribute name built from this name' };
  const namespaces = [ctx.namespace, ...ctx.aliases];
  if (host?.type === 'select_expression' || host?.type === 'has_attr_expression') {
    const base = host.type === 'select_expression' ? host.childForFieldName('expression') : host.childForFieldName('expression');
    const baseName = base?.type === 'variable_expression' ? base.text : base?.type === 'select_expression' ? base.text : null;
    const full = [...(baseName ? baseName.split('.') : [null]), ...names];
    if (!isSecret && namespaces.some((ns) => endsWith(full, ['config', ...ns, ctx.name]))) return { kind: 'config-read', reason: '' };
    if (isSecret && endsWith(full, ['age', 'secrets', word])) return { kind: 'secret', reason: '' };
    return { kind: null, reason: 'an attribute read here' };
  }
  if (host?.type !== 'binding') return { kind: null, reason: 'an attribute here' };
  const full = [...enclosingPath(host), ...names];
  const owner = { start: host.startIndex, end: host.endIndex, kind: 'binding' as const };
  if (isSecret) {
    if (endsWith(full, ['age', 'secrets', word])) return { kind: 'secret', reason: '', owner };
    if (attr.type === 'string_expression' && ctx.ageFiles.some((f) => stringText(attr) === f)) return { kind: 'secret-file', reason: '', owner };
    return { kind: null, reason: 'an attribute named after the secret' };
  }
  if (endsWith(full, ['virtualisation', 'oci-containers', 'containers', ctx.name])) return { kind: 'container', reason: '', owner };
  if (namespaces.some((ns) => endsWith(full, [...ns, ctx.name]))) return { kind: 'option', reason: '', owner };
  if (attr.type === 'string_expression' && ctx.ageFiles.some((f) => stringText(attr) === f)) return { kind: 'secret-file', reason: '', owner };
  return { kind: null, reason: 'an attribute named like the container' };
}

function classifyPath(ctx: Context, file: string, leaf: Node, offset: number, word: string): Classified {
  const literal = leaf.text;
  const pathNode = leaf.parent;
  const host = pathNode?.parent;
  const listItem = host?.type === 'list_expression' && pathNode ? { start: pathNode.startIndex, end: pathNode.endIndex, kind: 'item' as const } : undefined;
  if (!/^\.{1,2}\//.test(literal)) return { kind: null, reason: 'a path outside the workspace' };
  const dir = path.posix.dirname(file);
  const upTo = path.posix.normalize(path.posix.join(dir, literal.slice(0, offset + word.length)));
  const whole = path.posix.normalize(path.posix.join(dir, literal));
  if (word === ctx.name && ctx.moduleFolder && upTo === ctx.moduleFolder) return { kind: 'import', reason: '', owner: listItem };
  if (word === ctx.name && ctx.routeFile && whole === ctx.routeFile) return { kind: 'route-file', reason: '', owner: listItem };
  if (word !== ctx.name && ctx.ageFiles.includes(whole)) return { kind: 'secret-file', reason: '' };
  return { kind: null, reason: 'a path' };
}
