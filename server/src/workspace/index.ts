// The workspace index: one compact summary per file (never the tree), the set of files
// on disk, and the cross-file views rules need (options by path, containers by name,
// module folders, what the profile imports). Views are rebuilt lazily after a change.
import * as path from 'path';
import type { LintConfig } from '../config/schema';
import type { ContainerModel, FileSummary, OptionDecl } from '../model/summary';
import type { Value } from '../model/values';
import { shareSummaryLists } from '../model/compact';
import { OptionLookup, ResolutionCache, Resolver } from './resolve';
import { keepUnchangedContainers } from './reuse';

/** What of a summary decides option lookups: its option paths and aliases. */
export function optionShape(summary: FileSummary | undefined): string {
  if (!summary || (summary.options.length === 0 && summary.aliases.length === 0 && !summary.partImports && !summary.moduleArgs)) return '';
  const given = (summary.partImports ?? []).map((p) => p.target).join('|') + '#' + (summary.moduleArgs ?? []).map((a) => a.name).join('|');
  return summary.options.map((o) => o.path.join('.')).join('|') + '#' + JSON.stringify(summary.aliases) + '#' + given;
}

/** Module arguments given in the workspace: by importers to a file (`import ./x.nix { … }`), and to every module. */
interface ArgumentsView {
  byTarget: Map<string, Array<{ args: Value; file: string }>>;
  everywhere: Map<string, Array<{ value: Value; file: string }>>;
}

export interface ModuleInfo {
  folder: string;
  /** Workspace-relative path of the folder. */
  dir: string;
  files: FileSummary[];
  /** index.nix or default.nix of the folder. */
  entry: FileSummary | undefined;
  /** The options file (options.nix), if present. */
  optionsFile: FileSummary | undefined;
  containers: ContainerModel[];
}

interface OptionsView {
  options: Map<string, OptionDecl>;
  aliases: Array<[string[], string[]]>;
}

interface ContainersView {
  containers: ContainerModel[];
  containersByName: Map<string, ContainerModel[]>;
}

/** Enough for chains of renames; bounds the work a cyclic or huge alias set could make. */
const MAX_ALIAS_EQUIVALENTS = 32;

/** Adds `item` to a sorted list (in the order of Array.prototype.sort) unless it is there. */
function insertSorted(list: string[], item: string): void {
  let at = list.length;
  while (at > 0 && list[at - 1] > item) at--;
  if (at > 0 && list[at - 1] === item) return;
  list.splice(at, 0, item);
}

function removeFrom(list: string[], item: string): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

export function importsShape(summary: FileSummary | undefined): string {
  return summary ? summary.imports.map((i) => i.target).join('|') : '';
}

export class WorkspaceIndex implements OptionLookup, ResolutionCache {
  private readonly summaries = new Map<string, FileSummary>();
  /** Every workspace-relative file path known to exist (all kinds, not only .nix). */
  private readonly existing = new Set<string>();
  // Views are rebuilt per aspect, and only when a change touches that aspect: an edit to one
  // module's index.nix rebuilds that module folder, not the whole workspace's views.
  private optionsView: OptionsView | undefined;
  private containersView: ContainersView | undefined;
  private argumentsView: ArgumentsView | undefined;
  private readonly moduleViews = new Map<string, ModuleInfo>();
  /** The files of each module folder, sorted (an array: most folders hold two files, and a Set of two costs ten times as much). */
  private readonly folderFiles = new Map<string, string[]>();
  private readonly dirtyFolders = new Set<string>();
  /** Bumped when some file's imports change, or a file appears or vanishes (import closures). */
  importsVersion = 0;
  /** Bumped when a file appears or vanishes (`exists`). */
  existenceVersion = 0;
  /** Files changed since the lint state last asked (see takeChangedFiles). */
  private readonly changedFiles = new Set<string>();
  private readonly closures = new Map<string, { version: number; files: Set<string> }>();
  /** Bumped on every change; caches compare against it. */
  generation = 0;
  /** Bumped when any file's option paths or aliases change (ResolutionCache). */
  optionPathsVersion = 0;
  readonly memo: ResolutionCache['memo'] = new WeakMap();

