// A small static evaluator for the Nix that container modules are written in. It knows
// literals, `let`, attrsets (dotted, nested, rec, inherit), lists, `++`, `+`, `//`,
// `if` (both branches), `x or y`, `with lib;`, simple lambdas, and the lib functions
// modules use (libFunctions.ts). What it cannot know becomes `unknown`; `config.<path>`
// stays a symbolic reference. It reads a SyntaxTree (nodes are numbers), never Node objects.
import type { Node, Tree } from '../parse/parser';
import type { Src } from './source';
import { IMPORTED, LIB_ARITY, applyLib, isEnableCondition, libValue } from './libFunctions';
import { intern } from './intern';
import { F, K, SyntaxTree } from './syntaxTree';
import { PathKey, attrsValue, decodeEscape, decodeIndentedEscape, insertPath, listItems, selectKeys, stripIndentation } from './valueOps';
import { StrPart, StrValue, Value, interpolate, joinParts, knownText, unknown } from './values';

export { interpolate } from './values';
export { selectKeys, stripIndentation } from './valueOps';

const MAX_DEPTH = 120;

interface ScopeEntry {
  /** The expression to evaluate on first use (-1: none). */
  node?: number;
  scope?: Scope;
  value?: Value;
  evaluating?: boolean;
  /** `inherit (expr) name;`: select `name` from expr. */
  inheritFrom?: { node: number; scope: Scope; name: string };
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
  hasOpaqueWith(): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.withEnv === 'opaque') return true;
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
  node: number;
  scope: Scope;
}

export interface EvalContext {
  file: string;
  /** The tree being evaluated (set by extractSummary, or by evaluate() from a Node's tree). */
  tree: SyntaxTree | undefined;
  treeOf?: Tree;
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
  /** `config.age.secrets.${…}` reads: the secret's name as a string the workspace resolves. */
  computedSecretUses: Array<{ name: StrValue; src: Src }>;
  /** `import <path> <args>` calls: the arguments a part file is given. */
  partImports: Array<{ target: Value & { k: 'path' }; args: Value }>;
  /** `specialArgs` given to `nixosSystem`/`evalModules` calls in this file. */
  specialArgs: Value[];
  /** Module values that calls of `nixosSystem`/`evalModules` list in `modules`. */
  systemModules: Value[];
}

export function newContext(file: string, helperNames: ReadonlySet<string>, tree?: SyntaxTree): EvalContext {
  return { file, tree, helperNames, helperCalls: [], aliases: [], lambdas: [], depth: 0, enableGuardDepth: 0, seenHelperCalls: new Set(), refs: [], computedSecretUses: [], partImports: [], specialArgs: [], systemModules: [] };
}

