// What the generator and the wizard need to know about the workspace: the containers,
// images, networks, published ports, state directories, secrets and domains already
// there, the conventions from `.hwc-lint.json`, and who new secrets are encrypted to.
// Plain JSON (it is also the wizard's context, sent over LSP).
import type { LintConfig } from '../config/schema';
import { knownText } from '../model/values';
import { isCustomNetwork } from '../rules/container/networkDeviceConflict';
import { images, networks, statePath, validPorts, validVolumes } from '../rules/facts';
import type { WorkspaceIndex } from '../workspace/index';
import { configBindings } from '../fixes/syntax';
import { withTree } from '../parse/parser';
import { agenixRulesCandidates, readAgenixRules } from './edits';
import { isRecipient } from './encrypt';

/** How the generator sees files: the editor's text for open documents, else the disk. */
export interface FileAccess {
  read(relative: string): string | undefined;
  exists(relative: string): boolean;
  /** The open document's version, or null for a file only on disk. */
  version?(relative: string): number | null;
  /**
   * The workspace-relative path of the file `relative` really is (a symlinked profile is its
   * target): two settings naming one file through a link get one edit, not two that race.
   */
  canonical?(relative: string): string;
}

export interface WorkspaceView {
  root: string;
  config: LintConfig;
  index: WorkspaceIndex;
  files: FileAccess;
}

export interface PublishedPortFact {
  container: string;
  hostIp: string | null;
  hostPort: number;
  protocol: string;
}

export interface WorkspaceFacts {
  containers: string[];
  moduleFolders: string[];
  /** Images in use (resolved), for the wizard to offer. */
  images: string[];
  /** Custom networks joined or created in the workspace; `created` when something creates it. */
  networks: Array<{ name: string; created: boolean; users: string[] }>;
  publishedPorts: PublishedPortFact[];
  /** State directories (`/opt/<category>/<x>`) mounted by containers. */
  stateDirs: Array<{ container: string; dir: string }>;
  secretsDeclared: string[];
  /** Domains of other modules (option defaults and literal route domains). */
  domains: string[];
  recipients: string[];
  /** Where the recipients come from: `.hwc-lint.json`, a secrets.nix path, or null when none is known. */
  recipientsSource: string | null;
  /** agenix's rules file, if the workspace has one. */
  agenixRules: string | null;
  conventions: {
    containersFolder: string;
    namespace: string;
    namespaceAliases: string[];
    stateRoot: string;
    categories: string[];
    tmpfiles: { mode: string; user: string; group: string };
    databaseImages: string[];
    /** Extra device/discovery service images (`discoveryImages`): refused on a custom network like the built-in ones. */
    discoveryImages: string[];
    secretsIndex: string;
    secretsFolder: string;
    routesFolder: string;
    /** One file holding every route as an attrset, when the repository keeps them so. */
    routesFile: string | null;
    /** The file whose imports list container modules (null: the profile). */
    modulesImportFile: string | null;
    profile: string;
    timezone: string;
    /** A file that sets `time.timeZone`: new containers then take `TZ` from it (`config.time.timeZone`). */
    timeZoneSetIn: string | null;
    /** What the modules' default domains end in (`attic.lan` for `sonarr.attic.lan`, two or more alike); null: `local`. */
    domainSuffix: string | null;
  };
  profileExists: boolean;
  secretsIndexExists: boolean;
}

