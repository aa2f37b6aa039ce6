// Owns the LanguageClient's lifecycle: start, restart, stop when `hwc.enable` turns off,
// and one place where every failure to start or keep the server running is reported —
// an error message with "Show output" and the status bar in its error state.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  type ErrorHandler,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import type { StatusBar } from './statusBar';

/**
 * The library shows its own notification for fatal errors ("couldn't create connection
 * to server", "crashed 5 times"); this subclass hands them to `onFatal` instead, so the
 * user gets one message that says what to do, and the status bar follows.
 */
class HwcLanguageClient extends LanguageClient {
  onFatal: (message: string) => void = () => undefined;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
    if (showNotification === 'force') this.onFatal(data instanceof Error ? `${message} ${data.message}` : message);
  }
}

export class LanguageServer implements vscode.Disposable {
  readonly client: LanguageClient;
  private reachedRunning = false;
  private failureReported = false;
  private stopping = false;

  constructor(
    private readonly serverModule: string,
    serverOptions: ServerOptions,
    clientOptions: LanguageClientOptions,
    private readonly output: vscode.LogOutputChannel,
    private readonly statusBar: StatusBar,
  ) {
    const client = new HwcLanguageClient('hwc', 'HWC Orchestrator', serverOptions, {
      ...clientOptions,
      errorHandler: this.errorHandler(),
      // No retry and no message of the library's own: the failed start is reported once, below.
      initializationFailedHandler: () => false,
    });
    client.onFatal = (message) => this.reportFailure(message, { logged: true });
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Starting) {
        this.reachedRunning = false;
        this.failureReported = false;
        statusBar.showStarting();
      } else if (newState === State.Running) {
        this.reachedRunning = true;
      }
    });
    this.client = client;
  }

  get isRunning(): boolean {
    return this.client.isRunning();
  }

  /** Starts or stops the server to match `hwc.enable`. */
  async applyEnablement(): Promise<void> {
    if (isEnabled()) {
      if (this.client.needsStart()) await this.start();
    } else {
      await this.stop();
      this.statusBar.showDisabled();
    }
  }

  async restart(): Promise<void> {
    if (!isEnabled()) {
      void vscode.window.showInformationMessage('HWC Orchestrator is disabled: set "hwc.enable" to true to run the language server.');
      return;
    }
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private async start(): Promise<void> {
    if (!fs.existsSync(this.serverModule)) {
      this.failureReported = false;
      this.reportFailure(`The server bundle ${this.serverModule} is missing: the extension was not built.`);
      return;
    }
    try {
      await this.client.start();
    } catch {
      // Already reported through HwcLanguageClient.error.
    }
  }

  private async stop(): Promise<void> {
    if (!this.client.needsStop()) return;
    this.stopping = true;
    try {
      await this.client.stop();
    } finally {
      this.stopping = false;
    }
  }

  /** Restarts after crashes like the default handler, but never a server that crashed while starting. */
  private errorHandler(): ErrorHandler {
    let fallback: ErrorHandler | undefined;
    return {
      error: (error, message, count) => (fallback ??= this.client.createDefaultErrorHandler(4)).error(error, message, count),
      closed: async (): Promise<CloseHandlerResult> => {
        if (this.stopping) return { action: CloseAction.DoNotRestart, handled: true };
        if (!this.reachedRunning) {
          return { action: CloseAction.DoNotRestart, message: 'The HWC language server exited while starting.' };
        }
        return (fallback ??= this.client.createDefaultErrorHandler(4)).closed();
      },
    };
  }

  /** One message per failed start: a dying server makes the library report it twice. */
  private reportFailure(reason: string, { logged = false } = {}): void {
    if (!logged) this.output.error(reason);
    if (this.failureReported) return;
    this.failureReported = true;
    this.statusBar.showFailed(reason);
    void vscode.window.showErrorMessage(`HWC Orchestrator: ${reason}`, 'Show output').then((choice) => {
      if (choice === 'Show output') this.output.show(true);
    });
  }
}

function isEnabled(): boolean {
  return vscode.workspace.getConfiguration('hwc').get<boolean>('enable', true);
}
