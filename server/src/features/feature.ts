// The contract of an editor capability: what it announces in `initialize` and the
// handlers it registers. One capability per file under features/, listed in index.ts.
import type { Connection, InitializeParams, ServerCapabilities } from 'vscode-languageserver/node';
import type { Session } from '../lsp/session';

export type CommandHandler = (args: unknown[]) => unknown | Promise<unknown>;

export interface FeatureContext {
  connection: Connection;
  session: Session;
  /** workspace/executeCommand handlers by command id (one LSP handler dispatches to them). */
  commands: Map<string, CommandHandler>;
}

export interface Feature {
  /** Merged into the server's capabilities. */
  capabilities?: ServerCapabilities;
  register(ctx: FeatureContext): void;
  /** Called from the server's one initialize handler, with the client's parameters. */
  initialize?(params: InitializeParams, ctx: FeatureContext): void;
}
