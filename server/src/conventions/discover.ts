// Convention discovery: what a repository's own files say about its layout and habits,
// read from the workspace index alone (summaries, never trees). Each value comes with its
// evidence, one line a person can check ("4 containers keep state under /opt/downloads/…").
// Pure: no disk, no config file; `effective.ts` decides what wins.
import * as path from 'path';
import type { LintConfig } from '../config/schema';
import { defaultLintConfig } from '../config/schema';
import { moduleFolderOf } from '../model/extract';
import type { StrValue } from '../model/values';
import { statePath, validVolumes } from '../rules/facts';
import type { WorkspaceIndex } from '../workspace/index';
import type { Resolver } from '../workspace/resolve';

/** The settings discovery can fill in. */
export const DISCOVERABLE_KEYS = [
  'containersFolder', 'namespace', 'namespaceAliases', 'categories', 'mediaPrefixes', 'tmpfiles', 'timezone',
  'profile', 'modulesImportFile', 'routesFolder', 'routesFile', 'secretsIndex', 'secretsFolder',
] as const;
export type DiscoverableKey = (typeof DISCOVERABLE_KEYS)[number];

export interface Discovered<K extends DiscoverableKey = DiscoverableKey> {
  value: NonNullable<LintConfig[K]>;
  /** One line of evidence. */
  reason: string;
}

export type DiscoveredValues = { [K in DiscoverableKey]?: Discovered<K> };

export interface Conventions {
  values: DiscoveredValues;
  /** Habits with no setting of their own (PUID/PGID, secret declaration form, helpers): shown, not applied. */
  notes: string[];
}

/** A state category is a convention, not a slip, once this many containers use it… */
export const MIN_CATEGORY_CONTAINERS = 3;
/** …and at least this share of the containers that keep state under the state root. */
export const MIN_CATEGORY_SHARE = 0.05;
/** Container paths where images expect the media library. */
export const MEDIA_TARGETS = ['/tv', '/movies', '/music', '/books', '/media', '/data/media'];
/** Last folder names of library sections (`/srv/media/tv` → library `/srv/media`). */
const LIBRARY_SECTIONS = new Set(['tv', 'shows', 'series', 'movies', 'films', 'music', 'books', 'audiobooks', 'ebooks', 'comics', 'anime', 'podcasts']);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listed = (names: Iterable<string>, max = 4) => {
  const all = [...names];
  return all.length <= max ? all.join(', ') : `${all.slice(0, max).join(', ')} and ${all.length - max} more`;
};

