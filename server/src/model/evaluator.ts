// A small static evaluator for the Nix that container modules are written in. It knows
// literals, `let`, attrsets (dotted, nested, rec, inherit), lists, `++`, `+`, `//`,
// `if` (both branches), `x or y`, `with lib;`, simple lambdas, and the lib functions
// modules use (mkIf, mkMerge, mkDefault/mkForce, optional(s), mkOption, toString…).
// What it cannot know becomes `unknown`; `config.<path>` stays a symbolic reference.
import type { Node } from '../parse/parser';
import { Src, src as makeSrc } from './source';
import { AttrEntry, StrPart, StrValue, Value, joinParts, knownText, unknown } from './values';

const MAX_DEPTH = 120;

/** Arity of the library functions the evaluator models. */
const LIB_ARITY: Record<string, number> = {
  mkIf: 2, mkMerge: 1, mkDefault: 1, mkForce: 1, mkOverride: 2, mkBefore: 1, mkAfter: 1, mkOrder: 2,
  optional: 2, optionals: 2, optionalString: 2, optionalAttrs: 2, mkOption: 1, mkEnableOption: 1,
  toString: 1, mkRenamedOptionModule: 2, mkAliasOptionModule: 2, concatStringsSep: 2, mkPackageOption: 3,
  map: 2, genAttrs: 2, mapAttrs: 2, listToAttrs: 1,
};

interface ScopeEntry {
  node?: Node;
  scope?: Scope;
  value?: Value;
  evaluating?: boolean;
  /** `inherit (expr) name;`: select `name` from expr. */
  inheritFrom?: { node: Node; scope: Scope; name: string };
}

export class Scope {
  constructor(
    readonly parent: Scope | null,
    readonly vars: Map<string, ScopeEntry> = new Map(),
    /** `with lib;` (true) or `with <something unknown>;` ('opaque') */
    readonly withEnv: boolean | 'opaque' = false,
  ) {}
  lookup(name: string): ScopeEntry | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const entry = s.vars.get(name);
      if (entry) return entry;
    }
    return undefined;
  }
  hasWithLib(): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.withEnv === true) return true;
    return false;
  }
}

export interface HelperCall {
  helper: string;
  argument: Value;
  callSrc: Src;
  guarded: boolean;
}

interface Lambda {
  node: Node;
  scope: Scope;
}

export interface EvalContext {
  file: string;
  helperNames: ReadonlySet<string>;
  helperCalls: HelperCall[];
  /** Option path aliases from mkRenamedOptionModule/mkAliasOptionModule: [from, to]. */
  aliases: Array<[string[], string[]]>;
  lambdas: Lambda[];
  depth: number;
  enableGuardDepth: number;
  seenHelperCalls: Set<string>;
  /** Every `config.<path>` / `cfg.<x>` select evaluated, with its source (for editor navigation). */
  refs: Array<{ path: string[]; src: Src }>;
}

export function newContext(file: string, helperNames: ReadonlySet<string>): EvalContext {
  return { file, helperNames, helperCalls: [], aliases: [], lambdas: [], depth: 0, enableGuardDepth: 0, seenHelperCalls: new Set(), refs: [] };
}

function libValue(name: string, source: Src): Value {
  return { k: 'fn', name, args: [], src: source };
}

