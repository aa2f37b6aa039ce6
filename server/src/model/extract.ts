// tree → FileSummary: evaluates the file once and keeps only what rules and features need.
import * as path from 'path';
import type { FlatTree, Tree } from '../parse/parser';
import { SyntaxProblem, collectSyntaxProblems } from '../parse/syntaxErrors';
import type { LintConfig } from '../config/schema';
import { EvalContext, Scope, applyModuleFunction, evaluateAt, letScope, moduleScope, newContext, rootScope } from './evaluator';
import { IMPORTED } from './libFunctions';
import { Src, srcAt } from './source';
import { intern } from './intern';
import { scanSyntax } from './syntaxFacts';
import { F, K, SyntaxTree } from './syntaxTree';
import type { ContainerModel, FileSummary, OptionDecl, PathRef, Route, SecretDeclaration } from './summary';
import { StrPart, StrValue, Value, attrValues, joinParts, knownText } from './values';
import { Descent, MAX_WALK_DEPTH, eachLeaf, eachValue } from './walk';

const CONTAINERS_PATH = ['virtualisation', 'oci-containers', 'containers'];
const NON_CONFIG_KEYS = new Set(['imports', 'options', 'config', 'meta', '_file', 'key', 'disabledModules', 'freeformType', '_class']);

/** The module folder a workspace-relative file belongs to (`domains/server/containers/<x>/…`). */
export function moduleFolderOf(file: string, config: LintConfig): string | null {
  // Route files live below the caddy module but read other modules' options.
  if (isRouteFile(file, config)) return null;
  const prefix = config.containersFolder.replace(/\/+$/, '') + '/';
  if (!file.startsWith(prefix)) return null;
  const rest = file.slice(prefix.length).split('/');
  return rest.length >= 2 ? rest[0] : null;
}

type Visit = (value: Value, guarded: boolean) => void;

/** `lib.mkIf cfg.enable …` guards what it wraps: the state `eachValue` threads for the enable-guard rule. */
const ENABLE_GUARD: Descent<boolean> = { guard: (guarded, guard) => guarded || guard.enable };

/** Visits every definition reached by following `keys` through attrsets, guards, merges and alternatives. */
function collectAt(value: Value, keys: string[], guarded: boolean, visit: Visit, depth = 0): void {
  if (depth > MAX_WALK_DEPTH) return;
  eachValue(value, guarded, (leaf, isGuarded) => {
    if (keys.length === 0) return visit(leaf, isGuarded);
    if (leaf.k !== 'attrs') return;
    for (const entry of leaf.entries) if (entry.key === keys[0]) collectAt(entry.value, keys.slice(1), isGuarded, visit, depth + 1);
  }, ENABLE_GUARD);
}

/** Each (key, value, keySrc) of an attrset-like value, through guards, merges and alternatives. */
function forEachEntry(value: Value, guarded: boolean, fn: (key: string | null, v: Value, keySrc: Src, guarded: boolean, dynamicKey?: StrValue) => void): void {
  eachValue(value, guarded, (leaf, isGuarded) => {
    if (leaf.k === 'attrs') for (const e of leaf.entries) fn(e.key, e.value, e.keySrc, isGuarded, e.dynamicKey);
  }, ENABLE_GUARD);
}

/** A definition whose value is itself `lib.mkIf cfg.enable …`. */
function isEnableGuard(value: Value): boolean {
  return value.k === 'guard' && value.enable;
}

function containerFields(value: Value): Record<string, Value[]> {
  // Keyed by the repository's attribute names: `constructor`, `__proto__` are fields like any other.
  const fields: Record<string, Value[]> = Object.create(null);
  forEachEntry(value, false, (key, v) => {
    if (key === null) return;
    const list = fields[key];
    if (list) list.push(v);
    else fields[key] = [v];
  });
  return fields;
}

/** The parts of a module that are config: `config = …` plus top-level keys that are not module structure. */
function configPart(moduleValue: Value): Value {
  if (moduleValue.k !== 'attrs') return moduleValue;
  const hasStructure = moduleValue.entries.some((e) => e.key === 'config' || e.key === 'options');
  const items: Value[] = [...attrValues(moduleValue, 'config')];
  const loose = moduleValue.entries.filter((e) => e.key === null || !NON_CONFIG_KEYS.has(e.key));
  if (loose.length > 0) items.push({ k: 'attrs', entries: loose, src: moduleValue.src });
  if (!hasStructure && items.length === 1) return items[0];
  return { k: 'merge', items, src: moduleValue.src };
}

