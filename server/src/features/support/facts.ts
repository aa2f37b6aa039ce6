// What editor features know about a workspace beyond single summaries: resolved
// container facts, declared secrets, networks, images, the option tree, who depends on
// whom and where options are read. Each view is built on first use and kept until the
// index changes (one build per index generation, never one per request).
import type { Src } from '../../model/source';
import type { ContainerModel, FileSummary, OptionDecl, Route, SecretDeclaration } from '../../model/summary';
import { parseImage, parsePortMapping } from '../../rules/docker';
import { collectSecretRefs, statePath, volumes as resolvedVolumes } from '../../rules/facts';
import { type RouteFacts, resolveRoutes, routesServing } from '../../workspace/routes';
import type { WorkspaceIndex } from '../../workspace/index';
import { Resolver, type ResolvedString } from '../../workspace/resolve';
import type { Workspace } from '../../workspace/workspace';
import { srcKey } from './ranges';

export type { RouteFacts } from '../../workspace/routes';

export interface ContainerFacts {
  container: ContainerModel;
  /** The first fully known image, e.g. "lscr.io/linuxserver/sonarr:4.0.14". */
  image: string | null;
  /** Published port mappings whose text is known, as written after resolution. */
  ports: string[];
  hostPorts: number[];
  /** `/opt/<category>/<owner>` directories the container mounts. */
  stateDirs: string[];
  /** Category of the first state directory. */
  category: string | null;
  /** Secret names the container reads (`config.age.secrets.<n>…`, `/run/agenix/<n>`). */
  secrets: string[];
  dependsOn: ResolvedString[];
  /** Where the definition sits: its name and every field value (same file or not). */
  sites: Src[];
  /** Keys (srcKey) of every literal its fields resolve to, wherever it is written. */
  literals: Set<string>;
}

export interface OptionChild {
  /** The declaration when this name is an option. */
  decl?: OptionDecl;
  /** How many options lie below it, when it is a namespace. */
  options: number;
}

const cache = new WeakMap<WorkspaceIndex, WorkspaceFacts>();

/**
 * Container facts survive index generations while what they were computed from is
 * unchanged: the container object (replaced when its file is re-summarised), the
 * summaries of the files whose option defaults it used, the option paths it read that
 * had no declaration, and the config. Typing in one file then re-resolves only the
 * containers that file defines or feeds.
 */
interface CachedContainerFacts {
  facts: ContainerFacts;
  config: unknown;
  dependencies: Array<[string, FileSummary | undefined]>;
  misses: string[][];
}
const containerCache = new WeakMap<ContainerModel, CachedContainerFacts>();

/** The facts of a workspace for its index's current generation. */
export function factsOf(workspace: Workspace): WorkspaceFacts {
  const index = workspace.index;
  let facts = cache.get(index);
  if (!facts || facts.generation !== index.generation) {
    facts = new WorkspaceFacts(workspace, index.generation);
    cache.set(index, facts);
  }
  return facts;
}

export class WorkspaceFacts {
  readonly index: WorkspaceIndex;
  readonly resolver: Resolver;
  private readonly perContainer = new Map<ContainerModel, ContainerFacts>();
  private secretsView?: Map<string, SecretDeclaration[]>;
  private secretUsesView?: Map<string, Src[]>;
  private networksView?: Map<string, Src[]>;
  private imagesView?: Map<string, number>;
  private readonly childrenViews = new Map<string, Map<string, OptionChild> | null>();
  private dependentsView?: Map<string, Array<{ container: ContainerModel; src: Src }>>;
  private optionSitesView?: Map<string, { reads: Src[]; definitions: Src[] }>;
  private routesView?: RouteFacts[];
  private namesView?: string[];

  constructor(readonly workspace: Workspace, readonly generation: number) {
    this.index = workspace.index;
    this.resolver = workspace.index.resolver();
  }

  container(container: ContainerModel): ContainerFacts {
    let facts = this.perContainer.get(container);
    if (!facts) {
      facts = this.cachedContainer(container) ?? this.computeContainer(container);
      this.perContainer.set(container, facts);
    }
    return facts;
  }

  private cachedContainer(container: ContainerModel): ContainerFacts | undefined {
    const cached = containerCache.get(container);
    if (!cached || cached.config !== this.workspace.config) return undefined;
    for (const [file, summary] of cached.dependencies) if (this.index.get(file) !== summary) return undefined;
    for (const path of cached.misses) if (this.index.option(path)) return undefined;
    return cached.facts;
  }

  private computeContainer(container: ContainerModel): ContainerFacts {
    const dependencies = new Set<string>();
    const misses: string[][] = [];
    const lookup = {
      option: (path: string[]) => {
        const decl = this.index.option(path);
        if (!decl) misses.push(path);
        return decl;
      },
    };
    const facts = containerFacts(container, new Resolver(lookup, dependencies), this.workspace.config.stateRoot);
    containerCache.set(container, {
      facts,
      config: this.workspace.config,
      dependencies: [...dependencies].map((file) => [file, this.index.get(file)]),
      misses,
    });
    return facts;
  }

  /** Every container name, sorted, once. */
  containerNames(): string[] {
    return (this.namesView ??= [...new Set(this.index.containers().map((c) => c.name))].sort());
  }

  secrets(): Map<string, SecretDeclaration[]> {
    if (!this.secretsView) {
      const map = new Map<string, SecretDeclaration[]>();
      for (const file of this.index.files()) for (const s of file.secretsDeclared) push(map, s.name, s);
      this.secretsView = map;
    }
    return this.secretsView;
  }