export function rootScope(): Scope {
  const vars = new Map<string, ScopeEntry>();
  const builtin = (name: string, value: Value) => vars.set(name, { value });
  const nowhere: Src = { file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  builtin('lib', libValue('lib', nowhere));
  builtin('builtins', libValue('builtins', nowhere));
  builtin('toString', libValue('toString', nowhere));
  builtin('map', libValue('map', nowhere));
  builtin('true', { k: 'bool', v: true, src: nowhere });
  builtin('false', { k: 'bool', v: false, src: nowhere });
  builtin('null', { k: 'null', src: nowhere });
  return new Scope(null, vars);
}

/** Binds a module's formals: `config` becomes the root of option references, `lib` the library. */
export function moduleScope(fnNode: Node, parent: Scope, ctx: EvalContext): Scope {
  const vars = new Map<string, ScopeEntry>();
  const formals = fnNode.childForFieldName('formals');
  const universal = fnNode.childForFieldName('universal');
  const here = makeSrc(ctx.file, fnNode);
  const bindFormal = (name: string) => {
    if (name === 'config') vars.set(name, { value: { k: 'ref', path: [], src: here } });
    else if (name === 'lib') vars.set(name, { value: libValue('lib', here) });
    else vars.set(name, { value: unknown(here) });
  };
  if (formals) for (const formal of formals.namedChildren) if (formal?.type === 'formal') bindFormal(formal.childForFieldName('name')?.text ?? '');
  if (universal) bindFormal(universal.text);
  return new Scope(parent, vars);
}

export function evaluate(node: Node | null, scope: Scope, ctx: EvalContext): Value {
  if (!node) return unknown({ file: ctx.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  if (ctx.depth > MAX_DEPTH) return unknown(makeSrc(ctx.file, node));
  ctx.depth++;
  try {
    return evaluateNode(node, scope, ctx);
  } finally {
    ctx.depth--;
  }
}

function evaluateNode(node: Node, scope: Scope, ctx: EvalContext): Value {
  const here = makeSrc(ctx.file, node);
  switch (node.type) {
    case 'parenthesized_expression':
      return evaluate(node.childForFieldName('expression'), scope, ctx);
    case 'string_expression':
    case 'indented_string_expression':
      return evaluateString(node, scope, ctx);
    case 'integer_expression':
      return { k: 'int', v: Number.parseInt(node.text, 10), src: here };
    case 'path_expression':
    case 'hpath_expression':
      return node.namedChildren.some((c) => c?.type === 'interpolation') ? unknown(here) : { k: 'path', v: node.text, src: here };
    case 'uri_expression':
      return { k: 'str', parts: [node.text], src: here };
    case 'variable_expression':
      return lookupVariable(node.text, here, scope, ctx);
    case 'list_expression':
      return { k: 'list', items: node.namedChildren.filter(isExpression).map((c) => evaluate(c, scope, ctx)), src: here };
    case 'attrset_expression':
      return evaluateAttrset(node, scope, ctx, false);
    case 'rec_attrset_expression':
      return evaluateAttrset(node, scope, ctx, true);
    case 'let_expression':
      return evaluate(node.childForFieldName('body'), letScope(node, scope), ctx);
    case 'select_expression':
      return evaluateSelect(node, scope, ctx);
    case 'apply_expression':
      return evaluateApply(node, scope, ctx);
    case 'if_expression':
      return {
        k: 'alt',
        options: [evaluate(node.childForFieldName('consequence'), scope, ctx), evaluate(node.childForFieldName('alternative'), scope, ctx)],
        src: here,
      };
    case 'binary_expression':
      return evaluateBinary(node, scope, ctx);
    case 'with_expression': {
      const environment = evaluate(node.childForFieldName('environment'), scope, ctx);
      const isLib = environment.k === 'fn' && environment.name === 'lib';
      return evaluate(node.childForFieldName('body'), new Scope(scope, new Map(), isLib ? true : 'opaque'), ctx);
    }
    case 'assert_expression':
      return evaluate(node.childForFieldName('body'), scope, ctx);
    case 'function_expression':
      ctx.lambdas.push({ node, scope });
      return { k: 'fn', name: `lambda#${ctx.lambdas.length - 1}`, args: [], src: here };
    default:
      return unknown(here);
  }
}

function isExpression(node: Node | null): node is Node {
  return !!node && node.type !== 'comment' && !node.isError;
}

function lookupVariable(name: string, here: Src, scope: Scope, ctx: EvalContext): Value {
  const entry = scope.lookup(name);
  if (!entry) {
    if (scope.hasWithLib() && (LIB_ARITY[name] !== undefined || name === 'types')) return libValue(name, here);
    return unknown(here);
  }
  return forceEntry(entry, here, ctx);
}

function forceEntry(entry: ScopeEntry, here: Src, ctx: EvalContext): Value {
  if (entry.value) return entry.value;
  if (entry.evaluating) return unknown(here);
  entry.evaluating = true;
  try {
    if (entry.inheritFrom) {
      const base = evaluate(entry.inheritFrom.node, entry.inheritFrom.scope, ctx);
      entry.value = selectKeys(base, [entry.inheritFrom.name], here);
      return entry.value;
    }
    entry.value = evaluate(entry.node ?? null, entry.scope!, ctx);
    return entry.value;
  } finally {
    entry.evaluating = false;
  }
}

/** The scope of a `let … in`: bindings are evaluated lazily, on first use. */
export function letScope(node: Node, parent: Scope): Scope {
  const scope = new Scope(parent);
  for (const child of node.namedChildren) {
    if (child?.type === 'binding_set') addBindingsToScope(child, scope, scope);
  }
  return scope;
}

function addBindingsToScope(bindingSet: Node, target: Scope, evalScope: Scope): void {
  for (const binding of bindingSet.namedChildren) {
    if (!binding) continue;
    if (binding.type === 'binding') {
      const attrpath = binding.childForFieldName('attrpath');
      const first = attrpath?.namedChild(0);
      // Dotted let bindings (`a.b = 1;`) are rare; only plain names enter the scope.
      if (first && attrpath!.namedChildCount === 1 && first.type === 'identifier') {
        target.vars.set(first.text, { node: binding.childForFieldName('expression') ?? undefined, scope: evalScope });
      }
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      const from = binding.type === 'inherit_from' ? binding.childForFieldName('expression') : null;
      const attrs = binding.childForFieldName('attrs');
      for (const attr of attrs?.namedChildren ?? []) {
        if (attr?.type !== 'identifier') continue;
        const name = attr.text;
        if (from) target.vars.set(name, { inheritFrom: { node: from, scope: evalScope, name } });
        else if (evalScope.parent) {
          const outer = evalScope.parent.lookup(name);
          if (outer) target.vars.set(name, outer);
        }
      }
    }
  }
}

function evaluateString(node: Node, scope: Scope, ctx: EvalContext): StrValue {
  const parts: StrPart[] = [];
  const indented = node.type === 'indented_string_expression';
  for (const child of node.namedChildren) {
    if (!child) continue;
    switch (child.type) {
      case 'string_fragment':
        parts.push(child.text);
        break;
      case 'escape_sequence':
        parts.push(indented ? decodeIndentedEscape(child.text) : decodeEscape(child.text));
        break;
      case 'dollar_escape':
        // tree-sitter-nix splits `\${` / `''${` into this escape and a `$` fragment that follows.
        break;
      case 'interpolation':
        parts.push(...interpolate(evaluate(child.childForFieldName('expression'), scope, ctx), makeSrc(ctx.file, child)));
        break;
      default:
        break;
    }
  }
  return { k: 'str', parts: joinParts(indented ? stripIndentation(joinParts(parts)) : parts), src: makeSrc(ctx.file, node) };
}

/**
 * What Nix does to `'' … ''`: drops a first line that holds only spaces and removes the
 * smallest indentation of the lines that hold something (an interpolation counts).
 */
export function stripIndentation(parts: StrPart[]): StrPart[] {
  const lines: StrPart[][] = [[]];
  for (const part of parts) {
    if (typeof part !== 'string') {
      lines[lines.length - 1].push(part);
      continue;
    }
    part.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece !== '') lines[lines.length - 1].push(piece);
    });
  }
  const leading = (line: StrPart[]) => (typeof line[0] === 'string' ? /^ */.exec(line[0])![0].length : 0);
  const blank = (line: StrPart[]) => line.every((p) => typeof p === 'string' && /^ *$/.test(p));
  let indent = Infinity;
  for (const line of lines) if (!blank(line)) indent = Math.min(indent, leading(line));
  if (indent === Infinity) indent = 0;
  if (lines.length > 1 && blank(lines[0])) lines.shift();
  const out: StrPart[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push('\n');
    line.forEach((p, j) => out.push(j === 0 && typeof p === 'string' ? p.slice(Math.min(indent, leading(line))) : p));
  });
  return out;
}