/** How deep in a file's attrsets module functions are looked for (`flake.modules.nixos.<x>` is 4). */
const MODULE_SEARCH_DEPTH = 5;

/**
 * Every module value a file defines (v2 §12): the file's own, inline modules in `imports`
 * (attrsets or `{ config, ... }: { … }`), module functions anywhere in its attrsets
 * (`flake.nixosModules.media = { config, ... }: …`), and the `modules` of a `nixosSystem`
 * call. Each function is applied as the module system would, with its `let` scope.
 */
function moduleValues(fileValue: Value, ctx: EvalContext): Value[] {
  const modules: Value[] = [fileValue];
  // Values already taken (a function is applied once: each application makes new values).
  const seen = new Set<Value>([fileValue]);
  const addModule = (value: Value): void => {
    if (seen.has(value) || modules.length >= MAX_MODULES_PER_FILE) return;
    seen.add(value);
    const applied = value.k === 'fn' ? applyModuleFunction(value, ctx) : value;
    if (applied && applied.k === 'attrs') modules.push(applied);
  };
  const searchAttrs = (value: Value, depth: number): void => {
    if (depth > MODULE_SEARCH_DEPTH) return;
    eachLeaf(value, (leaf) => {
      if (leaf.k === 'fn') return addModule(leaf);
      if (leaf.k !== 'attrs') return;
      for (const entry of leaf.entries) {
        if (entry.key === 'imports') eachLeaf(entry.value, (item) => (item.k === 'attrs' || item.k === 'fn' ? addModule(item) : undefined), { lists: true });
        else if ((entry.value.k === 'fn' || entry.value.k === 'attrs') && !(entry.key !== null && NOT_MODULE_HOLDERS.has(entry.key))) searchAttrs(entry.value, depth + 1);
      }
    });
  };
  // Applying a function can evaluate a `nixosSystem` call (a flake's `outputs`): take its modules as they come.
  let taken = 0;
  const takeSystemModules = () => {
    while (taken < ctx.systemModules.length) eachLeaf(ctx.systemModules[taken++], (item) => (item.k === 'attrs' || item.k === 'fn' ? addModule(item) : undefined), { lists: true });
  };
  takeSystemModules();
  for (let i = 0; i < modules.length; i++) {
    searchAttrs(modules[i], 0);
    takeSystemModules();
  }
  return modules;
}

/**
 * NixOS option trees that hold settings, never module values: not searched (most of a
 * container module's value is below them, so this keeps the search to a few attributes).
 */
const NOT_MODULE_HOLDERS = new Set(['options', 'virtualisation', 'systemd', 'services', 'age', 'environment', 'networking', 'users', 'boot', 'fileSystems', 'assertions', 'warnings', 'security', 'programs', 'hardware', '_module']);

/** Bounds the work a file of generated modules can make. */
const MAX_MODULES_PER_FILE = 64;

function collectOptions(value: Value, prefix: string[], out: OptionDecl[], depth = 0): void {
  if (depth > 40) return;
  forEachEntry(value, false, (key, v, keySrc) => {
    if (key === null) return;
    if (v.k === 'option') out.push({ path: prefix.concat(key), default: v.default, type: v.type, description: v.description, src: keySrc });
    else collectOptions(v, prefix.concat(key), out, depth + 1);
  });
}

function relativeTarget(fromFile: string, target: string): string {
  return intern(path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), target)));
}

function flattenStrings(value: Value, out: StrValue[]): void {
  eachLeaf(value, (leaf) => {
    if (leaf.k === 'str') out.push(leaf);
  }, { lists: true });
}

export { parseSuppression } from './suppressions';

function extractRoutes(configValue: Value, fileValue: Value, isRouteFile: boolean): Route[] {
  const routes: Route[] = [];
  const upstreamsOf = (site: Value): StrValue[] => {
    const out: StrValue[] = [];
    collectAt(site, ['reverse_proxy'], false, (v) => {
      if (v.k === 'str') out.push(v);
      else collectAt(v, ['to'], false, (to) => flattenStrings(to, out));
    });
    collectAt(site, ['extraConfig'], false, (v) => {
      if (v.k === 'str') out.push(...reverseProxyTargets(v));
    });
    return out;
  };
  const addSites = (sites: Value) =>
    forEachEntry(sites, false, (key, v, keySrc, _g, dynamicKey) => {
      const domain: StrValue | null = key !== null ? { k: 'str', parts: [key], src: keySrc } : dynamicKey ?? null;
      routes.push({ domain, upstreams: upstreamsOf(v), src: keySrc });
    });
  collectAt(configValue, ['services', 'caddy', 'virtualHosts'], false, addSites);
  // A route file is either a flat attrset of sites (one file per route, or a central file of
  // sites) or a module that sets `services.caddy.virtualHosts`: only the first has sites at its
  // top level (`services` is no domain).
  if (isRouteFile && routes.length === 0) addSites(fileValue);
  return routes;
}

