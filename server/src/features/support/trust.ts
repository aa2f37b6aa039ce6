// Whether the user trusts the workspace (VS Code's Workspace Trust), as the client reports it:
// `initializationOptions.trusted` at start, then the hwc/workspaceTrust notification. Absent
// means untrusted, so other clients get the Restricted Mode behaviour unless they opt in.
// One notification handler for every feature that asks (a connection keeps one per method).
import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import { WorkspaceTrustNotification, type WorkspaceTrustParams } from '../../protocol';

let trusted = false;
const listeners: Array<() => void> = [];
let listening = false;

export function isWorkspaceTrusted(): boolean {
  return trusted;
}

export function initWorkspaceTrust(params: InitializeParams): void {
  const options = params.initializationOptions as { trusted?: unknown } | null | undefined;
  trusted = options?.trusted === true;
}

/** Calls `listener` after every trust change the client reports. */
export function onWorkspaceTrustChange(connection: Connection, listener: () => void): void {
  listeners.push(listener);
  if (listening) return;
  listening = true;
  connection.onNotification(WorkspaceTrustNotification, (params: WorkspaceTrustParams) => {
    trusted = params?.trusted === true;
    for (const l of listeners) l();
  });
}
