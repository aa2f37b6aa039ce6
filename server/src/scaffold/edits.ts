// Minimal insertions into files that already exist, in the form and place the repository
// already uses: the module's import (next to its siblings in the file that imports
// container modules, in their order), its enable line (next to the other enable lines),
// the age.secrets declaration (beside the others, inside `config = { … }` when the file is
// an explicit module) and agenix's rule for the new .age file. Each edit is one insertion
// in the file's own indentation; nothing else in the file moves.
import * as path from 'path';
import type { Range } from '../model/source';
import { evaluate, newContext, rootScope } from '../model/evaluator';
import { attrValues, knownText, type Value } from '../model/values';
import { withTree, type Node, type Tree } from '../parse/parser';
import { ATTRSETS, bindingNames, configBindings, configBlock, insertIntoAttrset, lines as snippetLines, membersOf, moduleBody, pathTaken, unwrapParens, type ConfigBinding } from '../fixes/syntax';
import { eol, indentBlock, indentOf, indentUnit, lineStartOf, startsLine, toRange } from '../fixes/text';
import type { TextEdit as OffsetEdit } from '../fixes/types';
import { FlatBinding, TextLines, bindingSetOf, flatBindings, lastInCategoryGroup, topAttrset } from './nixSyntax';

export interface TextEdit {
  range: Range;
  newText: string;
}

export class EditRefused extends Error {}

function insertAt(position: { line: number; character: number }, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

function lsp(text: string, edit: OffsetEdit): TextEdit {
  return { range: toRange(text, edit), newText: edit.newText };
}

function requireBody(tree: Tree, file: string): Node {
  const body = moduleBody(tree);
  if (!body || !ATTRSETS.has(body.type)) throw new EditRefused(`${file} does not evaluate to an attribute set this tool can edit; make the change by hand`);
  return body;
}

/**
 * The module's config attrset (the body, or `config = { … }`'s attrset in an explicit
 * module, through mkIf/mkMerge); refused when there is none this tool can write into.
 */
function requireConfigBlock(tree: Tree, file: string, what: string): Node {
  requireBody(tree, file);
  const block = configBlock(tree, null);
  if (!block) throw new EditRefused(`${file}: its \`config\` is not an attribute set this tool can extend; add ${what} by hand`);
  return block;
}

/**
 * A binding appended as the last member of `attrset`; after a blank line when the
 * attrset has members (a new group, not glued to whatever came last).
 */
export function appendBinding(text: string, attrset: Node, block: (unit: string) => string, inline: string, newGroup = true): OffsetEdit {
  const nl = eol(text);
  if (membersOf(attrset).length === 0 && attrset.startPosition.row === attrset.endPosition.row) {
    // `{ }`: opened up, the way the file would have been written with something in it.
    const open = attrset.children.find((c) => c?.type === '{')!;
    const close = attrset.children[attrset.children.length - 1]!;
    const outer = indentOf(text, attrset.startIndex);
    const unit = indentUnit(text);
    return { start: open.endIndex, end: close.startIndex, newText: `${nl}${outer}${unit}${indentBlock(block(unit), outer + unit, nl)}${nl}${outer}` };
  }
  const edit = insertIntoAttrset(text, attrset, (unit) => ({ block: block(unit), inline }));
  if (newGroup && membersOf(attrset).length > 0 && edit.newText.startsWith(nl) && !edit.newText.startsWith(nl + nl)) return { ...edit, newText: nl + edit.newText };
  return edit;
}

/** Compares import paths and attribute names the way a person sorts them. */
const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en');

function isSorted(texts: string[]): boolean {
  return texts.length >= 2 && texts.every((t, i) => i === 0 || byName(texts[i - 1], t) <= 0);
}

/** A new item `text` among `siblings` (nodes of one list or attrset): in order when they are sorted, else after the last. */
function placeAmong<T>(siblings: T[], key: (s: T) => string, newKey: string): { after: T } | { before: T } | null {
  if (siblings.length === 0) return null;
  if (isSorted(siblings.map(key))) {
    const next = siblings.find((s) => byName(key(s), newKey) > 0);
    if (next) return { before: next };
  }
  return { after: siblings[siblings.length - 1] };
}

/** A line holding `line` just above `node`, indented like it; on one-line lists, `line ` before it. */
function lineBefore(text: string, node: Node, line: string): OffsetEdit {
  if (!startsLine(text, node.startIndex)) return { start: node.startIndex, end: node.startIndex, newText: `${line} ` };
  const lineStart = lineStartOf(text, node.startIndex);
  if (lineStart === 0) return { start: 0, end: 0, newText: `${indentOf(text, node.startIndex)}${line}${eol(text)}` };
  // At the end of the line above, so every insertion starts with a line break (as `hwc new --dry-run` shows them).
  const at = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
  return { start: at, end: at, newText: `${eol(text)}${indentOf(text, node.startIndex)}${line}` };
}

/** A line holding `line` just below `node` (after a trailing comment), indented like it; on one line, ` line` after it. */
function lineAfterNode(text: string, node: Node, line: string): OffsetEdit {
  if (!startsLine(text, node.startIndex)) return { start: node.endIndex, end: node.endIndex, newText: ` ${line}` };
  let end = text.indexOf('\n', node.endIndex);
  if (end < 0) end = text.length;
  if (text[end - 1] === '\r') end--;
  const rest = text.slice(node.endIndex, end).trim();
  const at = rest === '' || rest.startsWith('#') ? end : node.endIndex;
  return { start: at, end: at, newText: `${eol(text)}${indentOf(text, node.startIndex)}${line}` };
}

// --- the module's import ------------------------------------------------------------------

export interface ImportEditInput {
  /** Workspace-relative path of the file whose `imports` list container modules (modulesImportFile, else the profile). */
  file: string;
  /** Workspace-relative folder of the new module. */
  moduleDir: string;
  containersFolder: string;
  category: string;
  /** The file that enters the module (default `<moduleDir>/index.nix`), imported when the siblings name files. */
  entry?: string;
  /** Whether the folder itself can be imported (it has, or gets, a default.nix); default true. */
  folderImportable?: boolean;
  /** Modules of the same state category: their group is the new one's when no heading names the category. */
  peers?: string[];
  /** A binding added at the end starts a group of its own after a blank line (default), or follows the attrset's spacing. */
  newGroup?: boolean;
}

export interface ImportEdit {
  edits: TextEdit[];
  /** `file`: imports name `…/<name>/index.nix`; `folder`: imports name the folder (needs a default.nix). */
  importStyle: 'file' | 'folder';
  importPath: string;
}

function relativeImport(fromFile: string, target: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), target);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function firstList(node: Node | null): Node | null {
  if (!node) return null;
  if (node.type === 'list_expression') return node;
  for (const child of node.namedChildren) {
    const found = firstList(child);
    if (found) return found;
  }
  return null;
}

