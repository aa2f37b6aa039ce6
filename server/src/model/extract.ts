// tree → FileSummary: evaluates the file once and keeps only what rules and features need.
import * as path from 'path';
import type { FlatTree, Tree } from '../parse/parser';
import { SyntaxProblem, collectSyntaxProblems } from '../parse/syntaxErrors';
import type { LintConfig } from '../config/schema';
import { EvalContext, Scope, evaluateAt, letScope, moduleScope, newContext, rootScope } from './evaluator';
import { Src, srcAt } from './source';
import { intern } from './intern';
import { scanSyntax } from './syntaxFacts';
import { F, K, SyntaxTree } from './syntaxTree';
import type { ContainerModel, FileSummary, OptionDecl, PathRef, Route, SecretDeclaration } from './summary';
import { StrPart, StrValue, Value, attrValues, knownText } from './values';

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

/** Visits every definition reached by following `keys` through attrsets, guards, merges and alternatives. */
function collectAt(value: Value, keys: string[], guarded: boolean, visit: Visit, depth = 0): void {
  if (depth > 60) return;
  switch (value.k) {
    case 'attrs':
      if (keys.length === 0) return visit(value, guarded);
      for (const entry of value.entries) if (entry.key === keys[0]) collectAt(entry.value, keys.slice(1), guarded, visit, depth + 1);
      return;
    case 'guard':
      return collectAt(value.body, keys, guarded || value.enable, visit, depth + 1);
    case 'merge':
      for (const item of value.items) collectAt(item, keys, guarded, visit, depth + 1);
      return;
    case 'alt':
      for (const option of value.options) collectAt(option, keys, guarded, visit, depth + 1);
      return;
    default:
      if (keys.length === 0) visit(value, guarded);
  }
}

/** Each (key, value, keySrc) of an attrset-like value, through guards and merges. */
function forEachEntry(value: Value, guarded: boolean, fn: (key: string | null, v: Value, keySrc: Src, guarded: boolean, dynamicKey?: StrValue) => void, depth = 0): void {
  if (depth > 60) return;
  if (value.k === 'attrs') for (const e of value.entries) fn(e.key, e.value, e.keySrc, guarded, e.dynamicKey);
  else if (value.k === 'guard') forEachEntry(value.body, guarded || value.enable, fn, depth + 1);
  else if (value.k === 'merge') for (const item of value.items) forEachEntry(item, guarded, fn, depth + 1);
  else if (value.k === 'alt') for (const option of value.options) forEachEntry(option, guarded, fn, depth + 1);
}

function containerFields(value: Value): Record<string, Value[]> {
  const fields: Record<string, Value[]> = {};
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

function flattenStrings(value: Value, out: StrValue[], depth = 0): void {
  if (depth > 40) return;
  if (value.k === 'str') out.push(value);
  else if (value.k === 'list') for (const item of value.items) flattenStrings(item, out, depth + 1);
  else if (value.k === 'alt') for (const option of value.options) flattenStrings(option, out, depth + 1);
  else if (value.k === 'merge') for (const item of value.items) flattenStrings(item, out, depth + 1);
  else if (value.k === 'guard') flattenStrings(value.body, out, depth + 1);
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
      if (v.k !== 'str') return;
      const text = knownText(v.parts);
      if (text === null) return;
      for (const match of text.matchAll(/reverse_proxy\s+(\S+)/g)) out.push({ k: 'str', parts: [match[1]], src: v.src });
    });
    return out;
  };
  const addSites = (sites: Value) =>
    forEachEntry(sites, false, (key, v, keySrc, _g, dynamicKey) => {
      const domain: StrValue | null = key !== null ? { k: 'str', parts: [key], src: keySrc } : dynamicKey ?? null;
      routes.push({ domain, upstreams: upstreamsOf(v), src: keySrc });
    });
  if (isRouteFile) addSites(fileValue);
  collectAt(configValue, ['services', 'caddy', 'virtualHosts'], false, addSites);
  return routes;
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