function decodeEscape(text: string): string {
  const c = text.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

function decodeIndentedEscape(text: string): string {
  // ''$ → $, ''' → '', ''\n → newline
  if (text === "'''") return "''";
  if (text.startsWith("''\\")) return decodeEscape(text.slice(2));
  if (text.startsWith("''")) return text.slice(2);
  return text;
}

/** The parts a value contributes when interpolated into a string. */
export function interpolate(value: Value, at: Src): StrPart[] {
  switch (value.k) {
    case 'str':
      return value.parts;
    case 'int':
      return [String(value.v)];
    case 'path':
      return [value.v];
    case 'ref':
      return [{ ref: value.path, src: value.src, fallback: value.fallback }];
    case 'guard':
      return interpolate(value.body, at);
    default:
      return [{ unknown: true, src: at }];
  }
}

function attrKey(attr: Node, scope: Scope, ctx: EvalContext): { key: string | null; dynamic?: StrValue } {
  if (attr.type === 'identifier') return { key: attr.text };
  const value =
    attr.type === 'interpolation' ? evaluate(attr.childForFieldName('expression'), scope, ctx) : evaluate(attr, scope, ctx);
  const parts = interpolate(value, makeSrc(ctx.file, attr));
  const text = knownText(parts);
  if (text !== null) return { key: text };
  return { key: null, dynamic: { k: 'str', parts, src: makeSrc(ctx.file, attr) } };
}

function attrsValue(src: Src): Value & { k: 'attrs' } {
  return { k: 'attrs', entries: [], src };
}

/** Inserts `path = value` into an attrset, merging dotted prefixes into one nested attrset. */
function insertPath(target: Value & { k: 'attrs' }, keys: AttrEntry[], value: Value, pathSrc: Src, literal: boolean): void {
  let current = target;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    if (last) {
      // `a.c = 2; a = { b = 1; };`: the literal joins what the dotted paths made.
      const earlier = literal && value.k === 'attrs' && key.key !== null ? current.entries.find((e) => e.key === key.key && e.implicit && e.value.k === 'attrs') : undefined;
      if (earlier && earlier.value.k === 'attrs' && value.k === 'attrs') mergeEntries(earlier.value, value.entries);
      else current.entries.push({ ...key, value, pathSrc, literal: literal || undefined });
      return;
    }
    // Nix merges `a = { b = 1; }; a.c = 2;` (in either order) when `a` is written as an attrset.
    let next = key.key !== null ? current.entries.find((e) => e.key === key.key && e.value.k === 'attrs' && (e.implicit || e.literal)) : undefined;
    if (!next) {
      next = { ...key, value: attrsValue(key.keySrc), implicit: true, pathSrc };
      current.entries.push(next);
    } else if (!next.implicit) {
      // Copy before adding to it: the literal's value may be shared.
      const literal = next.value as Value & { k: 'attrs' };
      next.value = { ...literal, entries: [...literal.entries] };
      next.implicit = true;
    }
    current = next.value as Value & { k: 'attrs' };
  }
}