/** Keys sorted by count (descending), then by name, so results never depend on file order. */
function ranked<T>(counts: Map<string, T[]>): Array<[string, T[]]> {
  return [...counts].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** Infers the conventions of the indexed workspace. `config` supplies the containers folder and state root. */
export function discoverConventions(index: WorkspaceIndex, config: LintConfig = defaultLintConfig): Conventions {
  const values: DiscoveredValues = {};
  const notes: string[] = [];
  // Discovery runs once per scan or config change: its resolutions are kept only for the lint
  // pass that follows (WorkspaceIndex.discoveryMemo).
  const resolver = index.discoveryResolver();
  const containersFolder = discoverContainersFolder(index, config);
  if (containersFolder) values.containersFolder = containersFolder;
  // Module folders as the discovered layout sees them (summaries hold the configured one's).
  const layout: LintConfig = containersFolder ? { ...config, containersFolder: containersFolder.value } : config;
  // Asked several times per file by the steps below: worked out once.
  const folderByFile = new Map<string, string | null>();
  const folderOf = (file: string) => {
    let folder = folderByFile.get(file);
    if (folder === undefined) folderByFile.set(file, (folder = moduleFolderOf(file, layout)));
    return folder;
  };
  const folders = moduleFolders(index, layout, folderOf);

  const namespace = discoverNamespace(index, folderOf, folders);
  if (namespace) values.namespace = namespace;
  const ns = namespace?.value ?? config.namespace;
  const aliases = discoverAliases(index, ns);
  if (aliases) values.namespaceAliases = aliases;

  Object.assign(values, discoverStateHabits(index, resolver, config, notes));
  const media = discoverMediaPrefixes(index, resolver);
  if (media) values.mediaPrefixes = media;
  const timezone = discoverTimezone(index, resolver);
  if (timezone) values.timezone = timezone;

  const profile = discoverProfile(index, folderOf, folders, ns);
  if (profile) values.profile = profile;
  const importer = discoverModulesImportFile(index, folderOf, folders, layout);
  if (importer) values.modulesImportFile = importer;
  Object.assign(values, discoverRoutes(index, config));
  Object.assign(values, discoverSecrets(index, notes));
  return { values, notes };
}

/** Folder name → its workspace-relative dir, for every module folder holding files. */
function moduleFolders(index: WorkspaceIndex, config: LintConfig, folderOf: FolderOf): Map<string, string> {
  const base = config.containersFolder.replace(/\/+$/, '');
  const out = new Map<string, string>();
  for (const summary of index.files()) {
    const folder = folderOf(summary.file);
    if (folder) out.set(folder, `${base}/${folder}`);
  }
  return out;
}

type FolderOf = (file: string) => string | null;

/**
 * Where container modules live, when not where the config says: the folder whose
 * sub-folders hold the most container definitions (`modules/containers/<name>/…`).
 */
function discoverContainersFolder(index: WorkspaceIndex, config: LintConfig): Discovered<'containersFolder'> | undefined {
  const byParent = new Map<string, string[]>();
  // Each folder once (a list's includes() made this quadratic in the folders of one parent).
  const seen = new Set<string>();
  for (const summary of index.files()) {
    if (summary.containers.length === 0) continue;
    const dir = path.posix.dirname(summary.file);
    if (dir === '.' || seen.has(dir)) continue;
    seen.add(dir);
    push(byParent, path.posix.dirname(dir), dir);
  }
  const configured = config.containersFolder.replace(/\/+$/, '');
  const [parent, dirs] = ranked(byParent)[0] ?? [];
  if (!parent || !dirs || dirs.length < 2 || parent === configured) return undefined;
  // The configured folder still wins while it holds modules at all.
  if ((byParent.get(configured)?.length ?? 0) > 0 || parent === '.') return undefined;
  return { value: parent, reason: `${dirs.length} sub-folders define containers (${listed(dirs.map((d) => path.posix.basename(d)).sort())}); there are none in ${configured}` };
}

function discoverNamespace(index: WorkspaceIndex, folderOf: FolderOf, folders: Map<string, string>): Discovered<'namespace'> | undefined {
  const byNamespace = new Map<string, string[]>();
  for (const summary of index.files()) {
    const folder = folderOf(summary.file);
    if (!folder) continue;
    const seen = new Set<string>();
    for (const option of summary.options) {
      const at = option.path.indexOf(folder);
      if (at < 1) continue;
      const ns = option.path.slice(0, at).join('.');
      if (!seen.has(ns)) seen.add(ns), push(byNamespace, ns, folder);
    }
  }
  const best = ranked(new Map([...byNamespace].map(([ns, list]) => [ns, [...new Set(list)]])))[0];
  if (!best || best[1].length < Math.min(2, folders.size)) return undefined;
  return { value: best[0], reason: `${plural(best[1].length, 'module declares', 'modules declare')} options under \`${best[0]}.<folder>\` (${listed(best[1].sort())})` };
}

function discoverAliases(index: WorkspaceIndex, namespace: string): Discovered<'namespaceAliases'> | undefined {
  const found = new Map<string, string[]>();
  for (const summary of index.files()) {
    for (const [from, to] of summary.aliases) if (to.join('.') === namespace) push(found, from.join('.'), summary.file);
  }
  if (found.size === 0) return undefined;
  const value = [...found.keys()].sort();
  const where = [...new Set([...found.values()].flat())].sort();
  return { value, reason: `\`lib.mkRenamedOptionModule\`/\`mkAliasOptionModule\` in ${listed(where)} ${value.length === 1 ? 'makes' : 'make'} ${value.map((v) => `\`${v}\``).join(', ')} ${value.length === 1 ? 'an alias' : 'aliases'} of \`${namespace}\`` };
}

