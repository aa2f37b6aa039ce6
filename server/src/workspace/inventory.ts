// The container inventory: every container the engine found, with each field's values as
// the container gets them, or, where the engine cannot know a value, the reason the
// evaluator or the resolver gave up. A pure function over the workspace index, shared by
// `hwc containers` and the editor's containers view.
import type { LintConfig } from '../config/schema';
import type { Src } from '../model/source';
import type { ContainerModel } from '../model/summary';
import type { StrPart, Value } from '../model/values';
import { parsePortMapping } from '../rules/docker';
import { collectSecretRefs, statePath } from '../rules/facts';
import type { WorkspaceIndex } from './index';
import type { Resolver } from './resolve';
import { type RouteFacts, resolveRoutes, routesServing } from './routes';

/** Where something is written: a workspace-relative file (`/` separators) and a 1-based line. */
export interface InventorySite {
  file: string;
  line: number;
}

/** One value of a field: known text, or null with the reason it is unknown. */
export interface InventoryValue extends InventorySite {
  value: string | null;
  /** Why the value is unknown (only when `value` is null). */
  unknown?: string;
  /** The known pieces with `…` for each unknown one (only when some piece is known). */
  partial?: string;
  /** Where the value is used, when it is written elsewhere (an option default). */
  usedAt?: InventorySite;
}

export interface InventoryStatePath extends InventorySite {
  /** The state directory, `/opt/<category>/<owner>`, or `/opt/<category>` for a mount of the category itself. */
  path: string;
  category: string;
  /** Whether the category is one of the configured ones. */
  configuredCategory: boolean;
}

export interface InventoryDomain extends InventorySite {
  domain: string | null;
  unknown?: string;
}

export interface InventoryContainer extends InventorySite {
  name: string;
  column: number;
  /** The folder under the containers folder the definition lives in, if any. */
  module: string | null;
  /** The helper function that made it (`mkContainer`), if any. */
  helper: string | null;
  /** Defined under a `lib.mkIf cfg.enable` guard. */
  guarded: boolean;
  image: InventoryValue[];
  ports: InventoryValue[];
  volumes: InventoryValue[];
  networks: InventoryValue[];
  environmentFiles: InventoryValue[];
  dependsOn: InventoryValue[];
  /** Secret names the container reads (`config.age.secrets.<n>`, `/run/agenix/<n>` mounts). */
  secrets: string[];
  statePaths: InventoryStatePath[];
  /** The category of the first state path, configured or not; null without state under the state root. */
  category: string | null;
  domains: InventoryDomain[];
}

/** Fields a container helper typically fills in itself. */
const HELPER_FILLED = new Set(['ports', 'volumes', 'extraOptions', 'environment']);
const UNKNOWN_INTERPOLATION = 'an interpolation the engine cannot resolve';
const UNKNOWN_EXPRESSION = 'expression not modelled';

/** Every container of the index, sorted by name, then file and line. */
export function containerInventory(index: WorkspaceIndex, config: LintConfig, resolver: Resolver = index.resolver()): InventoryContainer[] {
  const routes = resolveRoutes(index, resolver);
  return index
    .containers()
    .map((container) => inventoryEntry(container, resolver, config, routes))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.file, b.file) || a.line - b.line || a.column - b.column);
}

/** One container's inventory; `routes` from `resolveRoutes`. */
export function inventoryEntry(container: ContainerModel, resolver: Resolver, config: LintConfig, routes: readonly RouteFacts[]): InventoryContainer {
  const field = (name: string) => {
    const values = container.fields[name];
    // A helper's own body (what `mkContainer` adds) is not evaluated: a field it was not given is not known to be empty.
    if (!values && container.helper && HELPER_FILLED.has(name)) return [{ value: null, unknown: `not passed to \`${container.helper}\`; what the helper adds is not evaluated`, ...site(container.nameSrc) }];
    return fieldValues(values, resolver);
  };
  const image = field('image');
  const ports = field('ports');
  const volumes = field('volumes');
  const extraOptions = field('extraOptions');
  const stateRoot = config.stateRoot;
  const categories = new Set(config.categories);
  const statePaths: InventoryStatePath[] = [];
  const secrets = new Set<string>();
  for (const volume of volumes) {
    const host = hostSide(volume.value ?? volume.partial ?? '');
    if (host === null || (volume.value === null && host.includes('…'))) continue;
    const agenix = /^\/run\/agenix\/([^/]+)/.exec(host);
    if (agenix) secrets.add(agenix[1]);
    const state = statePath(host, stateRoot);
    if (!state || statePaths.some((s) => s.path === state.dir)) continue;
    statePaths.push({ path: state.dir, category: state.category, configuredCategory: categories.has(state.category), file: volume.file, line: volume.line });
  }
  for (const values of Object.values(container.fields)) for (const value of values) collectSecretRefs(value, secrets);
  const hostPorts: number[] = [];
  for (const port of ports) {
    const mapping = port.value === null ? null : parsePortMapping(port.value);
    if (mapping && !('error' in mapping)) hostPorts.push(...mapping.hostPorts);
  }
  return {
    name: container.name,
    ...site(container.nameSrc),
    column: container.nameSrc.range.start.character + 1,
    module: container.moduleFolder,
    helper: container.helper,
    guarded: container.guarded,
    image,
    ports,
    volumes,
    networks: networksOf(extraOptions, field('networks')),
    environmentFiles: field('environmentFiles'),
    dependsOn: field('dependsOn'),
    secrets: [...secrets].sort(compareText),
    statePaths,
    category: statePaths[0]?.category ?? null,
    domains: routesServing(container, hostPorts, routes, config.namespace).map((route) => ({
      domain: route.domain,
      ...(route.domain === null ? { unknown: route.route.domain ? unknownOf(route.route.domain.parts) : 'a route without a domain' } : {}),
      ...site(route.route.src),
    })),
  };
}