/** Adds entries to an attrset made by dotted paths, merging nested attrset literals key by key. */
function mergeEntries(target: Value & { k: 'attrs' }, entries: AttrEntry[]): void {
  for (const entry of entries) {
    const same = entry.key !== null && entry.value.k === 'attrs' ? target.entries.find((e) => e.key === entry.key && e.implicit && e.value.k === 'attrs') : undefined;
    if (same && same.value.k === 'attrs' && entry.value.k === 'attrs') mergeEntries(same.value, entry.value.entries);
    else target.entries.push(entry);
  }
}

function evaluateAttrset(node: Node, scope: Scope, ctx: EvalContext, recursive: boolean): Value {
  const result = attrsValue(makeSrc(ctx.file, node));
  const bindingSet = node.namedChildren.find((c) => c?.type === 'binding_set');
  if (!bindingSet) return result;
  let evalScope = scope;
  if (recursive) {
    evalScope = new Scope(scope);
    addBindingsToScope(bindingSet, evalScope, evalScope);
  }
  for (const binding of bindingSet.namedChildren) {
    if (!binding) continue;
    if (binding.type === 'binding') {
      const attrpath = binding.childForFieldName('attrpath');
      if (!attrpath) continue;
      const keys: AttrEntry[] = [];
      for (const attr of attrpath.namedChildren) {
        if (!attr) continue;
        const { key, dynamic } = attrKey(attr, evalScope, ctx);
        keys.push({ key, dynamicKey: dynamic, keySrc: makeSrc(ctx.file, attr), value: result });
      }
      if (keys.length === 0) continue;
      const expression = binding.childForFieldName('expression');
      const value = evaluate(expression, evalScope, ctx);
      insertPath(result, keys, value, makeSrc(ctx.file, attrpath), expression?.type === 'attrset_expression');
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      const fromNode = binding.type === 'inherit_from' ? binding.childForFieldName('expression') : null;
      const from = fromNode ? evaluate(fromNode, scope, ctx) : null;
      for (const attr of binding.childForFieldName('attrs')?.namedChildren ?? []) {
        if (attr?.type !== 'identifier') continue;
        const attrSrc = makeSrc(ctx.file, attr);
        const value = from ? selectKeys(from, [attr.text], attrSrc) : lookupVariable(attr.text, attrSrc, scope, ctx);
        result.entries.push({ key: attr.text, keySrc: attrSrc, value, pathSrc: attrSrc });
      }
    }
  }
  return result;
}

