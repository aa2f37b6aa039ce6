// `hwc/containers`: every container of every workspace, for the client's tree view,
// quick picks and terminal commands: the same inventory `hwc containers` prints (real
// mounts and categories, routes, what stayed unknown and why), plus findings and the
// places the view's actions open.
import type { Src } from '../model/source';
import type { ContainerModel } from '../model/summary';
import type { Session } from '../lsp/session';
import { ContainersRequest, type ContainerInfo, type ContainersResult } from '../protocol';
import { type InventoryContainer, type InventoryValue, inventoryEntry } from '../workspace/inventory';
import { routesServing } from '../workspace/routes';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';
import { factsOf } from './support/facts';
import { emptyCounts, findingListsByContainer, findingsByContainer } from './support/findings';

export const containers: Feature = {
  register({ connection, session }) {
    connection.onRequest(ContainersRequest, async (): Promise<ContainersResult> => {
      await session.idle();
      return { containers: containerInfos(session) };
    });
  },
};

export function containerInfos(session: Session): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  for (const workspace of session.workspaces) {
    const facts = factsOf(workspace);
    const counts = findingsByContainer(session, workspace, facts);
    const lists = findingListsByContainer(session, workspace, facts);
    const containersDir = workspace.config.containersFolder.replace(/\/+$/, '');
    const routes = facts.routes();
    const uris = new Map<string, string>();
    const uriOf = (file: string) => {
      let uri = uris.get(file);
      if (uri === undefined) uris.set(file, (uri = session.uriOf(workspace, file)));
      return uri;
    };
    for (const container of facts.index.containers()) {
      const entry = inventoryEntry(container, facts.resolver, workspace.config, routes);
      const route = routesServing(container, facts.container(container).hostPorts, routes, workspace.config.namespace)[0];
      const profile = profileMention(workspace, container);
      out.push({
        name: container.name,
        image: entry.image.find((v) => v.value !== null)?.value ?? null,
        category: entry.category,
        ports: known(entry.ports),
        domain: entry.domains.find((d) => d.domain !== null)?.domain ?? null,
        ...(counts.get(container) ?? emptyCounts()),
        uri: uriOf(container.file),
        range: container.nameSrc.range,
        moduleFolderUri: container.moduleFolder ? uriOf(`${containersDir}/${container.moduleFolder}`) : null,
        routeUri: route ? uriOf(route.route.src.file) : null,
        routeRange: route ? route.route.src.range : null,
        file: container.file,
        statePaths: entry.statePaths.map((s) => s.path),
        volumes: entry.volumes.map(describe),
        domains: entry.domains.flatMap((d) => (d.domain === null ? [] : [d.domain])),
        unknowns: unknowns(entry),
        profileLocation: profile ? { uri: uriOf(profile.file), range: profile.range } : null,
        findings: (lists.get(container) ?? []).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, uri: uriOf(f.src.file), range: f.src.range })),
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.uri.localeCompare(b.uri));
}

function known(values: InventoryValue[]): string[] {
  return values.flatMap((v) => (v.value === null ? [] : [v.value]));
}

function describe(value: InventoryValue): string {
  return value.value ?? `${value.partial ?? '…'} (unknown: ${value.unknown ?? 'not resolved'})`;
}

/** `field: why` for every value the engine could not know. */
function unknowns(entry: InventoryContainer): string[] {
  const out: string[] = [];
  const fields: Array<[string, InventoryValue[]]> = [['image', entry.image], ['ports', entry.ports], ['volumes', entry.volumes], ['networks', entry.networks], ['environmentFiles', entry.environmentFiles], ['dependsOn', entry.dependsOn]];
  for (const [name, values] of fields) for (const v of values) if (v.value === null) out.push(`${name}: ${v.unknown ?? 'not resolved'}`);
  if (entry.image.length === 0) out.push('image: no `image` attribute');
  return out;
}

/**
 * Where the profile brings the container in: the import of its module's folder (or of the
 * file that defines it), else the line that enables its module.
 */
function profileMention(workspace: Workspace, container: ContainerModel): Src | null {
  const index = workspace.index;
  const profile = index.get(workspace.config.profile);
  if (!profile) return null;
  const dir = container.moduleFolder ? `${workspace.config.containersFolder.replace(/\/+$/, '')}/${container.moduleFolder}` : null;
  const imported = profile.imports.find((i) => i.target === container.file || (dir !== null && (i.target === dir || i.target.startsWith(`${dir}/`))));
  if (imported) return imported.src;
  if (!dir) return null;
  const enable = [...workspace.config.namespace.split('.'), container.moduleFolder!, 'enable'].join('.');
  const definition = (profile.optionDefinitions ?? []).find((d) => index.canonicalPath(d.path).join('.') === enable);
  return definition?.src ?? null;
}
