// `hwc/containers`: every container of every workspace, for the client's tree view,
// quick picks and terminal commands.
import type { Session } from '../lsp/session';
import { ContainersRequest, type ContainerInfo, type ContainersResult } from '../protocol';
import type { Feature } from './feature';
import { factsOf } from './support/facts';
import { emptyCounts, findingsByContainer } from './support/findings';

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
    const findings = findingsByContainer(session, workspace, facts);
    const containersDir = workspace.config.containersFolder.replace(/\/+$/, '');
    const uris = new Map<string, string>();
    const uriOf = (file: string) => {
      let uri = uris.get(file);
      if (uri === undefined) uris.set(file, (uri = session.uriOf(workspace, file)));
      return uri;
    };
    for (const container of facts.index.containers()) {
      const cf = facts.container(container);
      const route = facts.routeOf(container);
      out.push({
        name: container.name,
        image: cf.image,
        category: cf.category,
        ports: cf.ports,
        domain: route?.domain ?? null,
        ...(findings.get(container) ?? emptyCounts()),
        uri: uriOf(container.file),
        range: container.nameSrc.range,
        moduleFolderUri: container.moduleFolder ? uriOf(`${containersDir}/${container.moduleFolder}`) : null,
        routeUri: route ? uriOf(route.route.src.file) : null,
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.uri.localeCompare(b.uri));
}