/** Selects `keys` from a value: references grow, attrsets are looked up, the rest is unknown. */
export function selectKeys(base: Value, keys: string[], here: Src): Value {
  let current: Value = base;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    switch (current.k) {
      case 'ref':
        return { k: 'ref', path: [...current.path, ...keys.slice(i)], src: here };
      case 'fn':
        if (current.name === 'lib' || current.name === 'builtins' || current.name === 'types') {
          current = libValue(key === 'types' ? 'types' : current.name === 'types' ? `types.${key}` : key, here);
          continue;
        }
        return unknown(here);
      case 'attrs': {
        const found = current.entries.filter((e) => e.key === key);
        if (found.length === 0) return unknown(here);
        current = found.length === 1 ? found[0].value : { k: 'merge', items: found.map((e) => e.value), src: here };
        continue;
      }
      case 'guard':
        current = current.body;
        i--;
        continue;
      case 'merge': {
        const rest = keys.slice(i);
        const picked = current.items.map((item) => selectKeys(item, rest, here)).filter((v) => v.k !== 'unknown');
        return picked.length === 0 ? unknown(here) : picked.length === 1 ? picked[0] : { k: 'merge', items: picked, src: here };
      }
      default:
        return unknown(here);
    }
  }
  return current;
}

function evaluateSelect(node: Node, scope: Scope, ctx: EvalContext): Value {
  const here = makeSrc(ctx.file, node);
  const base = evaluate(node.childForFieldName('expression'), scope, ctx);
  const keys: string[] = [];
  for (const attr of node.childForFieldName('attrpath')?.namedChildren ?? []) {
    if (!attr) continue;
    const { key } = attrKey(attr, scope, ctx);
    if (key === null) return unknown(here);
    keys.push(key);
  }
  const selected = selectKeys(base, keys, here);
  if (selected.k === 'ref' && selected.path.length > 0) ctx.refs.push({ path: selected.path, src: here });
  const defaultNode = node.childForFieldName('default');
  if (!defaultNode) return selected;
  const fallback = evaluate(defaultNode, scope, ctx);
  if (selected.k === 'ref') return { ...selected, fallback };
  return selected.k === 'unknown' ? fallback : selected;
}

/** The name a call is made by: `mkContainer`, `helpers.mkContainer` → mkContainer. */
function calleeName(fn: Node): string | null {
  if (fn.type === 'variable_expression') return fn.text;
  if (fn.type === 'select_expression') {
    const attrs = fn.childForFieldName('attrpath')?.namedChildren ?? [];
    const last = attrs[attrs.length - 1];
    return last?.type === 'identifier' ? last.text : null;
  }
  return null;
}

function isEnableCondition(cond: Value): boolean {
  return cond.k === 'ref' && cond.path[cond.path.length - 1] === 'enable';
}

function evaluateApply(node: Node, scope: Scope, ctx: EvalContext): Value {
  const here = makeSrc(ctx.file, node);
  const fnNode = node.childForFieldName('function');
  const argNode = node.childForFieldName('argument');
  if (!fnNode) return unknown(here);
  const name = calleeName(fnNode);
  if (name && ctx.helperNames.has(name)) {
    const argument = evaluate(argNode, scope, ctx);
    // One call site can make several containers (`map (n: mkContainer { name = n; … })`).
    const nameValue = argument.k === 'attrs' ? argument.entries.find((e) => e.key === 'name')?.value : undefined;
    const callKey = `${node.startIndex}|${nameValue?.k === 'str' ? knownText(nameValue.parts) : ''}`;
    if (!ctx.seenHelperCalls.has(callKey)) {
      ctx.seenHelperCalls.add(callKey);
      ctx.helperCalls.push({ helper: name, argument, callSrc: here, guarded: ctx.enableGuardDepth > 0 });
    }
    return unknown(here);
  }
  const fn = evaluate(fnNode, scope, ctx);
  if (fn.k !== 'fn') return unknown(here);
  const guardsBody = fn.name === 'mkIf' && fn.args.length === 1 && isEnableCondition(fn.args[0]);
  if (guardsBody) ctx.enableGuardDepth++;
  let argument: Value;
  try {
    argument = evaluate(argNode, scope, ctx);
  } finally {
    if (guardsBody) ctx.enableGuardDepth--;
  }
  return applyValue(fn, argument, here, ctx);
}