  secretUses(): Map<string, Src[]> {
    if (!this.secretUsesView) {
      const map = new Map<string, Src[]>();
      for (const file of this.index.files()) for (const s of file.secretsUsed) push(map, s.name, s.src);
      this.secretUsesView = map;
    }
    return this.secretUsesView;
  }

  networks(): Map<string, Src[]> {
    if (!this.networksView) {
      const map = new Map<string, Src[]>();
      for (const file of this.index.files()) for (const n of file.networksCreated) push(map, n.name, n.src);
      this.networksView = map;
    }
    return this.networksView;
  }

  /** Images used by containers with a pinned tag or digest, with how many containers use each. */
  pinnedImages(): Map<string, number> {
    if (!this.imagesView) {
      const map = new Map<string, number>();
      for (const container of this.index.containers()) {
        const image = this.container(container).image;
        if (image === null) continue;
        const ref = parseImage(image);
        if (!ref.digest && (ref.tag === null || ref.tag === '' || ref.tag === 'latest')) continue;
        map.set(image, (map.get(image) ?? 0) + 1);
      }
      this.imagesView = map;
    }
    return this.imagesView;
  }

  /**
   * The names one level below an option path (following aliases): each with its
   * declaration when it is an option, or the number of options below it. One pass over
   * the declarations without building a tree: cheaper than a tree rebuilt per keystroke.
   */
  optionChildren(path: string[]): Map<string, OptionChild> | undefined {
    const parent = this.index.canonicalPath(path);
    const key = parent.join('.');
    let children = this.childrenViews.get(key);
    if (children === undefined) {
      const found = new Map<string, OptionChild>();
      for (const decl of this.index.optionDeclarations().values()) {
        if (decl.path.length <= parent.length || !parent.every((segment, i) => decl.path[i] === segment)) continue;
        const name = decl.path[parent.length];
        let child = found.get(name);
        if (!child) found.set(name, (child = { options: 0 }));
        if (decl.path.length === parent.length + 1) child.decl = decl;
        else child.options++;
      }
      children = found.size > 0 ? found : null;
      this.childrenViews.set(key, children);
    }
    return children ?? undefined;
  }

  /** Containers that list a name in `dependsOn`, with the entry. */
  dependents(): Map<string, Array<{ container: ContainerModel; src: Src }>> {
    if (!this.dependentsView) {
      const map = new Map<string, Array<{ container: ContainerModel; src: Src }>>();
      for (const container of this.index.containers()) {
        for (const entry of this.container(container).dependsOn) if (entry.text !== null) push(map, entry.text, { container, src: entry.src });
      }
      this.dependentsView = map;
    }
    return this.dependentsView;
  }

  /** Where each option (canonical dotted path) is read and defined. */
  optionSites(): Map<string, { reads: Src[]; definitions: Src[] }> {
    if (!this.optionSitesView) {
      const map = new Map<string, { reads: Src[]; definitions: Src[] }>();
      const entry = (path: string[]) => {
        const key = this.index.canonicalPath(path).join('.');
        let sites = map.get(key);
        if (!sites) map.set(key, (sites = { reads: [], definitions: [] }));
        return sites;
      };
      for (const file of this.index.files()) {
        for (const read of file.optionReads ?? []) entry(read.path).reads.push(read.src);
        for (const definition of file.optionDefinitions ?? []) entry(definition.path).definitions.push(definition.src);
      }
      this.optionSitesView = map;
    }
    return this.optionSitesView;
  }

  routes(): RouteFacts[] {
    return (this.routesView ??= resolveRoutes(this.index, this.resolver));
  }

  /** The Caddy route serving a container: by its module's domain option, its name or its published port. */
  routeOf(container: ContainerModel): RouteFacts | undefined {
    return routesServing(container, this.container(container).hostPorts, this.routes(), this.workspace.config.namespace)[0];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function containerFacts(container: ContainerModel, resolver: Resolver, stateRoot: string): ContainerFacts {
  const literals = new Set<string>();
  const sites: Src[] = [container.nameSrc];
  const remember = (values: ResolvedString[]) => {
    for (const v of values) literals.add(srcKey(v.src));
    return values;
  };
  for (const values of Object.values(container.fields)) {
    for (const value of values) sites.push(value.src);
    remember(resolver.strings(values));
  }
  const image = resolver.strings(container.fields.image).find((v) => v.text !== null)?.text ?? null;
  const ports: string[] = [];
  const hostPorts: number[] = [];
  for (const port of resolver.strings(container.fields.ports)) {
    if (port.text === null) continue;
    ports.push(port.text);
    const mapping = parsePortMapping(port.text);
    if (!('error' in mapping)) hostPorts.push(...mapping.hostPorts);
  }
  const stateDirs: string[] = [];
  const secrets = new Set<string>();
  for (const entry of resolvedVolumes(container, resolver)) {
    if (!('volume' in entry)) continue;
    const state = statePath(entry.volume.host, stateRoot);
    if (state?.owner && !stateDirs.includes(state.dir)) stateDirs.push(state.dir);
    const agenix = /^\/run\/agenix\/([^/]+)/.exec(entry.volume.host);
    if (agenix) secrets.add(agenix[1]);
  }
  for (const values of Object.values(container.fields)) for (const value of values) collectSecretRefs(value, secrets);
  const category = stateDirs.length > 0 ? stateDirs[0].slice(stateRoot.replace(/\/+$/, '').length + 1).split('/')[0] : null;
  return {
    container,
    image,
    ports,
    hostPorts,
    stateDirs,
    category,
    secrets: [...secrets].sort(),
    dependsOn: resolver.strings(container.fields.dependsOn),
    sites,
    literals,
  };
}