/**
 * The upstream after each `reverse_proxy` in a Caddyfile snippet, interpolations kept
 * (`reverse_proxy 127.0.0.1:${toString cfg.port}` is resolved later, like any string).
 */
function reverseProxyTargets(config: StrValue): StrValue[] {
  const out: StrValue[] = [];
  let target: StrPart[] | null = null;
  let afterKeyword = false;
  const finish = () => {
    if (target && target.length > 0) out.push({ k: 'str', parts: joinParts(target), src: config.src });
    target = null;
  };
  for (const part of config.parts) {
    if (typeof part !== 'string') {
      if (afterKeyword) (target ??= []).push(part);
      continue;
    }
    // Split a literal into words and spaces; a word continues the target an interpolation started.
    for (const piece of part.split(/(\s+)/)) {
      if (piece === '') continue;
      if (/^\s+$/.test(piece)) {
        if (target) {
          finish();
          afterKeyword = false;
        }
        continue;
      }
      if (afterKeyword) (target ??= []).push(piece);
      else afterKeyword = piece === 'reverse_proxy';
    }
  }
  finish();
  return out;
}

function collectEnabled(value: Value, prefix: string[], out: string[], depth = 0): void {
  if (depth > 12) return;
  forEachEntry(value, false, (key, v) => {
    if (key === null) return;
    if (key === 'enable' && v.k === 'bool' && v.v) out.push([...prefix, key].join('.'));
    else if (v.k === 'attrs' || v.k === 'guard' || v.k === 'merge') collectEnabled(v, [...prefix, key], out, depth + 1);
  });
}

export interface ExtractOptions {
  /** optionReads and optionDefinitions, which only editor features read (default true). */
  editorFacts?: boolean;
}

/** `flat`: the tree already copied out (an open document keeps its FlatTree between edits). */
export function extractSummary(tree: Tree, file: string, config: LintConfig, options: ExtractOptions = {}, flat?: FlatTree): FileSummary {
  return summaryOf(flat ? new SyntaxTree(flat) : SyntaxTree.of(tree), file, config, collectSyntaxProblems(tree), options);
}

/** The summary of a tree copied out on another thread (parsed there without syntax errors). */
export function extractSummaryFromFlat(flat: FlatTree, file: string, config: LintConfig, options: ExtractOptions = {}): FileSummary {
  return summaryOf(new SyntaxTree(flat), file, config, NONE, options);
}

