// HWC: Configure for This Repository, server side: `hwc.server.proposeConfig` returns the
// `.hwc-lint.json` that `hwc init` would write (the discovered conventions with their
// reasons) next to the current text. Nothing is written here: the client shows the diff
// and writes only after the user confirms, in trusted workspaces only.
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { proposeConfigFile } from '../conventions/configFile';
import { unifiedDiff } from '../fixes/diff';
import type { Session } from '../lsp/session';
import { ServerCommands, type ConfigProposal } from '../protocol';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';
import { pickWorkspace } from './scaffold';

/** The proposal for one workspace: the config file as it is (open document or disk) and as init would leave it. */
export function configProposal(session: Session, workspace: Workspace): ConfigProposal {
  const relative = workspace.configFileRelative;
  const uri = session.uriOf(workspace, relative);
  const open = session.documents.get(uri);
  let before: string | null = open ? open.document.getText() : null;
  if (before === null) {
    try {
      before = fs.readFileSync(path.join(workspace.root, relative), 'utf8');
    } catch {
      before = null;
    }
  }
  // Fresh: the files may have changed since the server started.
  const conventions = workspace.discover();
  const { text, added } = proposeConfigFile(before ?? undefined, conventions);
  return {
    folder: URI.file(workspace.root).toString(),
    uri,
    before,
    after: text,
    added: added.map((key) => ({ key, reason: conventions.values[key]!.reason })),
    diff: unifiedDiff(relative, before ?? '', text),
    problems: workspace.configProblems.map((p) => p.message),
  };
}

export const configureFeature: Feature = {
  register({ session, commands }) {
    commands.set(ServerCommands.proposeConfig, async (args) => {
      await session.idle();
      return configProposal(session, pickWorkspace(session, args[0] as { folder?: string } | undefined));
    });
  },
};
