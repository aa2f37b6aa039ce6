// Code lenses above each container: its published ports and its findings; in trusted
// workspaces also Show logs / Status, which run podman through the client's commands
// `hwc.containerLogs` / `hwc.containerStatus` with the container name as the argument.
// Trust comes from initializationOptions.trusted and the hwc/workspaceTrust notification.
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import type { Session } from '../lsp/session';
import type { Feature } from './feature';
import { emptyCounts, countsLabel, findingsByContainer } from './support/findings';
import { locateDocument } from './support/target';
import { initWorkspaceTrust, isWorkspaceTrusted, onWorkspaceTrustChange } from './support/trust';

/** A lens that only shows text (VS Code renders an empty command id as a label). */
const LABEL = '';
const SHOW_PROBLEMS = 'workbench.actions.view.problems';

let refreshSupport = false;

export const codeLens: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  initialize(params) {
    initWorkspaceTrust(params);
    refreshSupport = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  },
  register({ connection, session }) {
    const refresh = () => {
      if (refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    };
    onWorkspaceTrustChange(connection, refresh);
    // Finding counts change after lint passes, not only after edits of the open file.
    const watch = () => session.onNextChange(() => {
      refresh();
      watch();
    });
    watch();
    connection.onCodeLens(async ({ textDocument }) => {
      await session.idle();
      return codeLenses(session, textDocument.uri, isWorkspaceTrusted());
    });
  },
};

export function codeLenses(session: Session, uri: string, trusted: boolean): CodeLens[] {
  const at = locateDocument(session, uri);
  if (!at || at.summary.containers.length === 0) return [];
  const findings = findingsByContainer(session, at.workspace, at.facts);
  const lenses: CodeLens[] = [];
  for (const container of at.summary.containers) {
    const range = container.nameSrc.range;
    const cf = at.facts.container(container);
    const ports = cf.ports.length ? `ports ${cf.ports.join(', ')}` : 'no published ports';
    const counts = findings.get(container) ?? emptyCounts();
    lenses.push({ range, command: { title: ports, command: LABEL } });
    lenses.push({ range, command: { title: countsLabel(counts), command: counts.errors + counts.warnings + counts.infos > 0 ? SHOW_PROBLEMS : LABEL } });
    if (trusted) {
      lenses.push({ range, command: { title: 'Show logs', command: 'hwc.containerLogs', arguments: [container.name] } });
      lenses.push({ range, command: { title: 'Status', command: 'hwc.containerStatus', arguments: [container.name] } });
    }
  }
  return lenses;
}