/** Categories, tmpfiles mode/owner and PUID/PGID habits: what the containers and their state directories show. */
function discoverStateHabits(index: WorkspaceIndex, resolver: Resolver, config: LintConfig, notes: string[]): Pick<DiscoveredValues, 'categories' | 'tmpfiles'> {
  const out: Pick<DiscoveredValues, 'categories' | 'tmpfiles'> = {};
  const root = config.stateRoot.replace(/\/+$/, '');
  const byCategory = new Map<string, string[]>();
  const owners = new Map<string, string[]>();
  for (const container of index.containers()) {
    const categories = new Set<string>();
    for (const { volume } of validVolumes(container, resolver)) {
      const state = statePath(volume.host, root);
      if (state && /^[a-z0-9][a-z0-9-]*$/.test(state.category)) categories.add(state.category);
    }
    for (const category of categories) push(byCategory, category, container.name);
    const env = new Map<string, string>();
    for (const { key, value } of resolver.entries(container.fields.environment)) {
      const text = value.length === 1 ? value[0].text?.trim() : undefined;
      if ((key === 'PUID' || key === 'PGID') && text && /^\d+$/.test(text)) env.set(key, text);
    }
    if (env.has('PUID') && env.has('PGID')) push(owners, `${env.get('PUID')}:${env.get('PGID')}`, container.name);
  }

  const house = defaultLintConfig.categories;
  const withState = new Set([...byCategory.values()].flat()).size;
  const common = (names: string[]) => new Set(names).size >= Math.max(MIN_CATEGORY_CONTAINERS, MIN_CATEGORY_SHARE * withState);
  const added = ranked(byCategory).filter(([category, names]) => !house.includes(category) && common(names));
  if (added.length > 0) {
    const rare = ranked(byCategory).filter(([category, names]) => !house.includes(category) && !common(names));
    const evidence = added.map(([category, names]) => `${plural(new Set(names).size, 'container keeps', 'containers keep')} state under ${root}/${category}/… (${listed([...new Set(names)].sort())})`);
    const notAdopted = rare.map(([category, names]) => `${root}/${category} (${listed([...new Set(names)].sort())}) is too rare to be a convention`);
    out.categories = { value: [...house, ...added.map(([c]) => c)], reason: [...evidence, ...notAdopted].join('; ') };
  }

  // tmpfiles entries that create directories under the state root: the usual mode and owner.
  const habits = new Map<string, string[]>();
  const templates = new Map<string, { src: StrValue['src']; dirs: Set<string> }>();
  for (const summary of index.files()) {
    for (const entry of resolver.strings(summary.tmpfiles)) {
      const m = entry.text === null ? null : /^([dDvqQ])\s+(\S+)\s+([0-7]{3,4})\s+(\S+)\s+(\S+)/.exec(entry.text.trim());
      if (!m || !(m[2] === root || m[2].startsWith(root + '/')) || m[4] === '-' || m[5] === '-') continue;
      push(habits, `${m[3]} ${m[4]} ${m[5]}`, m[2]);
      const at = `${entry.src.file}:${entry.src.range.start.line}:${entry.src.range.start.character}`;
      const template = templates.get(at) ?? { src: entry.src, dirs: new Set<string>() };
      template.dirs.add(m[2]);
      templates.set(at, template);
    }
  }
  const total = [...habits.values()].reduce((n, l) => n + l.length, 0);
  const [habit, dirs] = ranked(habits)[0] ?? [];
  if (habit && dirs && dirs.length >= 2) {
    const [mode, user, group] = habit.split(' ');
    out.tmpfiles = { value: { mode, user, group }, reason: `${dirs.length} of ${plural(total, 'tmpfiles entry', 'tmpfiles entries')} under ${root} are \`d <dir> ${mode} ${user} ${group} -\`` };
  }
  const helpers = [...templates.values()].filter((t) => t.dirs.size > 1).sort((a, b) => (a.src.file < b.src.file ? -1 : 1));
  if (helpers.length > 0) {
    notes.push(`tmpfiles entries are built by helper templates (one literal making several directories): ${listed(helpers.map((t) => `${t.src.file}:${t.src.range.start.line + 1}`))}`);
  }
  const [owner, ownerNames] = ranked(owners)[0] ?? [];
  if (owner && ownerNames) {
    const withIds = [...owners.values()].reduce((n, l) => n + l.length, 0);
    notes.push(`PUID/PGID: ${ownerNames.length} of ${plural(withIds, 'container')} that set both use ${owner}`);
    if (!out.tmpfiles && ownerNames.length >= 2) {
      const [user, group] = owner.split(':');
      out.tmpfiles = { value: { mode: defaultLintConfig.tmpfiles.mode, user, group }, reason: `no tmpfiles habit; ${ownerNames.length} containers run as PUID/PGID ${owner}` };
    }
  }
  return out;
}