/** Applies a function value (a lambda, or a library function partly applied) to one argument. */
function applyValue(fn: Value, argument: Value, here: Src, ctx: EvalContext): Value {
  if (fn.k !== 'fn') return unknown(here);
  if (fn.name.startsWith('lambda#')) return applyLambda(ctx.lambdas[Number(fn.name.slice(7))], argument, here, ctx);
  const arity = LIB_ARITY[fn.name];
  if (arity === undefined) return unknown(here);
  const args = [...fn.args, argument];
  if (args.length < arity) return { k: 'fn', name: fn.name, args, src: here };
  return applyLib(fn.name, args, here, ctx);
}

/** `map`, `lib.genAttrs`, `lib.mapAttrs`, `builtins.listToAttrs` over values the evaluator knows. */
function applyCollection(name: string, args: Value[], here: Src, ctx: EvalContext): Value {
  const [f, collection] = args;
  switch (name) {
    case 'map':
      return collection.k === 'list' ? { k: 'list', items: collection.items.map((item) => applyValue(f, item, here, ctx)), src: here } : unknown(here);
    case 'genAttrs': {
      const [names, g] = args; // genAttrs takes the names first
      if (names.k !== 'list') return unknown(here);
      const entries: AttrEntry[] = [];
      for (const item of names.items) {
        const key = item.k === 'str' ? knownText(item.parts) : null;
        if (key !== null) entries.push({ key, keySrc: item.src, pathSrc: item.src, value: applyValue(g, item, here, ctx) });
      }
      return { k: 'attrs', entries, src: here };
    }
    case 'mapAttrs':
      if (collection.k !== 'attrs') return unknown(here);
      return {
        k: 'attrs',
        entries: collection.entries.map((e) => ({ ...e, value: applyValue(applyValue(f, e.dynamicKey ?? { k: 'str', parts: e.key === null ? [] : [e.key], src: e.keySrc }, here, ctx), e.value, here, ctx) })),
        src: here,
      };
    case 'listToAttrs': {
      const list = args[0];
      if (list.k !== 'list') return unknown(here);
      const entries: AttrEntry[] = [];
      for (const item of list.items) {
        const nameValue = item.k === 'attrs' ? item.entries.find((e) => e.key === 'name')?.value : undefined;
        const value = item.k === 'attrs' ? item.entries.find((e) => e.key === 'value')?.value : undefined;
        const key = nameValue?.k === 'str' ? knownText(nameValue.parts) : null;
        if (key !== null && value) entries.push({ key, keySrc: nameValue!.src, pathSrc: nameValue!.src, value });
      }
      return { k: 'attrs', entries, src: here };
    }
    default:
      return unknown(here);
  }
}

function applyLambda(lambda: Lambda | undefined, argument: Value, here: Src, ctx: EvalContext): Value {
  if (!lambda) return unknown(here);
  const scope = new Scope(lambda.scope);
  const universal = lambda.node.childForFieldName('universal');
  if (universal) scope.vars.set(universal.text, { value: argument });
  const formals = lambda.node.childForFieldName('formals');
  for (const formal of formals?.namedChildren ?? []) {
    if (formal?.type !== 'formal') continue;
    const formalName = formal.childForFieldName('name')?.text ?? '';
    const supplied = argument.k === 'attrs' ? argument.entries.find((e) => e.key === formalName) : undefined;
    const fallback = formal.childForFieldName('default');
    if (supplied) scope.vars.set(formalName, { value: supplied.value });
    else if (fallback) scope.vars.set(formalName, { node: fallback, scope });
    else scope.vars.set(formalName, { value: unknown(here) });
  }
  return evaluate(lambda.node.childForFieldName('body'), scope, ctx);
}