/** The values a field may take, one per list item or `if` branch, after option defaults are substituted. */
export function fieldValues(values: Value[] | undefined, resolver: Resolver): InventoryValue[] {
  const out: InventoryValue[] = [];
  const visit = (value: Value, depth: number) => {
    if (depth > 24) return;
    switch (value.k) {
      case 'str': {
        const unknownPart = value.parts.find((p) => typeof p !== 'string');
        const text = unknownPart ? null : (value.parts as string[]).join('');
        out.push({
          value: text,
          ...(text === null ? { unknown: unknownOf(value.parts), partial: partialText(value.parts) } : {}),
          ...site(value.src),
          ...usedAt(value.src, value.via),
        });
        return;
      }
      case 'int':
        out.push({ value: String(value.v), ...site(value.src) });
        return;
      case 'path':
        out.push({ value: value.v, ...site(value.src) });
        return;
      case 'list':
      case 'merge':
        for (const item of value.items) visit(item, depth + 1);
        return;
      case 'alt':
        for (const option of value.options) visit(option, depth + 1);
        return;
      case 'guard':
        return visit(value.body, depth + 1);
      case 'null':
      case 'bool':
        // A `null` branch (`if x then "…" else null`) contributes nothing.
        return;
      case 'unknown':
        out.push({ value: null, unknown: value.why ?? UNKNOWN_EXPRESSION, ...site(value.src) });
        return;
      default:
        out.push({ value: null, unknown: `${KIND_NAMES[value.k] ?? value.k} where a value was expected`, ...site(value.src) });
    }
  };
  for (const value of values ?? []) visit(resolver.value(value), 0);
  return out;
}

const KIND_NAMES: Partial<Record<Value['k'], string>> = { attrs: 'an attrset', fn: 'a function', option: 'an option declaration', ref: 'an option reference' };

/** The reason of the first unknown piece of a string. */
function unknownOf(parts: readonly StrPart[]): string {
  for (const part of parts) {
    if (typeof part === 'string') continue;
    if ('unknown' in part) return part.why ?? UNKNOWN_INTERPOLATION;
    return `option \`${part.ref.join('.')}\` not resolved`;
  }
  return UNKNOWN_INTERPOLATION;
}

function partialText(parts: readonly StrPart[]): string | undefined {
  if (!parts.some((p) => typeof p === 'string' && p !== '')) return undefined;
  return parts.map((p) => (typeof p === 'string' ? p : '…')).join('');
}

/** `--network=x`, `--net x`, `--pod=p` (as `pod:p`), `networks = [ … ]`: the network names, known or not. */
function networksOf(extraOptions: InventoryValue[], networks: InventoryValue[]): InventoryValue[] {
  const out: InventoryValue[] = [];
  extraOptions.forEach((option, i) => {
    // An option the engine cannot read at all may be the one that picks the network.
    if (option.value === null && option.partial === undefined) {
      out.push(option);
      return;
    }
    const text = (option.value ?? option.partial ?? '').trim();
    // A pod member shares the pod's network namespace.
    const pod = /^--pod[= ](.+)$/.exec(text);
    if (pod) {
      out.push(option.value !== null ? { ...option, value: `pod:${pod[1]}` } : { ...option, partial: `pod:${pod[1]}` });
      return;
    }
    const joined = /^--net(?:work)?[= ](.*)$/.exec(text);
    if (joined) {
      if (option.value !== null) out.push({ ...option, value: networkName(joined[1]) });
      else out.push({ ...option, partial: joined[1] });
      return;
    }
    if ((text === '--network' || text === '--net') && option.value !== null && extraOptions[i + 1]) {
      const next = extraOptions[i + 1];
      out.push(next.value === null ? next : { ...next, value: networkName(next.value) });
    }
  });
  return [...out, ...networks];
}

/** `mynet:ip=10.89.0.5` → `mynet`; `container:<id>` and `ns:<path>` stay whole. */
function networkName(mode: string): string {
  const head = mode.split(':')[0];
  return head === 'container' || head === 'ns' ? mode : head.split(',')[0];
}

/** The host side of a `host:container[:options]` volume, or null for a named volume. */
function hostSide(text: string): string | null {
  if (!text.startsWith('/')) return null;
  const colon = text.indexOf(':');
  return colon > 0 ? text.slice(0, colon) : text;
}

/** The use site of an option default, when it is not where the literal is. */
function usedAt(src: Src, via: Src | undefined): { usedAt?: InventorySite } {
  if (!via || (via.file === src.file && via.range.start.line === src.range.start.line)) return {};
  return { usedAt: site(via) };
}

function site(src: Src): InventorySite {
  return { file: src.file, line: src.range.start.line + 1 };
}

/** Sorts the same in every locale (the JSON is a contract). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