function nowhere(file: string): Src {
  return { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

export function rootScope(): Scope {
  const vars = new Map<string, ScopeEntry>();
  const builtin = (name: string, value: Value) => vars.set(name, { value });
  const at = nowhere('');
  builtin('lib', libValue('lib', at));
  builtin('builtins', libValue('builtins', at));
  builtin('toString', libValue('toString', at));
  builtin('map', libValue('map', at));
  builtin('import', libValue('import', at));
  builtin('true', { k: 'bool', v: true, src: at });
  builtin('false', { k: 'bool', v: false, src: at });
  builtin('null', { k: 'null', src: at });
  return new Scope(null, vars);
}

/** Module arguments nothing in a workspace defines (the system's package set, the option tree…): unknown. */
const OPAQUE_MODULE_ARGS = new Set(['pkgs', 'options', 'modulesPath', 'utils', 'baseModules', 'extendModules', 'moduleType', '_class', 'specialArgs', 'name', 'nodes']);

/** The head of a reference to a module argument: `[MODULE_ARGUMENT, file, name, …selected keys]`. */
export const MODULE_ARGUMENT = '\u0000arg';

export function moduleArgumentPath(file: string, name: string): string[] {
  return [MODULE_ARGUMENT, file, name];
}

/** Binds a module's formals: `config` becomes the root of option references, `lib` the library. */
export function moduleScope(fnNode: number, parent: Scope, ctx: EvalContext): Scope {
  const t = ctx.tree!;
  const vars = new Map<string, ScopeEntry>();
  const formals = t.child(fnNode, F.Formals);
  const universal = t.child(fnNode, F.Universal);
  const here = t.src(ctx.file, fnNode);
  const bindFormal = (name: string) => {
    if (name === 'config') vars.set(name, { value: { k: 'ref', path: [], src: here } });
    else if (name === 'lib') vars.set(name, { value: libValue('lib', here) });
    else if (OPAQUE_MODULE_ARGS.has(name)) vars.set(name, { value: unknown(here, `module argument \`${name}\` is not modelled`) });
    // `cfg`, `paths`, `inputs`…: what the importer passes (`import ./x.nix { cfg = …; }`) or
    // `_module.args`/`specialArgs` give, resolved in the workspace (v2 §5).
    else vars.set(name, { value: { k: 'ref', path: moduleArgumentPath(ctx.file, name), src: here } });
  };
  for (let formal = t.firstNamed(formals); formal >= 0; formal = t.nextNamed(formal)) {
    if (t.kind[formal] !== K.Formal) continue;
    const name = t.child(formal, F.Name);
    bindFormal(name >= 0 ? t.text(name) : '');
  }
  if (universal >= 0) bindFormal(t.text(universal));
  return new Scope(parent, vars);
}

/**
 * A function value written as a NixOS module (`{ config, lib, ... }: { … }`), applied the way
 * the module system applies it: its formals bound like a file's (v2 §12). Null for anything else
 * (a helper lambda `name: …`, a library function).
 */
export function applyModuleFunction(fn: Value, ctx: EvalContext): Value | null {
  if (fn.k !== 'fn' || !fn.name.startsWith('lambda#')) return null;
  const lambda = ctx.lambdas[Number(fn.name.slice(7))];
  const t = ctx.tree!;
  const formals = lambda ? t.child(lambda.node, F.Formals) : -1;
  if (formals < 0) return null;
  let moduleLike = false;
  for (let formal = t.firstNamed(formals); formal >= 0; formal = t.nextNamed(formal)) {
    if (t.kind[formal] !== K.Formal && t.text(formal) === '...') moduleLike = true;
    else if (t.kind[formal] === K.Formal) {
      const name = t.child(formal, F.Name);
      if (name >= 0 && MODULE_FORMALS.has(t.text(name))) moduleLike = true;
    }
  }
  if (!moduleLike) return null;
  return evaluateAt(t.child(lambda.node, F.Body), moduleScope(lambda.node, lambda.scope, ctx), ctx);
}

const MODULE_FORMALS = new Set(['config', 'lib', 'pkgs']);

/** Evaluates a web-tree-sitter node (for callers that hold a tree, not a SyntaxTree). */
export function evaluate(node: Node | null, scope: Scope, ctx: EvalContext): Value {
  if (!node) return evaluateAt(-1, scope, ctx);
  if (!ctx.tree || ctx.treeOf !== node.tree) {
    ctx.tree = SyntaxTree.of(node.tree);
    ctx.treeOf = node.tree;
  }
  return evaluateAt(ctx.tree.find(node), scope, ctx);
}

/** Evaluates node `node` of ctx.tree (-1: nothing there, an unknown at the file's start). */
export function evaluateAt(node: number, scope: Scope, ctx: EvalContext): Value {
  if (node < 0) return unknown(nowhere(ctx.file));
  if (ctx.depth > MAX_DEPTH) return unknown(ctx.tree!.src(ctx.file, node), 'nested too deeply to evaluate');
  ctx.depth++;
  try {
    return evaluateNode(node, scope, ctx);
  } finally {
    ctx.depth--;
  }
}

function evaluateNode(node: number, scope: Scope, ctx: EvalContext): Value {
  const t = ctx.tree!;
  switch (t.kind[node]) {
    case K.Paren:
      return evaluateAt(t.child(node, F.Expression), scope, ctx);
    case K.String:
    case K.IndentedString:
      return evaluateString(node, scope, ctx);
    case K.Integer:
      return { k: 'int', v: Number.parseInt(t.text(node), 10), src: t.src(ctx.file, node) };
    case K.Path:
    case K.HPath:
      return t.namedOfKind(node, K.Interpolation) >= 0 ? unknown(t.src(ctx.file, node), 'path with an interpolation') : { k: 'path', v: intern(t.text(node)), src: t.src(ctx.file, node) };
    case K.Uri:
      return { k: 'str', parts: [intern(t.text(node))], src: t.src(ctx.file, node) };
    case K.Variable:
      return lookupVariable(t.text(node), t.src(ctx.file, node), scope, ctx);
    case K.List: {
      const here = t.src(ctx.file, node);
      const items: Value[] = [];
      for (let c = t.firstNamed(node); c >= 0; c = t.nextNamed(c)) if (t.kind[c] !== K.Comment && t.kind[c] !== K.Error) items.push(evaluateAt(c, scope, ctx));
      return { k: 'list', items: items.slice(), src: here };
    }
    case K.Attrset:
      return evaluateAttrset(node, scope, ctx, false);
    case K.RecAttrset:
      return evaluateAttrset(node, scope, ctx, true);
    case K.Let:
      return evaluateAt(t.child(node, F.Body), letScope(node, scope, t), ctx);
    case K.Select:
      return evaluateSelect(node, scope, ctx);
    case K.Apply:
      return evaluateApply(node, scope, ctx);
    case K.If: {
      const here = t.src(ctx.file, node);
      return { k: 'alt', options: [evaluateAt(t.child(node, F.Consequence), scope, ctx), evaluateAt(t.child(node, F.Alternative), scope, ctx)], src: here };
    }
    case K.Binary:
      return evaluateBinary(node, scope, ctx);
    case K.With: {
      const environment = evaluateAt(t.child(node, F.Environment), scope, ctx);
      const isLib = environment.k === 'fn' && environment.name === 'lib';
      return evaluateAt(t.child(node, F.Body), new Scope(scope, new Map(), isLib ? true : 'opaque'), ctx);
    }
    case K.Assert:
      return evaluateAt(t.child(node, F.Body), scope, ctx);
    case K.Function:
      ctx.lambdas.push({ node, scope });
      return { k: 'fn', name: `lambda#${ctx.lambdas.length - 1}`, args: [], src: t.src(ctx.file, node) };
    default:
      return unknown(t.src(ctx.file, node), 'expression not modelled');
  }
}

function lookupVariable(name: string, here: Src, scope: Scope, ctx: EvalContext): Value {
  const entry = scope.lookup(name);
  if (!entry) {
    if (scope.hasWithLib() && (LIB_ARITY[name] !== undefined || name === 'types')) return libValue(name, here);
    return unknown(here, scope.hasWithLib() && !scope.hasOpaqueWith() ? `function \`lib.${name}\` not modelled` : scope.hasOpaqueWith() ? `\`${name}\` may come from a \`with\` the engine cannot see into` : `\`${name}\` is not defined in this file`);
  }
  return forceEntry(entry, here, ctx);
}

function forceEntry(entry: ScopeEntry, here: Src, ctx: EvalContext): Value {
  if (entry.value) return entry.value;
  if (entry.evaluating) return unknown(here, 'defined in terms of itself');
  entry.evaluating = true;
  try {
    if (entry.inheritFrom) {
      const base = evaluateAt(entry.inheritFrom.node, entry.inheritFrom.scope, ctx);
      entry.value = selectKeys(base, [entry.inheritFrom.name], here);
      return entry.value;
    }
    entry.value = evaluateAt(entry.node ?? -1, entry.scope!, ctx);
    return entry.value;
  } finally {
    entry.evaluating = false;
  }
}

/** The scope of a `let … in`: bindings are evaluated lazily, on first use. */
export function letScope(node: number, parent: Scope, t: SyntaxTree): Scope {
  const scope = new Scope(parent);
  for (let c = t.firstNamed(node); c >= 0; c = t.nextNamed(c)) if (t.kind[c] === K.BindingSet) addBindingsToScope(c, scope, scope, t);
  return scope;
}

function addBindingsToScope(bindingSet: number, target: Scope, evalScope: Scope, t: SyntaxTree): void {
  for (let binding = t.firstNamed(bindingSet); binding >= 0; binding = t.nextNamed(binding)) {
    const kind = t.kind[binding];
    if (kind === K.Binding) {
      const attrpath = t.child(binding, F.Attrpath);
      const first = t.firstNamed(attrpath);
      // Dotted let bindings (`a.b = 1;`) are rare; only plain names enter the scope.
      if (first >= 0 && t.nextNamed(first) < 0 && t.kind[first] === K.Identifier) {
        target.vars.set(t.text(first), { node: t.child(binding, F.Expression), scope: evalScope });
      }
    } else if (kind === K.Inherit || kind === K.InheritFrom) {
      const from = kind === K.InheritFrom ? t.child(binding, F.Expression) : -1;
      for (let attr = t.firstNamed(t.child(binding, F.Attrs)); attr >= 0; attr = t.nextNamed(attr)) {
        if (t.kind[attr] !== K.Identifier) continue;
        const name = t.text(attr);
        if (from >= 0) target.vars.set(name, { inheritFrom: { node: from, scope: evalScope, name } });
        else if (evalScope.parent) {
          const outer = evalScope.parent.lookup(name);
          if (outer) target.vars.set(name, outer);
        }
      }
    }
  }
}

function evaluateString(node: number, scope: Scope, ctx: EvalContext): StrValue {
  const t = ctx.tree!;
  const parts: StrPart[] = [];
  const indented = t.kind[node] === K.IndentedString;
  for (let child = t.firstNamed(node); child >= 0; child = t.nextNamed(child)) {
    switch (t.kind[child]) {
      case K.StringFragment:
        parts.push(intern(t.text(child)));
        break;
      case K.EscapeSequence:
        parts.push(indented ? decodeIndentedEscape(t.text(child)) : decodeEscape(t.text(child)));
        break;
      case K.DollarEscape:
        // tree-sitter-nix splits `\${` / `''${` into this escape and a `$` fragment that follows.
        break;
      case K.Interpolation:
        for (const part of interpolate(evaluateAt(t.child(child, F.Expression), scope, ctx), t.src(ctx.file, child))) parts.push(part);
        break;
      default:
        break;
    }
  }
  return { k: 'str', parts: joinParts(indented ? stripIndentation(joinParts(parts)) : parts), src: t.src(ctx.file, node) };
}

/** An attribute name: its text when known, else the string value it is made of. */
function attrKey(attr: number, scope: Scope, ctx: EvalContext): { key: string | null; dynamic?: StrValue } {
  const t = ctx.tree!;
  if (t.kind[attr] === K.Identifier) return { key: intern(t.text(attr)) };
  const value = t.kind[attr] === K.Interpolation ? evaluateAt(t.child(attr, F.Expression), scope, ctx) : evaluateAt(attr, scope, ctx);
  const parts = interpolate(value, t.src(ctx.file, attr));
  const text = knownText(parts);
  if (text !== null) return { key: intern(text) };
  return { key: null, dynamic: { k: 'str', parts, src: t.src(ctx.file, attr) } };
}

function evaluateAttrset(node: number, scope: Scope, ctx: EvalContext, recursive: boolean): Value {
  const t = ctx.tree!;
  const result = attrsValue(t.src(ctx.file, node));
  const bindingSet = t.namedOfKind(node, K.BindingSet);
  if (bindingSet < 0) return result;
  let evalScope = scope;
  if (recursive) {
    evalScope = new Scope(scope);
    addBindingsToScope(bindingSet, evalScope, evalScope, t);
  }
  for (let binding = t.firstNamed(bindingSet); binding >= 0; binding = t.nextNamed(binding)) {
    const kind = t.kind[binding];
    if (kind === K.Binding) {
      const attrpath = t.child(binding, F.Attrpath);
      if (attrpath < 0) continue;
      const keys: PathKey[] = [];
      for (let attr = t.firstNamed(attrpath); attr >= 0; attr = t.nextNamed(attr)) {
        const { key, dynamic } = attrKey(attr, evalScope, ctx);
        keys.push({ key, dynamicKey: dynamic, keySrc: t.src(ctx.file, attr) });
      }
      if (keys.length === 0) continue;
      const expression = t.child(binding, F.Expression);
      const value = evaluateAt(expression, evalScope, ctx);
      insertPath(result, keys, value, t.src(ctx.file, attrpath), expression >= 0 && t.kind[expression] === K.Attrset);
    } else if (kind === K.Inherit || kind === K.InheritFrom) {
      const fromNode = kind === K.InheritFrom ? t.child(binding, F.Expression) : -1;
      const from = fromNode >= 0 ? evaluateAt(fromNode, scope, ctx) : null;
      for (let attr = t.firstNamed(t.child(binding, F.Attrs)); attr >= 0; attr = t.nextNamed(attr)) {
        if (t.kind[attr] !== K.Identifier) continue;
        const attrSrc = t.src(ctx.file, attr);
        const name = intern(t.text(attr));
        const value = from ? selectKeys(from, [name], attrSrc) : lookupVariable(name, attrSrc, scope, ctx);
        result.entries.push({ key: name, keySrc: attrSrc, value, pathSrc: attrSrc });
      }
    }
  }
  return result;
}

function evaluateSelect(node: number, scope: Scope, ctx: EvalContext): Value {
  const t = ctx.tree!;
  const here = t.src(ctx.file, node);
  const base = evaluateAt(t.child(node, F.Expression), scope, ctx);
  const keys: string[] = [];
  for (let attr = t.firstNamed(t.child(node, F.Attrpath)); attr >= 0; attr = t.nextNamed(attr)) {
    const { key, dynamic } = attrKey(attr, scope, ctx);
    if (key === null) {
      // `config.age.secrets.${cfg.keyName}`: the name resolves in the workspace (v2 §4).
      if (dynamic && base.k === 'ref' && isSecretsPath([...base.path, ...keys])) ctx.computedSecretUses.push({ name: dynamic, src: here });
      return unknown(here);
    }
    keys.push(key);
  }
  let selected = selectKeys(base, keys, here);
  if (selected.k === 'unknown' && selected.why === undefined) selected = unknown(here, selectionFailure(base, keys, t.text(node)));
  if (selected.k === 'ref' && selected.path.length > 0 && selected.path[0] !== MODULE_ARGUMENT) ctx.refs.push({ path: selected.path, src: here });
  const defaultNode = t.child(node, F.Default);
  if (defaultNode < 0) return selected;
  const fallback = evaluateAt(defaultNode, scope, ctx);
  if (selected.k === 'ref') return { ...selected, fallback };
  return selected.k === 'unknown' ? fallback : selected;
}

/** Why `a.b.c` has no value: what `a` is, or that the attribute is missing. */
function selectionFailure(base: Value, keys: string[], text: string): string {
  const written = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  if (base.k === 'unknown') return base.why ? `\`${written}\`: ${base.why}` : `\`${written}\` not modelled`;
  if (base.k === 'fn') return `\`${written}\` not modelled`;
  return `\`${written}\`: no attribute \`${keys.join('.')}\` there`;
}

function isSecretsPath(path: string[]): boolean {
  return path.length === 2 && path[0] === 'age' && path[1] === 'secrets';
}

/** The name a call is made by: `mkContainer`, `helpers.mkContainer` → mkContainer. */
function calleeName(fn: number, t: SyntaxTree): string | null {
  if (t.kind[fn] === K.Variable) return t.text(fn);
  if (t.kind[fn] === K.Select) {
    let last = -1;
    for (let attr = t.firstNamed(t.child(fn, F.Attrpath)); attr >= 0; attr = t.nextNamed(attr)) last = attr;
    return last >= 0 && t.kind[last] === K.Identifier ? t.text(last) : null;
  }
  return null;
}

function evaluateApply(node: number, scope: Scope, ctx: EvalContext): Value {
  const t = ctx.tree!;
  const here = t.src(ctx.file, node);
  const fnNode = t.child(node, F.Function);
  const argNode = t.child(node, F.Argument);
  if (fnNode < 0) return unknown(here);
  const name = calleeName(fnNode, t);
  if (name && ctx.helperNames.has(name)) {
    const argument = evaluateAt(argNode, scope, ctx);
    // One call site can make several containers (`map (n: mkContainer { name = n; … })`).
    const nameValue = argument.k === 'attrs' ? argument.entries.find((e) => e.key === 'name')?.value : undefined;
    const callKey = `${t.start[node]}|${nameValue?.k === 'str' ? knownText(nameValue.parts) : ''}`;
    if (!ctx.seenHelperCalls.has(callKey)) {
      ctx.seenHelperCalls.add(callKey);
      ctx.helperCalls.push({ helper: name, argument, callSrc: here, guarded: ctx.enableGuardDepth > 0 });
    }
    return unknown(here);
  }
  if (name !== null && SYSTEM_BUILDERS.has(name)) return evaluateSystemCall(argNode, scope, ctx, here);
  const fn = evaluateAt(fnNode, scope, ctx);
  if (fn.k !== 'fn') return unknown(here, `function \`${abbreviate(t.text(fnNode))}\` not modelled`);
  const guardsBody = fn.name === 'mkIf' && fn.args.length === 1 && isEnableCondition(fn.args[0]);
  if (guardsBody) ctx.enableGuardDepth++;
  let argument: Value;
  try {
    argument = evaluateAt(argNode, scope, ctx);
  } finally {
    if (guardsBody) ctx.enableGuardDepth--;
  }
  return applyValue(fn, argument, here, ctx);
}

function abbreviate(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/** `nixpkgs.lib.nixosSystem { specialArgs = …; modules = [ … ]; }` and its relatives. */
const SYSTEM_BUILDERS = new Set(['nixosSystem', 'evalModules', 'darwinSystem']);

/** Keeps what a system builder call gives modules: `specialArgs` (v2 §5) and its `modules` list (v2 §12). */
function evaluateSystemCall(argNode: number, scope: Scope, ctx: EvalContext, here: Src): Value {
  const argument = evaluateAt(argNode, scope, ctx);
  if (argument.k !== 'attrs') return unknown(here);
  for (const entry of argument.entries) {
    if (entry.key === 'specialArgs') ctx.specialArgs.push(entry.value);
    if (entry.key === 'modules') ctx.systemModules.push(entry.value);
  }
  return unknown(here);
}

/** Applies a function value (a lambda, or a library function partly applied) to one argument. */
function applyValue(fn: Value, argument: Value, here: Src, ctx: EvalContext): Value {
  if (fn.k !== 'fn') return unknown(here);
  if (fn.name.startsWith('lambda#')) return applyLambda(ctx.lambdas[Number(fn.name.slice(7))], argument, here, ctx);
  if (fn.name === IMPORTED) {
    // `import ./parts/x.nix { inherit lib cfg; }`: the part file sees these arguments (v2 §5);
    // as an item of `imports` it is that file.
    const target = fn.args[0];
    if (target.k === 'path') ctx.partImports.push({ target, args: argument });
    return target;
  }
  const arity = LIB_ARITY[fn.name];
  if (arity === undefined) return unknown(here, `function \`lib.${fn.name}\` not modelled`);
  const args = [...fn.args, argument];
  if (args.length < arity) return { k: 'fn', name: fn.name, args, src: here };
  return applyLib(fn.name, args, here, ctx.aliases, (f, a, at) => applyValue(f, a, at, ctx));
}

function applyLambda(lambda: Lambda | undefined, argument: Value, here: Src, ctx: EvalContext): Value {
  if (!lambda) return unknown(here);
  const t = ctx.tree!;
  const scope = new Scope(lambda.scope);
  const universal = t.child(lambda.node, F.Universal);
  if (universal >= 0) scope.vars.set(t.text(universal), { value: argument });
  for (let formal = t.firstNamed(t.child(lambda.node, F.Formals)); formal >= 0; formal = t.nextNamed(formal)) {
    if (t.kind[formal] !== K.Formal) continue;
    const nameNode = t.child(formal, F.Name);
    const formalName = nameNode >= 0 ? t.text(nameNode) : '';
    const supplied = argument.k === 'attrs' ? argument.entries.find((e) => e.key === formalName) : undefined;
    const fallback = t.child(formal, F.Default);
    if (supplied) scope.vars.set(formalName, { value: supplied.value });
    else if (fallback >= 0) scope.vars.set(formalName, { node: fallback, scope });
    else scope.vars.set(formalName, { value: unknown(here, `argument \`${formalName}\` not supplied`) });
  }
  return evaluateAt(t.child(lambda.node, F.Body), scope, ctx);
}

function evaluateBinary(node: number, scope: Scope, ctx: EvalContext): Value {
  const t = ctx.tree!;
  const here = t.src(ctx.file, node);
  const operatorNode = t.child(node, F.Operator);
  const operator = operatorNode >= 0 ? t.text(operatorNode) : undefined;
  const left = evaluateAt(t.child(node, F.Left), scope, ctx);
  const right = evaluateAt(t.child(node, F.Right), scope, ctx);
  switch (operator) {
    case '++':
      return { k: 'list', items: [...listItems(left), ...listItems(right)], src: here };
    case '+':
      if (left.k === 'int' && right.k === 'int') return { k: 'int', v: left.v + right.v, src: here };
      // `./parts + "/x.age"` is a path (no store copy); a string plus a path copies it to the store.
      if (left.k === 'path') {
        const suffix = right.k === 'str' ? knownText(right.parts) : right.k === 'path' ? right.v : null;
        return suffix !== null ? { k: 'path', v: intern(left.v + suffix), src: here } : unknown(here);
      }
      if (left.k === 'str' || right.k === 'str') return { k: 'str', parts: joinParts([...interpolate(left, here), ...interpolate(right, here)]), src: here };
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
      return unknown(here, `operator \`${operator ?? '?'}\` not modelled`);
  }
}
