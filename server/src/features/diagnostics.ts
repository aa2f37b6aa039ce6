// Pull diagnostics (textDocument/diagnostic, workspace/diagnostic) for clients that
// support them; others get the session's push notifications. A workspace pull whose
// every report is unchanged waits for the next change (long poll) instead of answering
// "nothing new" every couple of seconds.
import { createHash } from 'crypto';
import {
  DocumentDiagnosticReportKind,
  type DocumentDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { Feature } from './feature';

const LONG_POLL_MS = 30_000;

function resultId(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 16);
}

export const diagnosticsFeature: Feature = {
  initialize(params, { connection, session }) {
    session.pullMode = !!params.capabilities.textDocument?.diagnostic;
    // A pulling client only asks again about an open file when told to: after every pass
    // that changed findings (the index finished, a file changed on disk), tell it.
    if (session.pullMode && params.capabilities.workspace?.diagnostics?.refreshSupport) {
      session.diagnosticsChanged.push(() => void connection.languages.diagnostics.refresh().catch(() => undefined));
    }
  },
  register({ connection, session }) {
    connection.languages.diagnostics.on(async (params): Promise<DocumentDiagnosticReport> => {
      await session.idle();
      const entry = session.current.get(params.textDocument.uri);
      const id = resultId(entry?.key ?? '[]');
      if (params.previousResultId === id) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: id };
      return { kind: DocumentDiagnosticReportKind.Full, resultId: id, items: entry?.lsp ?? [] };
    });

    connection.languages.diagnostics.onWorkspace(async (params, token) => {
      await session.idle();
      const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
      const build = (): WorkspaceDocumentDiagnosticReport[] => {
        const items: WorkspaceDocumentDiagnosticReport[] = [];
        const uris = new Set([...session.current.keys(), ...previous.keys()]);
        for (const uri of uris) {
          const entry = session.current.get(uri);
          const id = resultId(entry?.key ?? '[]');
          const version = session.documents.get(uri)?.document.version ?? null;
          if (previous.get(uri) === id) items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId: id });
          else items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version, resultId: id, items: entry?.lsp ?? [] });
        }
        return items;
      };
      let items = build();
      if (previous.size > 0 && items.every((i) => i.kind === DocumentDiagnosticReportKind.Unchanged)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, LONG_POLL_MS);
          const unsubscribe = session.onNextChange(done);
          const cancel = token.onCancellationRequested(done);
          function done() {
            clearTimeout(timer);
            unsubscribe();
            cancel.dispose();
            resolve();
          }
        });
        items = build();
      }
      return { items };
    });
  },
  capabilities: {
    diagnosticProvider: { identifier: 'hwc', interFileDependencies: true, workspaceDiagnostics: true },
  },
};