  constructor(readonly root: string, public config: LintConfig) {}

  setConfig(config: LintConfig): void {
    // Option lookups (and so every cached resolution) depend only on the namespace and its
    // aliases: other settings (discovered conventions, categories…) keep the resolutions.
    const lookupsChanged = config.namespace !== this.config.namespace || JSON.stringify(config.namespaceAliases) !== JSON.stringify(this.config.namespaceAliases);
    this.config = config;
    if (lookupsChanged) this.optionPathsVersion++;
    this.importsVersion++;
    this.optionsView = undefined;
    this.containersView = undefined;
    this.argumentsView = undefined;
    for (const folder of this.folderFiles.keys()) this.dirtyFolders.add(folder);
    this.generation++;
  }

  private changed(old: FileSummary | undefined, next: FileSummary | undefined): void {
    if (optionShape(old) !== optionShape(next)) this.optionPathsVersion++;
    if (old?.options.length || old?.aliases.length || next?.options.length || next?.aliases.length) this.optionsView = undefined;
    if (old?.containers.length || next?.containers.length) this.containersView = undefined;
    if (old?.partImports || old?.moduleArgs || next?.partImports || next?.moduleArgs) this.argumentsView = undefined;
    // A file appearing or vanishing can complete or break an import chain too.
    if (!old || !next || importsShape(old) !== importsShape(next)) this.importsVersion++;
    const file = (old ?? next)!.file;
    this.changedFiles.add(file);
    for (const folder of new Set([old?.moduleFolder, next?.moduleFolder])) {
      if (!folder) continue;
      this.dirtyFolders.add(folder);
      let files = this.folderFiles.get(folder);
      if (!files) this.folderFiles.set(folder, (files = []));
      if (next?.moduleFolder === folder) insertSorted(files, file);
      else removeFrom(files, file);
    }
    this.generation++;
  }

  update(summary: FileSummary): void {
    const old = this.summaries.get(summary.file);
    shareSummaryLists(summary);
    keepUnchangedContainers(old, summary);
    this.summaries.set(summary.file, summary);
    this.setExists(summary.file, true);
    this.changed(old, summary);
  }

  remove(file: string): void {
    const old = this.summaries.get(file);
    this.summaries.delete(file);
    this.setExists(file, false);
    if (old) this.changed(old, undefined);
  }

  /** Records a non-Nix file (an `.age` file) as present or gone. */
  setExists(file: string, exists: boolean): void {
    if (exists === this.existing.has(file)) return;
    if (exists) this.existing.add(file);
    else this.existing.delete(file);
    this.existenceVersion++;
    this.generation++;
  }

  /**
   * The files whose summaries changed since the last call (the lint state's journal: it
   * has one reader, the incremental lint of this index).
   */
  takeChangedFiles(): Set<string> {
    const files = new Set(this.changedFiles);
    this.changedFiles.clear();
    return files;
  }

  exists(file: string): boolean {
    return this.existing.has(file);
  }

  /** Every file known to exist (all kinds), for convention discovery (`.age` folders). */
  knownFiles(): IterableIterator<string> {
    return this.existing.values();
  }

  get(file: string): FileSummary | undefined {
    return this.summaries.get(file);
  }

  summaryOf(file: string): FileSummary | undefined {
    return this.summaries.get(file);
  }

  files(): IterableIterator<FileSummary> {
    return this.summaries.values();
  }

  get size(): number {
    return this.summaries.size;
  }

  private get optionViews(): OptionsView {
    if (this.optionsView) return this.optionsView;
    const options = new Map<string, OptionDecl>();
    const namespace = this.config.namespace.split('.');
    const aliases: Array<[string[], string[]]> = this.config.namespaceAliases.map((alias) => [alias.split('.'), namespace]);
    for (const summary of this.summaries.values()) {
      for (const option of summary.options) {
        const key = option.path.join('.');
        if (!options.has(key)) options.set(key, option);
      }
      if (summary.aliases.length) aliases.push(...summary.aliases);
    }
    return (this.optionsView = { options, aliases });
  }

