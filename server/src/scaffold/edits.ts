// Minimal insertions into files that already exist: the profile (import + enable), the
// secrets index (the age.secrets declaration) and agenix's secrets.nix (the rule for the
// new .age file). Each edit is one insertion after the line a person would pick, in the
// file's own indentation and style; nothing else in the file moves.
import * as path from 'path';
import type { Range } from '../model/source';
import { evaluate, newContext, rootScope } from '../model/evaluator';
import { attrValues, knownText, type Value } from '../model/values';
import { withTree, type Node } from '../parse/parser';
import { FlatBinding, TextLines, attrName, bindingSetOf, flatBindings, indentStep, lastInCategoryGroup, topAttrset } from './nixSyntax';

export interface TextEdit {
  range: Range;
  newText: string;
}

export class EditRefused extends Error {}

function insertAt(position: { line: number; character: number }, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

function requireTop(root: Node, file: string): Node {
  const top = topAttrset(root);
  if (!top) throw new EditRefused(`${file} does not evaluate to an attribute set this tool can edit; make the change by hand`);
  return top;
}

function startsWith(full: Array<string | null>, prefix: string[]): boolean {
  return prefix.length <= full.length && prefix.every((seg, i) => full[i] === seg);
}

/**
 * Adds `bindingText` (one or more lines, first line without indentation) as the last
 * binding of the top-level attrset, after a blank line.
 */
function appendTopBinding(lines: TextLines, top: Node, bindingLines: string[]): TextEdit {
  const set = bindingSetOf(top);
  const eol = lines.eol;
  const step = indentStep(lines);
  if (!set) {
    // `{ }` or `{\n}`: the bindings replace the space between the braces.
    const open = top.child(0)!;
    const close = top.child(top.childCount - 1)!;
    const outer = lines.indentOf(open.startPosition.row);
    const body = bindingLines.map((l) => (l ? outer + step + l : l)).join(eol);
    return { range: { start: { line: open.endPosition.row, character: open.endPosition.column }, end: { line: close.startPosition.row, character: close.startPosition.column } }, newText: `${eol}${body}${eol}${outer}` };
  }
  const last = set.namedChildren.filter((c): c is Node => !!c).at(-1)!;
  const indent = lines.indentOf(set.startPosition.row);
  return insertAt(lines.endOf(last.endPosition.row), `${eol}${eol}${bindingLines.map((l) => (l ? indent + l : l)).join(eol)}`);
}

/** A new line holding `text` after the line where `anchor` ends, indented like `anchor`. */
function lineAfter(lines: TextLines, anchor: Node, text: string, blankBefore = false): TextEdit {
  const indent = lines.indentOf(anchor.startPosition.row);
  return insertAt(lines.endOf(anchor.endPosition.row), `${blankBefore ? lines.eol : ''}${lines.eol}${indent}${text}`);
}

// --- the profile --------------------------------------------------------------------------

export interface ProfileEditInput {
  /** Workspace-relative path of the profile. */
  profile: string;
  /** Workspace-relative folder of the new module. */
  moduleDir: string;
  containersFolder: string;
  category: string;
  /** `hwc.server.containers.<name>.enable` split into segments. */
  enablePath: string[];
}

export interface ProfileEdit {
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

export function planProfileEdit(text: string, input: ProfileEditInput): ProfileEdit {
  return withTree(text, (tree) => {
    const lines = new TextLines(text);
    const top = requireTop(tree.rootNode, input.profile);
    const flat = flatBindings(top);
    const edits: TextEdit[] = [];
    const containersPrefix = input.containersFolder.replace(/\/+$/, '') + '/';

    // imports: next to the other container modules, in the category's group when there is one.
    const importsBinding = flat.find((b) => b.setPrefix.length === 0 && b.path.length === 1 && b.path[0] === 'imports');
    const list = firstList(importsBinding?.binding.childForFieldName('expression') ?? null);
    const items = list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
    const moduleItems = items.filter((item) => {
      if (item.type !== 'path_expression') return false;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(input.profile), item.text));
      return target.startsWith(containersPrefix);
    });
    const importStyle = moduleItems.length > 0 && moduleItems.every((i) => !i.text.endsWith('.nix')) ? 'folder' : 'file';
    const importPath = relativeImport(input.profile, importStyle === 'file' ? `${input.moduleDir}/index.nix` : input.moduleDir);
    if (list) {
      const anchor = lastInCategoryGroup(list, items, input.category) ?? moduleItems.at(-1) ?? items.at(-1);
      if (!anchor) {
        const open = list.child(0)!;
        edits.push(insertAt({ line: open.endPosition.row, character: open.endPosition.column }, ` ${importPath}`));
      } else if (anchor.startPosition.row === list.startPosition.row || anchor.endPosition.row === list.endPosition.row) {
        edits.push(insertAt({ line: anchor.endPosition.row, character: anchor.endPosition.column }, ` ${importPath}`));
      } else {
        edits.push(lineAfter(lines, anchor, importPath));
      }
    } else if (importsBinding) {
      throw new EditRefused(`${input.profile}: \`imports\` is not a list this tool can extend; add \`${importPath}\` by hand`);
    } else {
      edits.push(appendTopBinding(lines, top, [`imports = [ ${importPath} ];`]));
    }

    // enable: after the other modules' `enable = true;`, in the category's group when there is one.
    const namespace = input.enablePath.slice(0, -2);
    const enables = flat.filter(
      (b) => b.path.length === namespace.length + 2 && startsWith(b.path, namespace) && b.path.at(-1) === 'enable' && b.binding.childForFieldName('expression')?.text === 'true' && startsWith(input.enablePath, b.setPrefix as string[]),
    );
    const lastEnable = enables.at(-1);
    if (lastEnable) {
      const sameSet = enables.filter((b) => b.set.startIndex === lastEnable.set.startIndex).map((b) => b.binding);
      const anchor = enables.find((b) => b.binding === lastInCategoryGroup(lastEnable.set, sameSet, input.category)) ?? lastEnable;
      edits.push(lineAfter(lines, anchor.binding, `${input.enablePath.slice(anchor.setPrefix.length).join('.')} = true;`));
    } else {
      edits.push(appendTopBinding(lines, top, [`${input.enablePath.join('.')} = true;`]));
    }
    return { edits, importStyle, importPath };
  });
}