function stringList(value: Value): string[] | null {
  if (value.k !== 'list') return null;
  const out: string[] = [];
  for (const item of value.items) {
    if (item.k !== 'str') return null;
    const text = knownText(item.parts);
    if (text === null) return null;
    out.push(text);
  }
  return out;
}

function applyLib(name: string, args: Value[], here: Src, ctx: EvalContext): Value {
  switch (name) {
    case 'mkIf':
      return { k: 'guard', body: args[1], enable: isEnableCondition(args[0]), src: here };
    case 'mkMerge':
      return args[0].k === 'list' ? { k: 'merge', items: args[0].items, src: here } : unknown(here);
    case 'mkDefault':
    case 'mkForce':
    case 'mkBefore':
    case 'mkAfter':
      return args[0];
    case 'mkOverride':
    case 'mkOrder':
    case 'optionalAttrs':
    case 'optionalString':
      return args[1];
    case 'optionals':
      return args[1];
    case 'optional':
      return { k: 'list', items: [args[1]], src: here };
    case 'toString':
      return { k: 'str', parts: interpolate(args[0], here), src: args[0].k === 'str' ? args[0].src : here };
    case 'concatStringsSep': {
      const sep = args[0].k === 'str' ? knownText(args[0].parts) : null;
      const items = stringList(args[1]);
      return sep !== null && items ? { k: 'str', parts: [items.join(sep)], src: here } : { k: 'str', parts: [{ unknown: true, src: here }], src: here };
    }
    case 'mkOption': {
      const spec = args[0];
      if (spec.k !== 'attrs') return { k: 'option', src: here };
      const get = (key: string) => spec.entries.find((e) => e.key === key)?.value;
      const type = get('type');
      const description = get('description');
      return {
        k: 'option',
        default: get('default'),
        type: type?.k === 'fn' ? type.name.replace(/^types\./, '') : undefined,
        description: description?.k === 'str' ? knownText(description.parts) ?? undefined : undefined,
        src: here,
      };
    }
    case 'mkEnableOption':
      return { k: 'option', default: { k: 'bool', v: false, src: here }, type: 'bool', description: args[0].k === 'str' ? `Whether to enable ${knownText(args[0].parts) ?? 'it'}.` : undefined, src: here };
    case 'mkPackageOption':
      return { k: 'option', type: 'package', src: here };
    case 'map':
    case 'genAttrs':
    case 'mapAttrs':
    case 'listToAttrs':
      return applyCollection(name, args, here, ctx);
    case 'mkRenamedOptionModule':
    case 'mkAliasOptionModule': {
      const from = stringList(args[0]);
      const to = stringList(args[1]);
      if (from && to) ctx.aliases.push([from, to]);
      return unknown(here);
    }
    default:
      return unknown(here);
  }
}

function evaluateBinary(node: Node, scope: Scope, ctx: EvalContext): Value {
  const here = makeSrc(ctx.file, node);
  const operator = node.childForFieldName('operator')?.text;
  const left = evaluate(node.childForFieldName('left'), scope, ctx);
  const right = evaluate(node.childForFieldName('right'), scope, ctx);
  switch (operator) {
    case '++':
      return { k: 'list', items: [...listItems(left), ...listItems(right)], src: here };
    case '+':
      if (left.k === 'int' && right.k === 'int') return { k: 'int', v: left.v + right.v, src: here };
      if (left.k === 'str' || right.k === 'str')
        return { k: 'str', parts: joinParts([...interpolate(left, here), ...interpolate(right, here)]), src: here };
      return unknown(here);
    case '//':
      if (left.k === 'attrs' && right.k === 'attrs') {
        const overridden = new Set(right.entries.map((e) => e.key));
        return { k: 'attrs', entries: [...left.entries.filter((e) => !overridden.has(e.key)), ...right.entries], src: here };
      }
      return unknown(here);
    case '&&':
      // Only the enable-guard detection cares about `cfg.enable && …`.
      if (isEnableCondition(left)) return left;
      if (isEnableCondition(right)) return right;
      return unknown(here);
    default:
      return unknown(here);
  }
}

/** The items a list-valued expression contributes; unknown parts become one unknown item. */
function listItems(value: Value): Value[] {
  if (value.k === 'list') return value.items;
  if (value.k === 'alt') return [value];
  if (value.k === 'guard') return listItems(value.body);
  return [value];
}