export function planImportIn(text: string, tree: Tree, input: ImportEditInput): { edit: OffsetEdit; importStyle: 'file' | 'folder'; importPath: string } {
  const body = requireBody(tree, input.file);
  const containersPrefix = input.containersFolder.replace(/\/+$/, '') + '/';
  const importsBinding = membersOf(body).find((m) => m.type === 'binding' && bindingNames(m).join('.') === 'imports');
  const list = firstList(importsBinding?.childForFieldName('expression') ?? null);
  const items = list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
  const moduleItems = items.filter((item) => {
    if (item.type !== 'path_expression') return false;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(input.file), item.text));
    return target.startsWith(containersPrefix);
  });
  // Like the siblings; without siblings, a module entered by its default.nix is imported by its folder.
  const foldersLikeSiblings = moduleItems.length > 0 ? moduleItems.every((i) => !i.text.endsWith('.nix')) : !!input.entry?.endsWith('/default.nix');
  const importStyle = foldersLikeSiblings && input.folderImportable !== false ? 'folder' : 'file';
  const importPath = relativeImport(input.file, importStyle === 'file' ? input.entry ?? `${input.moduleDir}/index.nix` : input.moduleDir);
  if (!list) {
    if (importsBinding) throw new EditRefused(`${input.file}: \`imports\` is not a list this tool can extend; add \`${importPath}\` by hand`);
    return { edit: appendBinding(text, body, () => `imports = [ ${importPath} ];`, `imports = [ ${importPath} ];`, input.newGroup), importStyle, importPath };
  }
  // Among the siblings of its category's group when there is one, else among all module imports; sorted when they are.
  const peers = new Set(input.peers ?? []);
  const group = groupMembers(list, items, input.category, (item) => peers.has(importedModule(input.file, item, containersPrefix) ?? ''));
  const siblings = group.length > 0 ? group : moduleItems.length > 0 ? moduleItems : items;
  const place = placeAmong(siblings, (n) => n.text, importPath);
  // Tagged as a list item, so fix-all may put two imports at one place in one pass.
  const join = `item:${importPath}`;
  if (!place) {
    const open = list.child(0)!;
    return { edit: { start: open.endIndex, end: open.endIndex, newText: ` ${importPath}`, join }, importStyle, importPath };
  }
  return { edit: { ...('before' in place ? lineBefore(text, place.before, importPath) : lineAfterNode(text, place.after, importPath)), join }, importStyle, importPath };
}