function summaryOf(t: SyntaxTree, relative: string, config: LintConfig, syntaxErrors: SyntaxProblem[], how: ExtractOptions): FileSummary {
  // Every Src of the file holds its name: one flat copy (a path built by joining is a chain of strings).
  const file = intern(relative);
  const rootText = t.text(0);
  const firstLine = srcAt(file, 0, 0, 0, Math.min(200, (rootText.split('\n', 1)[0] ?? '').length));
  const ctx: EvalContext = newContext(file, new Set(Object.keys(config.containerHelpers)), t);
  let body = t.child(0, F.Expression);
  if (body < 0) body = t.firstNamed(0);
  let scope: Scope = rootScope();
  // `let … in { config, … }: …` and `with lib; …` around the module function.
  for (;;) {
    if (body >= 0 && t.kind[body] === K.Paren) body = t.child(body, F.Expression);
    else if (body >= 0 && t.kind[body] === K.Let) {
      scope = letScope(body, scope, t);
      body = t.child(body, F.Body);
    } else break;
  }
  if (body >= 0 && t.kind[body] === K.Function) {
    scope = moduleScope(body, scope, ctx);
    body = t.child(body, F.Body);
  }
  const fileValue = body >= 0 ? evaluateAt(body, scope, ctx) : ({ k: 'unknown', src: firstLine } as Value);
  // The file's own module, then every module value it defines (v2 §12).
  const modules = moduleValues(fileValue, ctx);
  const configValue = modules.length === 1 ? configPart(fileValue) : ({ k: 'merge', items: modules.map(configPart), src: fileValue.src } as Value);
  const moduleFolder = moduleFolderOf(file, config);

  const containers: ContainerModel[] = [];
  const unguardedDefinitions: Src[] = [];
  collectAt(configValue, CONTAINERS_PATH, false, (containersValue, guarded) => {
    forEachEntry(containersValue, guarded, (key, v, keySrc, isGuarded, dynamicKey) => {
      const name = key ?? (dynamicKey ? knownText(dynamicKey.parts) : null);
      if (name === null) return;
      // `containers.x = lib.mkIf cfg.enable { … }`: the guard sits on the value, not around the key.
      const guarded = isGuarded || isEnableGuard(v);
      containers.push({ name, nameSrc: keySrc, file, moduleFolder, guarded, helper: null, fields: containerFields(v) });
      if (!guarded) unguardedDefinitions.push(keySrc);
    });
  });
  for (const call of ctx.helperCalls) {
    const fields = containerFields(call.argument);
    const nameValue = fields.name?.[0];
    const name = nameValue?.k === 'str' ? knownText(nameValue.parts) : null;
    if (name === null || !fields.image) continue;
    containers.push({ name, nameSrc: nameValue!.src, file, moduleFolder, guarded: call.guarded, helper: call.helper, fields });
    if (!call.guarded) unguardedDefinitions.push(call.callSrc);
  }

  const tmpfiles: StrValue[] = [];
  collectAt(configValue, ['systemd', 'tmpfiles', 'rules'], false, (v, guarded) => {
    flattenStrings(v, tmpfiles);
    if (!guarded && v.k !== 'unknown') unguardedDefinitions.push(v.src);
  });
  collectAt(configValue, ['systemd', 'tmpfiles', 'settings'], false, (settings) =>
    forEachEntry(settings, false, (_name, group) =>
      forEachEntry(group, false, (target, perPath, keySrc) => {
        if (target === null) return;
        forEachEntry(perPath, false, (type) => {
          if (type && /^[dDvqQ]$/.test(type)) tmpfiles.push({ k: 'str', parts: [`${type} ${target}`], src: keySrc });
        });
      }),
    ),
  );

  const secretsDeclared: SecretDeclaration[] = [];
  collectAt(configValue, ['age', 'secrets'], false, (secrets, guarded) =>
    forEachEntry(secrets, guarded, (key, v, keySrc, isGuarded) => {
      if (key === null) return;
      let fileTarget: string | null = null;
      let fileSrc: Src | null = null;
      collectAt(v, ['file'], false, (f) => {
        fileSrc = f.src;
        if (f.k === 'path' && !f.v.startsWith('<') && !f.v.startsWith('~')) fileTarget = f.v.startsWith('/') ? f.v : relativeTarget(file, f.v);
        else if (f.k === 'str') {
          const text = knownText(f.parts);
          if (text !== null && !text.startsWith('/')) fileTarget = relativeTarget(file, text);
        }
      });
      secretsDeclared.push({ name: key, src: keySrc, file: fileTarget, fileSrc });
      if (moduleFolder && !isGuarded && !isEnableGuard(v)) unguardedDefinitions.push(keySrc);
    }),
  );

  const options: OptionDecl[] = [];
  const optionRoots: PathRef[] = [];
  for (const moduleValue of modules) {
    if (moduleValue.k !== 'attrs') continue;
    for (const entry of moduleValue.entries) {
      if (entry.key !== 'options') continue;
      collectOptions(entry.value, [], options);
      // The namespace a file declares is the longest common prefix of its option paths.
      forEachEntry(entry.value, false, (key, v, keySrc) => {
        if (key === null) return;
        const p = [key];
        let current = v;
        while (current.k === 'attrs' && current.entries.length === 1 && current.entries[0].key !== null && current.entries[0].value.k !== 'option') {
          p.push(current.entries[0].key!);
          current = current.entries[0].value;
        }
        optionRoots.push({ path: p.slice(), src: entry.pathSrc ?? keySrc });
      });
    }
  }

  const imports: Array<{ target: string; src: Src }> = [];
  // Every path a list may hold: items of `++`, both branches of an `if`, `lib.optional(s)`, `import ./x.nix { … }`.
  const addImports = (value: Value): void =>
    eachLeaf(value, (leaf) => {
      const target = leaf.k === 'fn' && leaf.name === IMPORTED ? leaf.args[0] : leaf;
      if (target.k === 'path' && !target.v.startsWith('<')) imports.push({ target: relativeTarget(file, target.v), src: leaf.src });
    }, { lists: true });
  for (const moduleValue of modules) for (const importsValue of attrValues(moduleValue, 'imports')) addImports(importsValue);
  for (const listed of ctx.systemModules) addImports(listed);

  // What modules are given beyond the standard arguments (v2 §5): by the importer of a part
  // file, or to every module through `_module.args` and `specialArgs`.
  const partImports = ctx.partImports.map((call) => ({ target: relativeTarget(file, call.target.v), args: call.args }));
  const moduleArgs: Array<{ name: string; value: Value }> = [];
  const addModuleArgs = (args: Value) => forEachEntry(args, false, (key, value) => {
    if (key !== null) moduleArgs.push({ name: key, value });
  });
  collectAt(configValue, ['_module', 'args'], false, addModuleArgs);
  for (const given of ctx.specialArgs) addModuleArgs(given);

  const networksFromServices: Array<{ name: string; src: Src }> = [];
  const networkNames: StrValue[] = [];
  collectAt(configValue, ['systemd', 'services'], false, (services) =>
    forEachEntry(services, false, (key, _v, keySrc, _g, dynamicKey) => {
      if (key?.startsWith('podman-network-')) networksFromServices.push({ name: key.slice('podman-network-'.length), src: keySrc });
      const head = dynamicKey?.parts[0];
      if (dynamicKey && typeof head === 'string' && head.startsWith('podman-network-')) {
        networkNames.push({ k: 'str', parts: [head.slice('podman-network-'.length), ...dynamicKey.parts.slice(1)].filter((p) => p !== ''), src: keySrc });
      }
    }),
  );
  // Every literal piece of an evaluated string is text of this file: without these words no string can hold the command.
  if (mayCreateNetworks(rootText)) collectNetworkCreations(configValue, networkNames);

  const enabled: string[] = [];
  collectEnabled(configValue, [], enabled);

  const facts = scanSyntax(t, file, config.namespace.split('.')[0]);
  const conventionFacts = conventionFactsOf(fileValue, configValue);
  return {
    file,
    moduleFolder,
    containers: exact(containers),
    options: exact(options),
    optionRoots: exact(optionRoots),
    aliases: exact(ctx.aliases),
    ...(partImports.length > 0 ? { partImports: exact(partImports) } : {}),
    ...(moduleArgs.length > 0 ? { moduleArgs: exact(moduleArgs) } : {}),
    cfgBindings: exact(facts.cfgBindings),
    configReads: exact(facts.configReads),
    secretsDeclared: exact(secretsDeclared),
    secretsUsed: exact(facts.secretsUsed),
    ...(ctx.computedSecretUses.length > 0 ? { secretsUsedComputed: exact(ctx.computedSecretUses) } : {}),
    assertionSecrets: exact([...facts.assertionSecrets]),
    tmpfiles: exact(tmpfiles),
    routes: exact(extractRoutes(configValue, fileValue, isRouteFile(file, config))),
    networksCreated: exact(facts.networksCreated.concat(networksFromServices)),
    networkNames: exact(networkNames),
    imports: exact(imports),
    enabled: exact(enabled),
    imperativeCommands: exact(facts.imperativeCommands),
    suppressions: exact(facts.suppressions),
    syntaxErrors: exact(syntaxErrors),
    unguardedDefinitions: moduleFolder ? exact(unguardedDefinitions) : NONE,
    firstLine,
    ...conventionFacts,
    ...(how.editorFacts === false ? {} : editorFacts(ctx, configValue, config)),
  };
}