export function extractSummary(tree: Tree, file: string, config: LintConfig, options: ExtractOptions = {}): FileSummary {
  return summaryOf(SyntaxTree.of(tree), file, config, collectSyntaxProblems(tree), options);
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
  const configValue = configPart(fileValue);
  const moduleFolder = moduleFolderOf(file, config);

  const containers: ContainerModel[] = [];
  const unguardedDefinitions: Src[] = [];
  collectAt(configValue, CONTAINERS_PATH, false, (containersValue, guarded) => {
    forEachEntry(containersValue, guarded, (key, v, keySrc, isGuarded, dynamicKey) => {
      const name = key ?? (dynamicKey ? knownText(dynamicKey.parts) : null);
      if (name === null) return;
      containers.push({ name, nameSrc: keySrc, file, moduleFolder, guarded: isGuarded, helper: null, fields: containerFields(v) });
      if (!isGuarded) unguardedDefinitions.push(keySrc);
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
      if (moduleFolder && !isGuarded) unguardedDefinitions.push(keySrc);
    }),
  );

  const options: OptionDecl[] = [];
  const optionRoots: PathRef[] = [];
  if (fileValue.k === 'attrs') {
    for (const entry of fileValue.entries) {
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
  if (fileValue.k === 'attrs') {
    // Every path a list may hold: items of `++`, both branches of an `if`, `lib.optional(s)`.
    const addImports = (value: Value, depth: number): void => {
      if (depth > 20) return;
      if (value.k === 'path' && !value.v.startsWith('<')) imports.push({ target: relativeTarget(file, value.v), src: value.src });
      else if (value.k === 'list' || value.k === 'merge') for (const item of value.items) addImports(item, depth + 1);
      else if (value.k === 'alt') for (const option of value.options) addImports(option, depth + 1);
      else if (value.k === 'guard') addImports(value.body, depth + 1);
    };
    for (const importsValue of attrValues(fileValue, 'imports')) addImports(importsValue, 0);
  }

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
  collectNetworkCreations(configValue, networkNames);

  const enabled: string[] = [];
  collectEnabled(configValue, [], enabled);

  const facts = scanSyntax(t, file, config.namespace.split('.')[0]);
  return {
    file,
    moduleFolder,
    containers: exact(containers),
    options: exact(options),
    optionRoots: exact(optionRoots),
    aliases: exact(ctx.aliases),
    cfgBindings: exact(facts.cfgBindings),
    configReads: exact(facts.configReads),
    secretsDeclared: exact(secretsDeclared),
    secretsUsed: exact(facts.secretsUsed),
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
    ...(how.editorFacts === false ? {} : editorFacts(ctx, configValue, config)),
  };
}

const NONE: never[] = Object.freeze([]) as never[];

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

const NETWORK_CREATE_HOLES = /\bpodman\s+network\s+create\s+(?:--?[\w-]+(?:[ =]\S+)?\s+)*((?:[A-Za-z0-9]|\u0000)[^\s;|&)'"]*)/g;

/**
 * `podman network create <name>` in evaluated strings, where the name may come from a `let`
 * (already substituted) or an option (kept as a reference for the resolver).
 */
function collectNetworkCreations(value: Value, out: StrValue[], depth = 0): void {
  if (depth > 40) return;
  switch (value.k) {
    case 'str': {
      if (!value.parts.some((p) => typeof p === 'string' && p.includes('network'))) return;
      const holes: StrPart[] = [];
      const text = value.parts.map((p) => (typeof p === 'string' ? p : `\u0000${holes.push(p) - 1}\u0000`)).join('');
      for (const match of text.matchAll(NETWORK_CREATE_HOLES)) {
        const parts = match[1].split(/\u0000(\d+)\u0000/).map((piece, i) => (i % 2 === 1 ? holes[Number(piece)] : piece)).filter((p) => p !== '');
        out.push({ k: 'str', parts, src: value.src });
      }
      return;
    }
    case 'attrs':
      for (const entry of value.entries) collectNetworkCreations(entry.value, out, depth + 1);
      return;
    case 'list':
    case 'merge':
      for (const item of value.items) collectNetworkCreations(item, out, depth + 1);
      return;
    case 'alt':
      for (const option of value.options) collectNetworkCreations(option, out, depth + 1);
      return;
    case 'guard':
      return collectNetworkCreations(value.body, out, depth + 1);
    default:
      return;
  }
}

export function isRouteFile(file: string, config: LintConfig): boolean {
  if (config.routesFile !== undefined && file === config.routesFile) return true;
  return file.startsWith(config.routesFolder.replace(/\/+$/, '') + '/') && file.endsWith('.nix');
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