const isHeading = (comment: Node) => /^#\s*[A-Za-z]/.test(comment.text) && !comment.text.includes('hwc-lint');

/** The items (of `items`) in the comment-headed group of `container` that holds `member`. */
function groupAround(set: Node, items: Node[], member: Node): Node[] {
  const wanted = new Set(items.map((n) => n.startIndex));
  const children = set.namedChildren.filter((c): c is Node => !!c);
  const at = children.findIndex((c) => c.startIndex === member.startIndex);
  const members: Node[] = [member];
  for (let i = at - 1; i >= 0 && !(children[i].type === 'comment' && isHeading(children[i])); i--) if (wanted.has(children[i].startIndex)) members.unshift(children[i]);
  for (let i = at + 1; i < children.length && !(children[i].type === 'comment' && isHeading(children[i])); i++) if (wanted.has(children[i].startIndex)) members.push(children[i]);
  return members;
}

/**
 * The group a new module of `category` joins: the one whose heading comment names the
 * category (`# Media`), else the one holding the last module of the same category
 * (`peers`: `# Library` above sonarr and radarr); empty when there is neither.
 */
function groupMembers(container: Node, items: Node[], category: string, peerOf: (item: Node) => boolean = () => false): Node[] {
  const set = container.type === 'list_expression' ? container : bindingSetOf(container) ?? container;
  const named = lastInCategoryGroup(set, items, category);
  if (named) return groupAround(set, items, named);
  const hasHeadings = set.namedChildren.some((c) => c?.type === 'comment' && isHeading(c));
  const peer = hasHeadings ? [...items].reverse().find(peerOf) : undefined;
  return peer ? groupAround(set, items, peer) : [];
}

/** The module folder an import names (`../containers/sonarr/index.nix`, `./sonarr`), relative to the containers folder. */
function importedModule(fromFile: string, item: Node, containersPrefix: string): string | null {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), item.text));
  return target.startsWith(containersPrefix) ? target.slice(containersPrefix.length).split('/')[0] : null;
}

export function planImportEdit(text: string, input: ImportEditInput): ImportEdit {
  return withTree(text, (tree) => {
    const { edit, importStyle, importPath } = planImportIn(text, tree, input);
    return { edits: [lsp(text, edit)], importStyle, importPath };
  });
}

// --- the enable line ------------------------------------------------------------------------

export interface EnableEditInput {
  /** Workspace-relative path of the profile. */
  file: string;
  /** `hwc.server.containers.<name>.enable` split into segments. */
  enablePath: string[];
  category: string;
  /** Other namespaces that alias the container namespace (`namespaceAliases`): their enable lines are siblings too. */
  namespaceAliases?: string[];
  /** As in ImportEditInput. */
  peers?: string[];
  /** As in ImportEditInput. */
  newGroup?: boolean;
}

/** Values of an enable line that switch a module on, as people write them (copied for the new line). */
const ON_VALUES = /^(true|(lib\.)?mk(Default|Force) true)$/;

interface EnableSibling {
  /** The binding that names the module: `a.enable = true;`, or `a = { enable = true; };`. */
  entry: ConfigBinding;
  /** The namespace it is written under (the container namespace or one of its aliases). */
  namespace: string[];
  name: string;
  /** The value as written (`true`, `lib.mkDefault true`), copied for the new line. */
  value: string;
}