const NONE: never[] = Object.freeze([]) as never[];

/** What a Caddy site's settings hold (the house route template and `virtualHosts` entries). */
const SITE_KEYS = new Set(['reverse_proxy', 'extraConfig', 'respond', 'redir', 'file_server']);

/** Facts only convention discovery reads; absent (not empty) when the file has none, to keep summaries small. */
function conventionFactsOf(fileValue: Value, configValue: Value): { routeSites?: number; timeZones?: string[] } {
  const out: { routeSites?: number; timeZones?: string[] } = {};
  const isModule = fileValue.k === 'attrs' && fileValue.entries.some((e) => e.key !== null && NON_CONFIG_KEYS.has(e.key));
  if (fileValue.k === 'attrs' && !isModule) {
    let sites = 0;
    for (const entry of fileValue.entries) if (entry.value.k === 'attrs' && entry.value.entries.some((e) => e.key !== null && SITE_KEYS.has(e.key))) sites++;
    if (sites > 0) out.routeSites = sites;
  }
  const zones: string[] = [];
  collectAt(configValue, ['time', 'timeZone'], false, (v) => {
    const text = v.k === 'str' ? knownText(v.parts) : null;
    if (text) zones.push(intern(text));
  });
  if (zones.length > 0) out.timeZones = zones;
  return out;
}