// --- the secrets index --------------------------------------------------------------------

export interface SecretDeclarationInput {
  file: string;
  secretName: string;
  /** The `.age` file relative to the secrets index (`./parts/server/x-env.age`). */
  fileRef: string;
}

function declarationLines(keyPath: string, fileRef: string, mode: string | null, step: string): string[] {
  return [`${keyPath} = {`, `${step}file = ${fileRef};`, ...(mode ? [`${step}mode = ${mode};`] : []), '};'];
}

const quoteKey = (name: string, quoted: boolean) => (quoted || !/^[A-Za-z_][\w'-]*$/.test(name) ? `"${name}"` : name);

/** A new file for the secrets index, when the workspace has none yet. */
export function newSecretsIndex(secretName: string, fileRef: string): string {
  return ['{ ... }:', '{', ...declarationLines(`age.secrets.${quoteKey(secretName, true)}`, fileRef, '"0400"', '  ').map((l) => `  ${l}`), '}', ''].join('\n');
}

export function planSecretDeclaration(text: string, input: SecretDeclarationInput): TextEdit[] {
  return withTree(text, (tree) => {
    const lines = new TextLines(text);
    const top = requireTop(tree.rootNode, input.file);
    const step = indentStep(lines);
    const flat = flatBindings(top);
    const declarations = flat.filter((b) => b.path.length >= 3 && b.path[0] === 'age' && b.path[1] === 'secrets' && b.setPrefix.length <= 2);
    const anchor = declarations.at(-1);
    if (!anchor) return [appendTopBinding(lines, top, declarationLines(`age.secrets.${quoteKey(input.secretName, true)}`, input.fileRef, '"0400"', step))];
    const anchorName = anchor.path[2];
    const modeBinding = flat.find((b) => b.path.length === 4 && b.path[0] === 'age' && b.path[1] === 'secrets' && b.path[2] === anchorName && b.path[3] === 'mode');
    const modeValue = modeBinding?.binding.childForFieldName('expression');
    const mode = modeValue?.type === 'string_expression' ? modeValue.text : null;
    const attrs = anchor.binding.childForFieldName('attrpath')!.namedChildren.filter((c): c is Node => !!c);
    const nameAttr = attrs[2 - anchor.setPrefix.length];
    const key = ['age', 'secrets', quoteKey(input.secretName, nameAttr?.type === 'string_expression')].slice(anchor.setPrefix.length).join('.');
    // The whole declaration the anchor belongs to (`age.secrets.x.file = …;` may be one of several lines).
    const sameSecret = declarations.filter((b) => b.path[2] === anchorName && b.set.startIndex === anchor.set.startIndex);
    const last = sameSecret.at(-1)!.binding;
    const indent = lines.indentOf(last.startPosition.row);
    const blankBefore = lines.isBlank(sameSecret[0].binding.startPosition.row - 1);
    const body = declarationLines(key, input.fileRef, mode, step).map((l) => indent + l);
    return [insertAt(lines.endOf(last.endPosition.row), `${blankBefore ? lines.eol : ''}${lines.eol}${body.join(lines.eol)}`)];
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