/** Where a volume's host path puts the library root, for a mount at a media container path. */
export function libraryRoot(host: string, target: string): string | null {
  const t = target.replace(/\/+$/, '');
  if (!MEDIA_TARGETS.includes(t)) return null;
  const h = host.replace(/\/+$/, '') || '/';
  if (!h.startsWith('/')) return null;
  // `/srv/media/tv:/tv`: the section's parent is the library; `/srv/media:/media` is the library itself.
  const base = path.posix.basename(h);
  const parent = path.posix.dirname(h);
  const root = t !== '/media' && t !== '/data/media' && (LIBRARY_SECTIONS.has(base.toLowerCase()) || base === path.posix.basename(t)) ? parent : h;
  // Never a top-level folder (`/srv/tv` → not `/srv`, which holds everything else too).
  if (root === h) return h === '/' ? null : h;
  return root.split('/').length > 2 ? root : h;
}

function discoverMediaPrefixes(index: WorkspaceIndex, resolver: Resolver): Discovered<'mediaPrefixes'> | undefined {
  const roots = new Map<string, Array<{ container: string; target: string }>>();
  for (const container of index.containers()) {
    for (const { volume } of validVolumes(container, resolver)) {
      const root = volume.partial ? null : libraryRoot(volume.host, volume.target);
      if (root) push(roots, root, { container: container.name, target: volume.target.replace(/\/+$/, '') });
    }
  }
  if (roots.size === 0) return undefined;
  // A library inside another (`/srv/media` and `/srv/media/kids`) is covered by the outer one.
  const sorted = [...roots.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const root of sorted) {
    const outer = kept.find((k) => root.startsWith(k + '/'));
    if (outer) roots.get(outer)!.push(...roots.get(root)!);
    else kept.push(root);
  }
  const evidence = kept.map((root) => {
    const uses = roots.get(root)!;
    return `${plural(new Set(uses.map((u) => u.container)).size, 'container mounts', 'containers mount')} ${root} at ${[...new Set(uses.map((u) => u.target))].sort().join(', ')}`;
  });
  return { value: kept, reason: evidence.join('; ') };
}

function discoverTimezone(index: WorkspaceIndex, resolver: Resolver): Discovered<'timezone'> | undefined {
  const zones = new Map<string, string[]>();
  for (const summary of index.files()) for (const zone of summary.timeZones ?? []) push(zones, zone, summary.file);
  const [zone, files] = ranked(zones)[0] ?? [];
  if (zone && files) return { value: zone, reason: `\`time.timeZone = "${zone}"\` in ${listed([...new Set(files)].sort())}` };
  // No host sets it: the TZ the containers agree on.
  const tz = new Map<string, string[]>();
  for (const container of index.containers()) {
    for (const { key, value } of resolver.entries(container.fields.environment)) {
      const text = key === 'TZ' && value.length === 1 ? value[0].text : null;
      if (text) push(tz, text, container.name);
    }
  }
  const [common, names] = ranked(tz)[0] ?? [];
  if (common && names && names.length >= 2) return { value: common, reason: `no \`time.timeZone\`; ${names.length} containers set \`TZ = "${common}"\`` };
  return undefined;
}

/**
 * The profile: the file whose imports, followed, enable the most container modules; of
 * those, the one reaching the fewest files (the profile, not the host that imports it; a
 * profile split into parts, not one part).
 */
function discoverProfile(index: WorkspaceIndex, folderOf: FolderOf, folders: Map<string, string>, namespace: string): Discovered<'profile'> | undefined {
  const ns = namespace.split('.');
  const direct = new Map<string, Set<string>>();
  for (const summary of index.files()) {
    if (folderOf(summary.file)) continue;
    for (const enabled of summary.enabled) {
      const p = index.canonicalPath(enabled.split('.'));
      if (p.length !== ns.length + 2 || !ns.every((s, i) => p[i] === s) || !folders.has(p[ns.length])) continue;
      let set = direct.get(summary.file);
      if (!set) direct.set(summary.file, (set = new Set()));
      set.add(p[ns.length]);
    }
  }
  if (direct.size === 0) return undefined;
  let best: { file: string; enabled: Set<string>; reach: number } | undefined;
  for (const summary of index.files()) {
    if (folderOf(summary.file) || (summary.imports.length === 0 && !direct.has(summary.file))) continue;
    const closure = index.importClosure(summary.file);
    const enabled = new Set<string>();
    for (const file of closure) for (const folder of direct.get(file) ?? []) enabled.add(folder);
    if (enabled.size === 0) continue;
    const better = !best || enabled.size > best.enabled.size || (enabled.size === best.enabled.size && (closure.size < best.reach || (closure.size === best.reach && summary.file < best.file)));
    if (better) best = { file: summary.file, enabled, reach: closure.size };
  }
  if (!best) return undefined;
  const own = direct.get(best.file)?.size ?? 0;
  const how = own === best.enabled.size ? 'enables' : own === 0 ? 'enables, through the files it imports,' : `enables (${own} itself, the rest through its imports)`;
  return { value: best.file, reason: `${how} ${plural(best.enabled.size, 'container module')} (${listed([...best.enabled].sort())})` };
}