export function collectFacts(ws: WorkspaceView): WorkspaceFacts {
  const { index, config } = ws;
  const resolver = index.resolver();
  const containers = new Set<string>();
  const imageSet = new Set<string>();
  const networkMap = new Map<string, { name: string; created: boolean; users: string[] }>();
  const publishedPorts: PublishedPortFact[] = [];
  const stateDirs: Array<{ container: string; dir: string }> = [];
  for (const container of index.containers()) {
    containers.add(container.name);
    for (const image of images(container, resolver)) imageSet.add(image.value.text!);
    for (const { name } of networks(container, resolver)) {
      if (!isCustomNetwork(name)) continue;
      const entry = networkMap.get(name) ?? { name, created: false, users: [] };
      if (!entry.users.includes(container.name)) entry.users.push(container.name);
      networkMap.set(name, entry);
    }
    for (const port of validPorts(container, resolver)) {
      for (const hostPort of port.mapping.hostPorts) publishedPorts.push({ container: container.name, hostIp: port.mapping.hostIp, hostPort, protocol: port.mapping.protocol });
    }
    for (const mount of validVolumes(container, resolver)) {
      const state = statePath(mount.volume.host, config.stateRoot);
      if (state?.owner) stateDirs.push({ container: container.name, dir: state.dir });
    }
  }
  const secretsDeclared = new Set<string>();
  const domains = new Set<string>();
  for (const file of index.files()) {
    for (const network of file.networksCreated) {
      const entry = networkMap.get(network.name) ?? { name: network.name, created: true, users: [] };
      entry.created = true;
      networkMap.set(network.name, entry);
    }
    for (const secret of file.secretsDeclared) secretsDeclared.add(secret.name);
    for (const route of file.routes) {
      const text = route.domain ? knownText(route.domain.parts) : null;
      if (text) domains.add(text);
    }
  }
  // `<module>.<suffix>` defaults of the modules' domain options: the suffix the repository names its sites with.
  const suffixes = new Map<string, number>();
  const namespacePrefix = `${config.namespace}.`;
  for (const [key, option] of index.optionDeclarations()) {
    if (!key.endsWith('.domain') || option.default?.k !== 'str') continue;
    const text = resolver.strings([option.default])[0]?.text;
    if (text) domains.add(text);
    const module = key.startsWith(namespacePrefix) ? key.slice(namespacePrefix.length, -'.domain'.length) : null;
    if (module && text?.startsWith(`${module}.`)) {
      const suffix = text.slice(module.length + 1);
      suffixes.set(suffix, (suffixes.get(suffix) ?? 0) + 1);
    }
  }
  const [domainSuffix, suffixCount] = [...suffixes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [null, 0];

  const agenixRules = agenixRulesCandidates(config.secretsFolder).find((f) => ws.files.exists(f)) ?? null;
  let recipients: string[] = [];
  let recipientsSource: string | null = null;
  if (config.ageRecipients.length > 0) {
    recipients = [...config.ageRecipients];
    recipientsSource = '.hwc-lint.json';
  } else if (agenixRules) {
    const text = ws.files.read(agenixRules);
    const found = text === undefined ? null : readAgenixRules(text, agenixRules, relativeTo(agenixRules, config.secretsFolder)).recipients;
    if (found && found.every(isRecipient)) {
      recipients = found;
      recipientsSource = agenixRules;
    }
  }

  return {
    containers: [...containers].sort(),
    moduleFolders: [...index.modules().keys()].sort(),
    images: [...imageSet].sort(),
    networks: [...networkMap.values()].sort((a, b) => a.name.localeCompare(b.name)),
    publishedPorts,
    stateDirs,
    secretsDeclared: [...secretsDeclared].sort(),
    domains: [...domains].sort(),
    recipients,
    recipientsSource,
    agenixRules,
    conventions: {
      containersFolder: config.containersFolder.replace(/\/+$/, ''),
      namespace: config.namespace,
      namespaceAliases: [...config.namespaceAliases],
      stateRoot: config.stateRoot.replace(/\/+$/, ''),
      categories: [...config.categories],
      tmpfiles: { ...config.tmpfiles },
      databaseImages: [...config.databaseImages],
      discoveryImages: [...config.discoveryImages],
      secretsIndex: config.secretsIndex,
      secretsFolder: config.secretsFolder.replace(/\/+$/, ''),
      routesFolder: config.routesFolder.replace(/\/+$/, ''),
      routesFile: config.routesFile ?? null,
      modulesImportFile: config.modulesImportFile ?? null,
      profile: config.profile,
      timezone: config.timezone,
      timeZoneSetIn: fileSettingTimeZone(ws),
      domainSuffix: suffixCount >= 2 ? domainSuffix : null,
    },
    profileExists: ws.files.exists(config.profile),
    secretsIndexExists: ws.files.exists(config.secretsIndex),
  };
}

/**
 * The first workspace file (in path order) outside the container modules (hosts, profiles:
 * where a machine's clock is set) that sets `time.timeZone`. Only files whose text mentions
 * `timeZone` are parsed. Skipping the modules keeps this to a few reads: 4,550 files read
 * and scanned took about 200 ms here, the files outside the modules a few.
 */
function fileSettingTimeZone(ws: WorkspaceView): string | null {
  const modules = ws.config.containersFolder.replace(/\/+$/, '') + '/';
  const files = [...ws.index.files()].map((f) => f.file).filter((f) => !f.startsWith(modules)).sort();
  for (const file of files) {
    const text = ws.files.read(file);
    if (!text?.includes('timeZone')) continue;
    const sets = withTree(text, (tree) => configBindings(tree).some((b) => b.path.length === 2 && b.path[0] === 'time' && b.path[1] === 'timeZone'));
    if (sets) return file;
  }
  return null;
}

/** A workspace-relative path as seen from the folder of `file` (agenix keys are relative to secrets.nix). */
export function relativeTo(file: string, target: string): string {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  if (dir === '') return target;
  const from = dir.split('/');
  const to = target.split('/');
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}