/**
 * An array grown by push keeps spare room, and the index keeps summaries for good: copy to
 * size. Most of a summary's lists are empty: those share one (frozen) empty array.
 */
function exact<T>(items: T[]): T[] {
  return items.length === 0 ? NONE : items.slice();
}

/** Where options are read and set, for editor navigation (summaries for `hwc lint` leave them out). */
function editorFacts(ctx: EvalContext, configValue: Value, config: LintConfig): { optionReads: PathRef[]; optionDefinitions: PathRef[] } {
  const optionReads: PathRef[] = [];
  const readSites = new Set<string>();
  for (const ref of ctx.refs) {
    const key = `${ref.src.range.start.line}:${ref.src.range.start.character}`;
    if (readSites.has(key)) continue;
    readSites.add(key);
    optionReads.push(ref);
  }
  const optionDefinitions: PathRef[] = [];
  const namespacePath = config.namespace.split('.');
  collectAt(configValue, namespacePath, false, (namespaceValue) =>
    forEachEntry(namespaceValue, false, (name, moduleValue) => {
      if (name === null) return;
      forEachEntry(moduleValue, false, (key, _v, keySrc) => {
        if (key !== null) optionDefinitions.push({ path: namespacePath.concat(name, key), src: keySrc });
      });
    }),
  );
  return { optionReads: exact(optionReads), optionDefinitions: exact(optionDefinitions) };
}

/** Whether `podman network create` (or docker's) can appear in a string of a file with this text (a walk of every value otherwise). */
function mayCreateNetworks(text: string): boolean {
  return text.includes('network') && text.includes('create') && (text.includes('podman') || text.includes('docker'));
}

const NETWORK_CREATE_HOLES = /\b(?:podman|docker)\s+network\s+create\s+(?:--?[\w-]+(?:[ =]\S+)?\s+)*((?:[A-Za-z0-9]|\u0000)[^\s;|&)'"]*)/g;

/**
 * `podman network create <name>` (or `docker network create`) in evaluated strings, where the name may come from a `let`
 * (already substituted) or an option (kept as a reference for the resolver).
 */
function collectNetworkCreations(value: Value, out: StrValue[]): void {
  eachLeaf(value, (leaf) => {
    if (leaf.k !== 'str' || !leaf.parts.some((p) => typeof p === 'string' && p.includes('network'))) return;
    const holes: StrPart[] = [];
    const text = leaf.parts.map((p) => (typeof p === 'string' ? p : `\u0000${holes.push(p) - 1}\u0000`)).join('');
    for (const match of text.matchAll(NETWORK_CREATE_HOLES)) {
      const parts = match[1].split(/\u0000(\d+)\u0000/).map((piece, i) => (i % 2 === 1 ? holes[Number(piece)] : piece)).filter((p) => p !== '');
      out.push({ k: 'str', parts, src: leaf.src });
    }
  }, { lists: true, attrs: true });
}

export function isRouteFile(file: string, config: LintConfig): boolean {
  if (config.routesFile !== undefined && file === config.routesFile.replace(/^\.\//, '')) return true;
  return file.startsWith(config.routesFolder.replace(/\/+$/, '') + '/') && file.endsWith('.nix');
}

/** The summary of a file over a limit (parse/limits.ts): nothing but the reason, reported as `file-not-analysed`. */
/** `firstLine`: the text of the file's first line (see firstLineOf in parse/limits.ts). */
export function notAnalysedSummary(file: string, reason: string, firstLine = ''): FileSummary {
  const summary = emptySummary(file);
  summary.firstLine = { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } } };
  summary.notAnalysed = reason;
  return summary;
}


/** An empty summary for a file that could not be read or parsed at all. */
export function emptySummary(file: string): FileSummary {
  const nowhere: Src = { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  return {
    file, moduleFolder: null, containers: [], options: [], optionRoots: [], aliases: [], cfgBindings: [], configReads: [],
    secretsDeclared: [], secretsUsed: [], assertionSecrets: [], tmpfiles: [], routes: [], networksCreated: [], imports: [],
    enabled: [], imperativeCommands: [], suppressions: [], syntaxErrors: [], unguardedDefinitions: [], firstLine: nowhere,
  };
}