function discoverModulesImportFile(index: WorkspaceIndex, folderOf: FolderOf, folders: Map<string, string>, config: LintConfig): Discovered<'modulesImportFile'> | undefined {
  const base = config.containersFolder.replace(/\/+$/, '') + '/';
  const byFile = new Map<string, string[]>();
  for (const summary of index.files()) {
    if (folderOf(summary.file)) continue;
    const imported = new Set<string>();
    for (const { target } of summary.imports) {
      if (!target.startsWith(base)) continue;
      const folder = target.slice(base.length).split('/')[0];
      if (folders.has(folder)) imported.add(folder);
    }
    for (const folder of imported) push(byFile, summary.file, folder);
  }
  const [file, imported] = ranked(byFile)[0] ?? [];
  // A profile split into parts is no single import file: the profile stays the place.
  if (!file || !imported || imported.length < 2 || imported.length * 2 < folders.size) return undefined;
  return { value: file, reason: `imports ${imported.length} of ${plural(folders.size, 'container module')}` };
}

function discoverRoutes(index: WorkspaceIndex, config: LintConfig): Pick<DiscoveredValues, 'routesFolder' | 'routesFile'> {
  const byFolder = new Map<string, string[]>();
  let single: { file: string; sites: number } | undefined;
  for (const summary of index.files()) {
    const sites = summary.routeSites ?? 0;
    if (sites === 0) continue;
    push(byFolder, path.posix.dirname(summary.file), summary.file);
    if (sites >= 2 && (!single || sites > single.sites || (sites === single.sites && summary.file < single.file))) single = { file: summary.file, sites };
  }
  const [folder, files] = ranked(byFolder)[0] ?? [];
  if (folder && files && files.length >= 2 && files.length >= (single?.sites ?? 0)) {
    return { routesFolder: { value: folder, reason: `${files.length} files there each hold a Caddy site (\`"<domain>".reverse_proxy…\`)` } };
  }
  if (single) {
    return { routesFile: { value: single.file, reason: `holds ${single.sites} Caddy sites in one attrset${index.exists(config.routesFolder) ? '' : `; there is no ${config.routesFolder}`}` } };
  }
  return {};
}

function discoverSecrets(index: WorkspaceIndex, notes: string[]): Pick<DiscoveredValues, 'secretsIndex' | 'secretsFolder'> {
  const out: Pick<DiscoveredValues, 'secretsIndex' | 'secretsFolder'> = {};
  const byFile = new Map<string, string[]>();
  const ageFolders = new Map<string, string[]>();
  let declared = 0;
  for (const summary of index.files()) {
    for (const secret of summary.secretsDeclared) {
      declared++;
      push(byFile, summary.file, secret.name);
      if (secret.file?.endsWith('.age')) push(ageFolders, path.posix.dirname(secret.file), secret.name);
    }
  }
  const [file, names] = ranked(byFile)[0] ?? [];
  if (file && names) {
    out.secretsIndex = { value: file, reason: `declares ${names.length} of the ${plural(declared, '`age.secrets` declaration')}` };
    const summary = index.get(file);
    if (summary && (summary.options.length > 0 || summary.optionRoots.length > 0)) {
      notes.push(`${file} is a module with explicit \`options\`/\`config\`: new secret declarations go inside its \`config\`, never at its top level`);
    }
  }
  if (ageFolders.size === 0) {
    // No declaration names its file: where the `.age` files are.
    for (const known of index.knownFiles()) if (known.endsWith('.age')) push(ageFolders, path.posix.dirname(known), path.posix.basename(known));
  }
  const [folder, secrets] = ranked(ageFolders)[0] ?? [];
  if (folder && secrets && !folder.startsWith('..') && !folder.startsWith('/')) {
    out.secretsFolder = { value: folder, reason: `${plural(secrets.length, '`.age` file')} ${secrets.length === 1 ? 'lives' : 'live'} there` };
  }
  return out;
}
