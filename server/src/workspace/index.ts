// The workspace index: one compact summary per file (never the tree), the set of files
// on disk, and the cross-file views rules need (options by path, containers by name,
// module folders, what the profile imports). Views are rebuilt lazily after a change.
import * as path from 'path';
import type { LintConfig } from '../config/schema';
import type { ContainerModel, FileSummary, OptionDecl } from '../model/summary';
import { OptionLookup, ResolutionCache, Resolver } from './resolve';

/** What of a summary decides option lookups: its option paths and aliases. */
function optionShape(summary: FileSummary | undefined): string {
  if (!summary || (summary.options.length === 0 && summary.aliases.length === 0)) return '';
  return summary.options.map((o) => o.path.join('.')).join('|') + '#' + JSON.stringify(summary.aliases);
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

interface Views {
  options: Map<string, OptionDecl>;
  aliases: Array<[string[], string[]]>;
  containers: ContainerModel[];
  containersByName: Map<string, ContainerModel[]>;
  modules: Map<string, ModuleInfo>;
}

export class WorkspaceIndex implements OptionLookup, ResolutionCache {
  private readonly summaries = new Map<string, FileSummary>();
  /** Every workspace-relative file path known to exist (all kinds, not only .nix). */
  private readonly existing = new Set<string>();
  private views: Views | undefined;
  /** Bumped on every change; caches compare against it. */
  generation = 0;
  /** Bumped when any file's option paths or aliases change (ResolutionCache). */
  optionPathsVersion = 0;
  readonly memo: ResolutionCache['memo'] = new WeakMap();

  constructor(readonly root: string, public config: LintConfig) {}

  setConfig(config: LintConfig): void {
    this.config = config;
    this.optionPathsVersion++;
    this.invalidate();
  }

  update(summary: FileSummary): void {
    if (optionShape(this.summaries.get(summary.file)) !== optionShape(summary)) this.optionPathsVersion++;
    this.summaries.set(summary.file, summary);
    this.existing.add(summary.file);
    this.invalidate();
  }

  remove(file: string): void {
    if (optionShape(this.summaries.get(file)) !== '') this.optionPathsVersion++;
    this.summaries.delete(file);
    this.existing.delete(file);
    this.invalidate();
  }

  /** Records a non-Nix file (an `.age` file) as present or gone. */
  setExists(file: string, exists: boolean): void {
    if (exists) this.existing.add(file);
    else this.existing.delete(file);
    this.invalidate();
  }

  exists(file: string): boolean {
    return this.existing.has(file);
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

  private invalidate(): void {
    this.views = undefined;
    this.generation++;
  }

  private build(): Views {
    const options = new Map<string, OptionDecl>();
    const aliases: Array<[string[], string[]]> = [];
    const containers: ContainerModel[] = [];
    const containersByName = new Map<string, ContainerModel[]>();
    const modules = new Map<string, ModuleInfo>();
    const containersDir = this.config.containersFolder.replace(/\/+$/, '');
    const namespace = this.config.namespace.split('.');
    for (const alias of this.config.namespaceAliases) aliases.push([alias.split('.'), namespace]);
    for (const summary of this.summaries.values()) {
      for (const option of summary.options) if (!options.has(option.path.join('.'))) options.set(option.path.join('.'), option);
      aliases.push(...summary.aliases);
      for (const container of summary.containers) {
        containers.push(container);
        const list = containersByName.get(container.name);
        if (list) list.push(container);
        else containersByName.set(container.name, [container]);
      }
      if (summary.moduleFolder) {
        let info = modules.get(summary.moduleFolder);
        if (!info) {
          info = { folder: summary.moduleFolder, dir: `${containersDir}/${summary.moduleFolder}`, files: [], entry: undefined, optionsFile: undefined, containers: [] };
          modules.set(summary.moduleFolder, info);
        }
        info.files.push(summary);
        info.containers.push(...summary.containers);
        const rest = summary.file.slice(info.dir.length + 1);
        if (rest === 'index.nix' || (rest === 'default.nix' && !info.entry)) info.entry = summary;
        if (rest === 'options.nix') info.optionsFile = summary;
      }
    }
    return { options, aliases, containers, containersByName, modules };
  }

  private get v(): Views {
    return (this.views ??= this.build());
  }

  /** OptionLookup: the declaration of an option path, following namespace aliases. */
  option(optionPath: string[]): OptionDecl | undefined {
    const views = this.v;
    const direct = views.options.get(optionPath.join('.'));
    if (direct) return direct;
    for (const [from, to] of views.aliases) {
      if (from.length <= optionPath.length && from.every((seg, i) => optionPath[i] === seg)) {
        const found = views.options.get([...to, ...optionPath.slice(from.length)].join('.'));
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Maps an aliased option path onto the canonical namespace (identity when no alias applies). */
  canonicalPath(optionPath: string[]): string[] {
    for (const [from, to] of this.v.aliases) {
      if (from.length <= optionPath.length && from.every((seg, i) => optionPath[i] === seg)) return [...to, ...optionPath.slice(from.length)];
    }
    return optionPath;
  }

  resolver(): Resolver {
    return new Resolver(this, new Set(), this);
  }

  containers(): ContainerModel[] {
    return this.v.containers;
  }

  containersNamed(name: string): ContainerModel[] {
    return this.v.containersByName.get(name) ?? [];
  }

  modules(): Map<string, ModuleInfo> {
    return this.v.modules;
  }

  optionDeclarations(): Map<string, OptionDecl> {
    return this.v.options;
  }

  /** An import target as a file: `./dir` means `./dir/default.nix`. */
  importedFile(target: string): string | undefined {
    if (this.summaries.has(target)) return target;
    const asDefault = path.posix.join(target, 'default.nix');
    if (this.summaries.has(asDefault)) return asDefault;
    return undefined;
  }

  /** Every file the given file imports, transitively. */
  importClosure(start: string): Set<string> {
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