/** The enable lines that switch modules on, under the namespace or an alias, in document order. */
function enableSiblings(all: ConfigBinding[], namespaces: string[][]): EnableSibling[] {
  const out: EnableSibling[] = [];
  for (const b of all) {
    const value = unwrapParens(b.binding.childForFieldName('expression'));
    if (b.path.at(-1) !== 'enable' || !value || !ON_VALUES.test(value.text.replace(/\s+/g, ' '))) continue;
    const namespace = namespaces.find((ns) => b.path.length === ns.length + 2 && ns.every((seg, i) => b.path[i] === seg));
    if (!namespace) continue;
    let entry: ConfigBinding | undefined = b;
    if (b.prefix.length > namespace.length) {
      entry = all.find((o) => o.path.length === namespace.length + 1 && o.prefix.length <= namespace.length && o.path.every((seg, i) => seg === b.path[i]) && o.binding.startIndex <= b.binding.startIndex && b.binding.endIndex <= o.binding.endIndex);
    }
    if (entry && !out.some((o) => o.entry.binding.id === entry!.binding.id)) out.push({ entry, namespace, name: b.path[namespace.length], value: value.text });
  }
  return out;
}

export function planEnableIn(text: string, tree: Tree, input: EnableEditInput): OffsetEdit {
  const namespace = input.enablePath.slice(0, -2);
  const newName = input.enablePath[input.enablePath.length - 2];
  const block = requireConfigBlock(tree, input.file, `\`${input.enablePath.join('.')} = true;\``);
  const namespaces = [namespace, ...(input.namespaceAliases ?? []).map((a) => a.split('.'))];
  const enables = enableSiblings(configBindings(tree), namespaces);
  const last = enables.at(-1);
  if (!last) {
    if (pathTaken(block, input.enablePath)) throw new EditRefused(`${input.file}: \`${input.enablePath.join('.')}\` is already set there`);
    const line = `${input.enablePath.join('.')} = true;`;
    return appendBinding(text, block, () => line, line, input.newGroup);
  }
  // The siblings written in the same attrset as the last one, in its category's group when there is one.
  const sameSet = enables.filter((b) => b.entry.attrset.id === last.entry.attrset.id && b.entry.prefix.length === last.entry.prefix.length);
  const peers = new Set(input.peers ?? []);
  const group = groupMembers(last.entry.attrset, sameSet.map((b) => b.entry.binding), input.category, (node) => sameSet.some((b) => b.entry.binding.id === node.id && peers.has(b.name)));
  const siblings = group.length > 0 ? sameSet.filter((b) => group.some((g) => g.id === b.entry.binding.id)) : sameSet;
  // Under the namespace the siblings use (an alias works like the namespace itself).
  const key = [...last.namespace, newName, 'enable'].slice(last.entry.prefix.length);
  if (key.length === 0 || pathTaken(last.entry.attrset, key)) throw new EditRefused(`${input.file}: \`${input.enablePath.join('.')}\` is already set there`);
  const line = `${key.map(attrKey).join('.')} = ${last.value};`;
  const place = placeAmong(siblings, (b) => b.name, newName)!;
  const edit = 'before' in place ? lineBefore(text, place.before.entry.binding, line) : lineAfterNode(text, place.after.entry.binding, line);
  return { ...edit, join: `binding:${input.enablePath.join('.')}` };
}

