// Facts that are syntactic by nature (suppression comments, secret references, `cfg`
// bindings, `config.<ns>` reads, command strings). Found in one pass over every node of the
// file in document order — also in parts the evaluator never reaches (unused bindings,
// lambdas never applied) — with the same shapes the tree-sitter queries this replaced matched:
//   (comment)  (string_expression) (indented_string_expression)
//   (binding attrpath: (attrpath . attr: (identifier) @name (#any-of? @name "assertions" "assertion" "cfg")))
//   (select_expression expression: (variable_expression) @base (#eq? @base "config"))
//   (has_attr_expression)
//   (apply_expression function: (apply_expression argument: (string_expression)))
import type { Src } from './source';
import type { PathRef, Suppression } from './summary';
import { intern } from './intern';
import { parseSuppression } from './suppressions';
import { F, K, SyntaxTree } from './syntaxTree';

export interface SyntaxFacts {
  secretsUsed: Array<{ name: string; src: Src }>;
  assertionSecrets: Set<string>;
  cfgBindings: PathRef[];
  configReads: PathRef[];
  imperativeCommands: Array<{ text: string; src: Src; oneShotUnit?: boolean }>;
  networksCreated: Array<{ name: string; src: Src }>;
  suppressions: Suppression[];
}

const PODMAN_RUN = /\b(?:podman|docker)\s+(?:container\s+)?(?:run|create)\b/;
const NETWORK_CREATE = /\b(?:podman|docker)\s+network\s+create\s+(?:--?[\w-]+(?:[ =]\S+)?\s+)*([A-Za-z0-9][\w.-]*)/g;

function attrNames(t: SyntaxTree, attrpath: number): Array<string | null> {
  const names: Array<string | null> = [];
  for (let a = t.firstNamed(attrpath); a >= 0; a = t.nextNamed(a)) {
    if (t.kind[a] === K.Identifier) names.push(intern(t.text(a)));
    else if (t.kind[a] === K.String && t.namedCount(a) <= 1) names.push(intern(t.text(a).slice(1, -1)));
    else names.push(null);
  }
  return names;
}

/** `config.age.secrets.<n>…` or `config.age.secrets ? <n>`: the secret's name, if literal. */
function secretName(t: SyntaxTree, expression: number, attrpath: number, selectMode: boolean): string | null {
  if (expression < 0) return null;
  const names = attrNames(t, attrpath);
  const kind = t.kind[expression];
  const base = kind === K.Variable ? t.text(expression) : kind === K.Select ? t.text(expression).replace(/\s+/g, '') : null;
  if (base === 'config' && names[0] === 'age' && names[1] === 'secrets' && names.length >= 3) return names[2];
  if (base === 'config.age.secrets' && names.length >= 1 && !selectMode) return names[0];
  if (base === 'config.age' && names[0] === 'secrets' && names.length >= 2) return names[1];
  return null;
}

/** The identifiers of `config.a.b.c` up to the first non-identifier. */
function configPath(t: SyntaxTree, select: number): string[] {
  const names = attrNames(t, t.child(select, F.Attrpath));
  const end = names.indexOf(null);
  return names.slice(0, end < 0 ? names.length : end) as string[];
}

const REFERENCE_NAMES = new Set(['assertions', 'assertion', 'cfg']);

export function scanSyntax(t: SyntaxTree, file: string, namespaceHead: string): SyntaxFacts {
  const facts: SyntaxFacts = { secretsUsed: [], assertionSecrets: new Set(), cfgBindings: [], configReads: [], imperativeCommands: [], networksCreated: [], suppressions: [] };
  const text = t.text(0);
  const comments = text.includes('hwc-lint');
  const strings = /podman|docker/.test(text);
  const references = text.includes('config') || text.includes('cfg');
  if (!comments && !strings && !references) return facts;
  const assertionSpans: Array<[number, number]> = [];
  const inAssertion = (node: number) => assertionSpans.some(([s, e]) => t.start[node] >= s && t.end[node] <= e);
  const hasAttrCalls: number[] = [];
  // Units that run once (`Type = "oneshot"`, `startAt`): a `podman run --rm` there is a job, not a container (rules.md v2 §10).
  const units = strings && /oneshot|startAt/.test(text);
  const oneShot: Array<[number, number]> = [];
  const commandNodes: number[] = [];
  // Nodes are numbered in document order, so an assertions binding is seen before what it holds.
  for (let node = 0; node < t.count; node++) {
    switch (t.kind[node]) {
      case K.Comment:
        if (comments) {
          const suppression = parseSuppression(t.text(node), t.src(file, node));
          if (suppression) facts.suppressions.push(suppression);
        }
        break;
      case K.String:
      case K.IndentedString:
        if (strings) {
          const value = t.text(node);
          if (PODMAN_RUN.test(value)) {
            facts.imperativeCommands.push({ text: value, src: t.src(file, node) });
            commandNodes.push(node);
          }
          if (value.includes('network')) for (const m of value.matchAll(NETWORK_CREATE)) facts.networksCreated.push({ name: m[1], src: t.src(file, node) });
        }
        break;
      case K.Binding:
        if (references) bindingFacts(t, node, file, facts, assertionSpans);
        break;
      case K.BindingSet:
        if (units) oneShotSpans(t, node, oneShot);
        break;
      case K.Select: {
        const base = t.child(node, F.Expression);
        if (!references || base < 0 || t.kind[base] !== K.Variable || t.text(base) !== 'config') break;
        const secret = secretName(t, base, t.child(node, F.Attrpath), true);
        if (secret !== null) {
          facts.secretsUsed.push({ name: secret, src: t.src(file, node) });
          if (inAssertion(node)) facts.assertionSecrets.add(secret);
        }
        const path = configPath(t, node);
        if (path[0] === namespaceHead && path.length >= 2) facts.configReads.push({ path, src: t.src(file, node) });
        break;
      }
      case K.HasAttr:
        if (references) {
          const secret = secretName(t, t.child(node, F.Expression), t.child(node, F.Attrpath), false);
          if (secret !== null && inAssertion(node)) facts.assertionSecrets.add(secret);
        }
        break;
      case K.Apply: {
        const inner = t.child(node, F.Function);
        if (inner >= 0 && t.kind[inner] === K.Apply) {
          const argument = t.child(inner, F.Argument);
          if (argument >= 0 && t.kind[argument] === K.String) hasAttrCalls.push(node);
        }
        break;
      }
      default:
        break;
    }
  }
  commandNodes.forEach((node, i) => {
    if (oneShot.some(([start, end]) => t.start[node] >= start && t.end[node] <= end)) facts.imperativeCommands[i].oneShotUnit = true;
  });
  if (references && assertionSpans.length > 0 && text.includes('hasAttr')) {
    for (const call of hasAttrCalls) {
      const secret = hasAttrSecret(t, call);
      if (secret !== null && inAssertion(call)) facts.assertionSecrets.add(secret);
    }
  }
  return facts;
}