  private get containerViews(): ContainersView {
    if (this.containersView) return this.containersView;
    const containers: ContainerModel[] = [];
    const containersByName = new Map<string, ContainerModel[]>();
    for (const summary of this.summaries.values()) {
      for (const container of summary.containers) {
        containers.push(container);
        const list = containersByName.get(container.name);
        if (list) list.push(container);
        else containersByName.set(container.name, [container]);
      }
    }
    return (this.containersView = { containers, containersByName });
  }

  private moduleInfo(folder: string): ModuleInfo | undefined {
    const dir = `${this.config.containersFolder.replace(/\/+$/, '')}/${folder}`;
    const files = (this.folderFiles.get(folder) ?? []).map((f) => this.summaries.get(f)).filter((f): f is FileSummary => !!f);
    if (files.length === 0) return undefined;
    const info: ModuleInfo = { folder, dir, files, entry: undefined, optionsFile: undefined, containers: [] };
    for (const summary of files) {
      info.containers.push(...summary.containers);
      const rest = summary.file.slice(dir.length + 1);
      if (rest === 'index.nix' || (rest === 'default.nix' && !info.entry)) info.entry = summary;
      if (rest === 'options.nix') info.optionsFile = summary;
    }
    return info;
  }

  /** OptionLookup: the declaration of an option path, following namespace aliases and renames both ways. */
  option(optionPath: string[]): OptionDecl | undefined {
    const views = this.optionViews;
    const direct = views.options.get(optionPath.join('.'));
    if (direct || views.aliases.length === 0) return direct;
    for (const equivalent of this.aliasEquivalents(optionPath)) {
      const found = views.options.get(equivalent.join('.'));
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Every path that names the same option as `optionPath` through aliases (`namespaceAliases`,
   * `mkRenamedOptionModule`, `mkAliasOptionModule`), applied in both directions and chained
   * (old → older → new): a rename makes two names for one option, whichever a module reads
   * or declares. The path itself comes first.
   */
  aliasEquivalents(optionPath: string[]): string[][] {
    const aliases = this.optionViews.aliases;
    if (aliases.length === 0) return [optionPath];
    const seen = new Set([optionPath.join('.')]);
    const out = [optionPath];
    for (let i = 0; i < out.length && out.length < MAX_ALIAS_EQUIVALENTS; i++) {
      for (const [from, to] of aliases) {
        for (const [a, b] of [[from, to], [to, from]]) {
          if (a.length > out[i].length || !a.every((seg, j) => out[i][j] === seg)) continue;
          const mapped = [...b, ...out[i].slice(a.length)];
          const key = mapped.join('.');
          if (!seen.has(key)) {
            seen.add(key);
            out.push(mapped);
          }
        }
      }
    }
    return out;
  }

  /** OptionLookup: module argument `name` of `file`, from its importers' calls first, else `_module.args`/`specialArgs`. */
  moduleArgument(file: string, name: string): Array<{ value: Value; file: string }> {
    const view = this.argumentViews;
    const out: Array<{ value: Value; file: string }> = [];
    const dir = file.endsWith('/default.nix') ? file.slice(0, -'/default.nix'.length) : null;
    for (const target of dir ? [file, dir] : [file]) {
      for (const call of view.byTarget.get(target) ?? []) {
        if (call.args.k !== 'attrs') continue;
        for (const entry of call.args.entries) if (entry.key === name) out.push({ value: entry.value, file: call.file });
      }
    }
    return out.length > 0 ? out : view.everywhere.get(name) ?? [];
  }

  private get argumentViews(): ArgumentsView {
    if (this.argumentsView) return this.argumentsView;
    const byTarget = new Map<string, Array<{ args: Value; file: string }>>();
    const everywhere = new Map<string, Array<{ value: Value; file: string }>>();
    for (const summary of this.summaries.values()) {
      for (const call of summary.partImports ?? []) {
        const list = byTarget.get(call.target) ?? [];
        list.push({ args: call.args, file: summary.file });
        byTarget.set(call.target, list);
      }
      for (const given of summary.moduleArgs ?? []) {
        const list = everywhere.get(given.name) ?? [];
        list.push({ value: given.value, file: summary.file });
        everywhere.set(given.name, list);
      }
    }
    return (this.argumentsView = { byTarget, everywhere });
  }

  /** Maps an aliased option path onto the canonical namespace (identity when no alias applies). */
  canonicalPath(optionPath: string[]): string[] {
    for (const [from, to] of this.optionViews.aliases) {
      if (from.length <= optionPath.length && from.every((seg, i) => optionPath[i] === seg)) return [...to, ...optionPath.slice(from.length)];
    }
    return optionPath;
  }

  resolver(): Resolver {
    return new Resolver(this, new Set(), this);
  }

  /**
   * A resolver whose memo lives only as long as it does: for a one-off pass over the
   * workspace (convention discovery, each container's checks). The long-lived memo of
   * `resolver()` keeps every resolution while its summary lives (85 MB at 20,000 modules
   * after discovery alone), which only the editor features read again.
   */
  scratchResolver(shared?: ResolutionCache['shared'], memo: ResolutionCache['memo'] = new Map()): Resolver {
    // A Map, not a WeakMap: it is dropped with the resolver, and WeakMaps are costly to collect.
    return new Resolver(this, new Set(), { optionPathsVersion: this.optionPathsVersion, summaryOf: (file) => this.summaryOf(file), memo, shared });
  }

  /**
   * What convention discovery resolved (every container's volumes and environment), kept
   * only until the next full lint pass has read it (its scratch resolvers look here on a
   * miss, under the same validity checks), so that pass does not resolve it all again and
   * nothing holds it afterwards.
   */
  discoveryMemo: ResolutionCache['memo'] | undefined;

  /** The scratch resolver convention discovery uses; its memo is kept as discoveryMemo. */
  discoveryResolver(): Resolver {
    const memo: ResolutionCache['memo'] = new Map();
    this.discoveryMemo = memo;
    return this.scratchResolver(undefined, memo);
  }

  containers(): ContainerModel[] {
    return this.containerViews.containers;
  }

  containersNamed(name: string): ContainerModel[] {
    return this.containerViews.containersByName.get(name) ?? [];
  }

  /** Module folders; only the folders touched since the last call are rebuilt. */
  modules(): Map<string, ModuleInfo> {
    for (const folder of this.dirtyFolders) {
      const info = this.moduleInfo(folder);
      if (info) this.moduleViews.set(folder, info);
      else this.moduleViews.delete(folder);
    }
    this.dirtyFolders.clear();
    return this.moduleViews;
  }

  optionDeclarations(): Map<string, OptionDecl> {
    return this.optionViews.options;
  }

  /** An import target as a file: `./dir` means `./dir/default.nix`. */
  importedFile(target: string): string | undefined {
    if (this.summaries.has(target)) return target;
    const asDefault = path.posix.join(target, 'default.nix');
    if (this.summaries.has(asDefault)) return asDefault;
    return undefined;
  }

  /** Every file the given file imports, transitively (kept until some file's imports change). */
  importClosure(start: string): Set<string> {
    const cached = this.closures.get(start);
    if (cached && cached.version === this.importsVersion) return cached.files;
    const seen = this.computeClosure(start);
    this.closures.set(start, { version: this.importsVersion, files: seen });
    return seen;
  }

  private computeClosure(start: string): Set<string> {
    const seen = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imported of this.summaries.get(file)?.imports ?? []) {
        const target = this.importedFile(imported.target);
        if (target && !seen.has(target)) queue.push(target);
      }
    }
    return seen;
  }
}