/** An attribute name as written in a path: bare when Nix allows it. */
function attrKey(name: string): string {
  return /^[A-Za-z_][\w'-]*$/.test(name) ? name : JSON.stringify(name);
}

export function planEnableEdit(text: string, input: EnableEditInput): TextEdit[] {
  return withTree(text, (tree) => [lsp(text, planEnableIn(text, tree, input))]);
}

// --- the profile: import and enable in one file ----------------------------------------------

export interface ProfileEditInput {
  /** Workspace-relative path of the profile. */
  profile: string;
  /** Workspace-relative folder of the new module. */
  moduleDir: string;
  containersFolder: string;
  category: string;
  /** `hwc.server.containers.<name>.enable` split into segments. */
  enablePath: string[];
  namespaceAliases?: string[];
  peers?: string[];
}

/** The import and the enable line, both in the profile (repositories without a separate modules import file). */
export function planProfileEdit(text: string, input: ProfileEditInput): ImportEdit {
  return withTree(text, (tree) => {
    const imported = planImportIn(text, tree, { file: input.profile, moduleDir: input.moduleDir, containersFolder: input.containersFolder, category: input.category, peers: input.peers });
    const enable = planEnableIn(text, tree, { file: input.profile, enablePath: input.enablePath, category: input.category, namespaceAliases: input.namespaceAliases, peers: input.peers });
    // Both may land at one offset (the end of the attrset): the import first.
    return { edits: [lsp(text, imported.edit), lsp(text, enable)], importStyle: imported.importStyle, importPath: imported.importPath };
  });
}

// --- the secrets index --------------------------------------------------------------------

export interface SecretDeclarationInput {
  file: string;
  secretName: string;
  /** The `.age` file relative to the secrets index (`./parts/server/x-env.age`). */
  fileRef: string;
  /** Attributes after `file` as Nix expressions (`mode`, `owner`, `group`); absent: the mode of the neighbouring declaration. */
  settings?: Array<[string, string]>;
}

function declarationLines(keyPath: string, fileRef: string, mode: string | null, settings?: Array<[string, string]>): Array<[number, string]> {
  const after = settings ?? (mode ? [['mode', mode] as [string, string]] : []);
  return [[0, `${keyPath} = {`], [1, `file = ${fileRef};`], ...after.map(([k, v]) => [1, `${k} = ${v};`] as [number, string]), [0, '};']];
}

const inlineSettings = (settings: Array<[string, string]>) => settings.map(([k, v]) => ` ${k} = ${v};`).join('');

const quoteKey = (name: string, quoted: boolean) => (quoted || !/^[A-Za-z_][\w'-]*$/.test(name) ? `"${name}"` : name);

/** A new file for the secrets index, when the workspace has none yet. */
export function newSecretsIndex(secretName: string, fileRef: string, settings?: Array<[string, string]>): string {
  return ['{ ... }:', '{', ...declarationLines(`age.secrets.${quoteKey(secretName, true)}`, fileRef, '"0400"', settings).map(([depth, l]) => `${'  '.repeat(depth + 1)}${l}`), '}', ''].join('\n');
}

/** Was the secret's name written quoted in the declaration `b` (`age.secrets."a"`, `"a" = { … }`)? */
function nameQuoted(b: ConfigBinding): boolean {
  const attrs = b.binding.childForFieldName('attrpath')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  return attrs[2 - b.prefix.length]?.type === 'string_expression';
}

export function planSecretDeclaration(text: string, input: SecretDeclarationInput): TextEdit[] {
  return withTree(text, (tree) => {
    // Declarations whose own attribute path names the secret (`age.secrets.a = …`, `a = { … }` under `age.secrets = {`, `age.secrets.a.file = …`).
    const all = configBindings(tree).filter((b) => b.path.length >= 3 && b.path[0] === 'age' && b.path[1] === 'secrets');
    const declarations = all.filter((b) => b.prefix.length <= 2);
    const anchor = declarations.at(-1);
    if (!anchor) {
      const block = requireConfigBlock(tree, input.file, `the declaration of \`${input.secretName}\``);
      const keyPath = ['age', 'secrets', quoteKey(input.secretName, true)];
      if (pathTaken(block, ['age', 'secrets', input.secretName])) throw new EditRefused(`${input.file}: \`age.secrets\` is not an attribute set this tool can add \`${input.secretName}\` to; declare it by hand`);
      const settings = input.settings ?? [['mode', '"0400"']];
      const body = (unit: string) => snippetLines(declarationLines(keyPath.join('.'), input.fileRef, null, settings), unit);
      return [lsp(text, appendBinding(text, block, body, `${keyPath.join('.')} = { file = ${input.fileRef};${inlineSettings(settings)} };`))];
    }
    const anchorName = anchor.path[2];
    const mode = all.find((b) => b.path.length === 4 && b.path[2] === anchorName && b.path[3] === 'mode' && b.binding.childForFieldName('expression')?.type === 'string_expression');
    const modeText = mode ? mode.binding.childForFieldName('expression')!.text : null;
    const key = ['age', 'secrets', quoteKey(input.secretName, nameQuoted(anchor))].slice(anchor.prefix.length).join('.');
    if (pathTaken(anchor.attrset, ['age', 'secrets', input.secretName].slice(anchor.prefix.length))) throw new EditRefused(`${input.file}: \`${input.secretName}\` is already declared there`);
    // After the whole declaration the anchor belongs to (`age.secrets.x.file = …;` may be one of several lines).
    const sameSecret = declarations.filter((b) => b.path[2] === anchorName && b.attrset.id === anchor.attrset.id);
    const last = sameSecret.at(-1)!.binding;
    const first = sameSecret[0].binding;
    const members = membersOf(anchor.attrset);
    const index = members.findIndex((m) => m.id === first.id);
    const spaced = index > 0 && /\n[ \t]*\r?\n/.test(text.slice(members[index - 1].endIndex, first.startIndex));
    const settings = input.settings ?? (modeText ? [['mode', modeText] as [string, string]] : []);
    const edit = insertIntoAttrset(text, anchor.attrset, (unit) => ({ block: snippetLines(declarationLines(key, input.fileRef, null, settings), unit), inline: `${key} = { file = ${input.fileRef};${inlineSettings(settings)} };` }), last, 'tight');
    return [lsp(text, spaced && edit.newText.startsWith(eol(text)) ? { ...edit, newText: eol(text) + edit.newText } : edit)];
  });
}

// --- agenix's secrets.nix -------------------------------------------------------------------

export interface AgenixRules {
  /** Recipients of the rule the new file's rule is modelled on; null when they are not all literal. */
  recipients: string[] | null;
  /** Where the new rule goes and what it looks like (the model rule with the new path). */
  plan: (newKey: string) => TextEdit | null;
}

function flattenRecipients(value: Value, out: string[]): boolean {
  if (value.k === 'str') {
    const text = knownText(value.parts);
    if (text === null) return false;
    out.push(text);
    return true;
  }
  if (value.k === 'list') return value.items.every((item) => flattenRecipients(item, out));
  if (value.k === 'merge') return value.items.every((item) => flattenRecipients(item, out));
  return false;
}

/**
 * Reads agenix's rules file: `{ "<path>.age".publicKeys = [ … ]; … }` (possibly under a
 * `let`). The model rule is the last one for a file in `folderKey` (else the last one).
 */
export function readAgenixRules(text: string, file: string, folderKey: string): AgenixRules {
  return withTree(text, (tree) => {
    const lines = new TextLines(text);
    const top = topAttrset(tree.rootNode);
    const rules: FlatBinding[] = top
      ? flatBindings(top).filter((b) => b.setPrefix.length === 0 && b.binding.childForFieldName('attrpath')?.namedChild(0)?.type === 'string_expression' && typeof b.path[0] === 'string' && b.path[0]!.endsWith('.age'))
      : [];
    const model = rules.filter((r) => r.path[0]!.startsWith(folderKey.replace(/\/?$/, '/'))).at(-1) ?? rules.at(-1);
    if (!model) return { recipients: null, plan: () => null };
    const body = tree.rootNode.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
    const fileValue = evaluate(body, rootScope(), newContext(file, new Set()));
    const recipients: string[] = [];
    let complete = false;
    for (const rule of attrValues(fileValue, model.path[0]!)) for (const keys of attrValues(rule, 'publicKeys')) complete = flattenRecipients(keys, recipients);
    // Everything the plan needs is copied out now: the tree is freed when this returns.
    const keyNode = model.binding.childForFieldName('attrpath')!.namedChild(0)!;
    const modelText = text.slice(model.binding.startIndex, model.binding.endIndex);
    const keyStart = keyNode.startIndex - model.binding.startIndex;
    const keyEnd = keyNode.endIndex - model.binding.startIndex;
    const at = lines.endOf(model.binding.endPosition.row);
    const indent = lines.indentOf(model.binding.startPosition.row);
    return {
      recipients: complete && recipients.length > 0 ? [...new Set(recipients)] : null,
      // The model may be one of several rules on one line; ours goes on a line of its own.
      plan: (newKey: string) => insertAt(at, `${lines.eol}${indent}${modelText.slice(0, keyStart)}"${newKey}"${modelText.slice(keyEnd)}`),
    };
  });
}

/** Where agenix's rules file is: the nearest `secrets.nix` from the secrets folder up to the root. */
export function agenixRulesCandidates(secretsFolder: string): string[] {
  const out: string[] = [];
  for (let dir = secretsFolder.replace(/\/+$/, ''); ; dir = path.posix.dirname(dir)) {
    out.push(dir === '.' || dir === '' ? 'secrets.nix' : `${dir}/secrets.nix`);
    if (dir === '.' || dir === '' || !dir.includes('/')) {
      if (dir !== '.' && dir !== '') out.push('secrets.nix');
      break;
    }
  }
  return [...new Set(out)];
}