/**
 * The extents, within one binding set, of systemd units that run once: a set holding
 * `startAt = …`, `serviceConfig.Type = "oneshot"` or `serviceConfig = { Type = "oneshot"; … }`
 * (the whole set), or the bindings sharing the dotted prefix of such a binding
 * (`systemd.services.backup.startAt = …;` beside `systemd.services.backup.script = …;`).
 */
function oneShotSpans(t: SyntaxTree, set: number, out: Array<[number, number]>): void {
  const bindings: Array<{ node: number; names: Array<string | null> }> = [];
  for (let b = t.firstNamed(set); b >= 0; b = t.nextNamed(b)) if (t.kind[b] === K.Binding) bindings.push({ node: b, names: attrNames(t, t.child(b, F.Attrpath)) });
  for (const { node, names } of bindings) {
    const unit = oneShotUnitPath(t, node, names);
    if (unit === null) continue;
    if (unit.length === 0) out.push([t.start[set], t.end[set]]);
    else for (const other of bindings) if (unit.every((name, i) => other.names[i] === name)) out.push([t.start[other.node], t.end[other.node]]);
  }
}

/** For a binding that marks its unit as one-shot, the attribute path of that unit relative to the binding's set. */
function oneShotUnitPath(t: SyntaxTree, binding: number, names: Array<string | null>): Array<string | null> | null {
  const n = names.length;
  const value = t.child(binding, F.Expression);
  if (names[n - 1] === 'startAt') return names.slice(0, -1);
  if (n >= 2 && names[n - 2] === 'serviceConfig' && names[n - 1] === 'Type') return isOneshot(t, value) ? names.slice(0, -2) : null;
  if (names[n - 1] === 'serviceConfig' && value >= 0 && (t.kind[value] === K.Attrset || t.kind[value] === K.RecAttrset)) {
    const set = t.namedOfKind(value, K.BindingSet);
    for (let b = set < 0 ? -1 : t.firstNamed(set); b >= 0; b = t.nextNamed(b)) {
      const inner = attrNames(t, t.child(b, F.Attrpath));
      if (inner.length === 1 && inner[0] === 'Type' && isOneshot(t, t.child(b, F.Expression))) return names.slice(0, -1);
    }
  }
  return null;
}

function isOneshot(t: SyntaxTree, value: number): boolean {
  return value >= 0 && t.kind[value] === K.String && t.text(value) === '"oneshot"';
}

/** `assertions = …` (its extent) and `cfg = config.<path>;`. */
function bindingFacts(t: SyntaxTree, binding: number, file: string, facts: SyntaxFacts, assertionSpans: Array<[number, number]>): void {
  const attrpath = t.child(binding, F.Attrpath);
  if (attrpath < 0 || t.kind[attrpath] !== K.Attrpath) return;
  const first = t.firstNamed(attrpath);
  if (first < 0 || t.kind[first] !== K.Identifier || t.field[first] !== F.Attr) return;
  const name = t.text(first);
  if (!REFERENCE_NAMES.has(name)) return;
  if (name === 'assertions' || name === 'assertion') assertionSpans.push([t.start[binding], t.end[binding]]);
  else if (t.nextNamed(first) < 0) {
    const expression = t.child(binding, F.Expression);
    if (expression < 0 || t.kind[expression] !== K.Select) return;
    const base = t.child(expression, F.Expression);
    if (base >= 0 && t.text(base) === 'config') facts.cfgBindings.push({ path: configPath(t, expression), src: t.src(file, expression) });
  }
}

/** `builtins.hasAttr "<n>" config.age.secrets` (or `lib.hasAttr`, `hasAttr`): the secret's name. */
function hasAttrSecret(t: SyntaxTree, call: number): string | null {
  const inner = t.child(call, F.Function);
  const fn = t.child(inner, F.Function);
  const name = t.child(inner, F.Argument);
  const set = t.child(call, F.Argument);
  if (fn < 0 || name < 0 || set < 0 || !/^(?:(?:builtins|lib)\.)?hasAttr$/.test(t.text(fn))) return null;
  if (t.text(set).replace(/\s+/g, '') !== 'config.age.secrets') return null;
  return t.kind[name] === K.String && t.namedCount(name) <= 1 ? t.text(name).slice(1, -1) : null;
}
