// Facts that are syntactic by nature (suppression comments, secret references, `cfg`
// bindings, `config.<ns>` reads, command strings). Found with tree-sitter queries, which
// run inside the parser and hand back only the matching nodes: walking every node from
// JavaScript costs about as much as parsing the file again.
import type { Node, Tree } from '../parse/parser';
import { sharedQuery } from '../parse/parser';
import { Src, src as makeSrc } from './source';
import type { PathRef, Suppression } from './summary';
import { parseSuppression } from './suppressions';

export interface SyntaxFacts {
  secretsUsed: Array<{ name: string; src: Src }>;
  assertionSecrets: Set<string>;
  cfgBindings: PathRef[];
  configReads: PathRef[];
  imperativeCommands: Array<{ text: string; src: Src }>;
  networksCreated: Array<{ name: string; src: Src }>;
  suppressions: Suppression[];
}

const COMMENTS = '(comment) @comment';
const STRINGS = '(string_expression) @string (indented_string_expression) @string';
const REFERENCES = `
(binding attrpath: (attrpath . attr: (identifier) @name (#any-of? @name "assertions" "assertion" "cfg"))) @binding
(select_expression expression: (variable_expression) @base (#eq? @base "config")) @select
(has_attr_expression) @has
`;

const HAS_ATTR_CALLS = '(apply_expression function: (apply_expression argument: (string_expression))) @call';

const PODMAN_RUN = /\b(?:podman|docker)\s+(?:container\s+)?(?:run|create)\b/;
const NETWORK_CREATE = /\bpodman\s+network\s+create\s+(?:--?[\w-]+(?:[ =]\S+)?\s+)*([A-Za-z0-9][\w.-]*)/g;

function attrNames(attrpath: Node | null): Array<string | null> {
  const names: Array<string | null> = [];
  if (!attrpath) return names;
  for (let i = 0; i < attrpath.namedChildCount; i++) {
    const a = attrpath.namedChild(i);
    if (!a) continue;
    if (a.type === 'identifier') names.push(a.text);
    else if (a.type === 'string_expression' && a.namedChildCount <= 1) names.push(a.text.slice(1, -1));
    else names.push(null);
  }
  return names;
}

/** `config.age.secrets.<n>…` or `config.age.secrets ? <n>`: the secret's name, if literal. */
function secretName(expression: Node | null, attrpath: Node | null, selectMode: boolean): string | null {
  if (!expression) return null;
  const names = attrNames(attrpath);
  const base = expression.type === 'variable_expression' ? expression.text : expression.type === 'select_expression' ? expression.text.replace(/\s+/g, '') : null;
  if (base === 'config' && names[0] === 'age' && names[1] === 'secrets' && names.length >= 3) return names[2];
  if (base === 'config.age.secrets' && names.length >= 1 && !selectMode) return names[0];
  if (base === 'config.age' && names[0] === 'secrets' && names.length >= 2) return names[1];
  return null;
}

/** The identifiers of `config.a.b.c` up to the first non-identifier. */
function configPath(select: Node): string[] {
  const out: string[] = [];
  for (const name of attrNames(select.childForFieldName('attrpath'))) {
    if (name === null) break;
    out.push(name);
  }
  return out;
}

export function scanSyntax(tree: Tree, file: string, namespaceHead: string): SyntaxFacts {
  const facts: SyntaxFacts = { secretsUsed: [], assertionSecrets: new Set(), cfgBindings: [], configReads: [], imperativeCommands: [], networksCreated: [], suppressions: [] };
  const root = tree.rootNode;
  const text = root.text;

  if (text.includes('hwc-lint')) {
    for (const { node } of sharedQuery(COMMENTS).captures(root)) {
      const suppression = parseSuppression(node.text, makeSrc(file, node));
      if (suppression) facts.suppressions.push(suppression);
    }
  }

  if (/podman|docker/.test(text)) {
    for (const { node } of sharedQuery(STRINGS).captures(root)) {
      const value = node.text;
      if (PODMAN_RUN.test(value)) facts.imperativeCommands.push({ text: value, src: makeSrc(file, node) });
      if (value.includes('network')) for (const m of value.matchAll(NETWORK_CREATE)) facts.networksCreated.push({ name: m[1], src: makeSrc(file, node) });
    }
  }

  if (text.includes('config') || text.includes('cfg')) {
    const assertionSpans: Array<[number, number]> = [];
    const inAssertion = (node: Node) => assertionSpans.some(([s, e]) => node.startIndex >= s && node.endIndex <= e);
    // Captures come in document order, so an assertions binding is seen before what it holds.
    for (const { name, node } of sharedQuery(REFERENCES).captures(root)) {
      if (name === 'binding') {
        const first = node.childForFieldName('attrpath')?.namedChild(0)?.text;
        if (first === 'assertions' || first === 'assertion') assertionSpans.push([node.startIndex, node.endIndex]);
        else if (first === 'cfg' && node.childForFieldName('attrpath')?.namedChildCount === 1) {
          const expression = node.childForFieldName('expression');
          if (expression?.type === 'select_expression' && expression.childForFieldName('expression')?.text === 'config') {
            facts.cfgBindings.push({ path: configPath(expression), src: makeSrc(file, expression) });
          }
        }
      } else if (name === 'select') {
        const base = node.childForFieldName('expression');
        if (base?.text !== 'config') continue;
        const secret = secretName(base, node.childForFieldName('attrpath'), true);
        if (secret !== null) {
          facts.secretsUsed.push({ name: secret, src: makeSrc(file, node) });
          if (inAssertion(node)) facts.assertionSecrets.add(secret);
        }
        const path = configPath(node);
        if (path[0] === namespaceHead && path.length >= 2) facts.configReads.push({ path, src: makeSrc(file, node) });
      } else if (name === 'has') {
        const secret = secretName(node.childForFieldName('expression'), node.childForFieldName('attrpath'), false);
        if (secret !== null && inAssertion(node)) facts.assertionSecrets.add(secret);
      }
    }
    if (assertionSpans.length > 0 && text.includes('hasAttr')) {
      for (const { node } of sharedQuery(HAS_ATTR_CALLS).captures(root)) {
        const secret = hasAttrSecret(node);
        if (secret !== null && inAssertion(node)) facts.assertionSecrets.add(secret);
      }
    }
  }
  return facts;
}

/** `builtins.hasAttr "<n>" config.age.secrets` (or `lib.hasAttr`, `hasAttr`): the secret's name. */
function hasAttrSecret(call: Node): string | null {
  const inner = call.childForFieldName('function');
  const fn = inner?.childForFieldName('function');
  const name = inner?.childForFieldName('argument');
  const set = call.childForFieldName('argument');
  if (!fn || !name || !set || !/^(?:(?:builtins|lib)\.)?hasAttr$/.test(fn.text)) return null;
  if (set.text.replace(/\s+/g, '') !== 'config.age.secrets') return null;
  return name.type === 'string_expression' && name.namedChildCount <= 1 ? name.text.slice(1, -1) : null;
}
