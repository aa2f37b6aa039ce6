// The status bar item: what the server is doing (from `hwc/status`) and how many containers
// it found (VS Code counts the findings itself). Clicking it opens the Problems panel, or
// the output when the server has failed.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

const openProblems = 'workbench.actions.view.problems';
const showOutput = 'hwc.showOutput';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hwc.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'HWC Orchestrator';
    this.showStarting();
    this.item.show();
  }

  showStarting(): void {
    this.set('$(sync~spin) HWC: starting', 'HWC Orchestrator: the language server is starting.', openProblems);
  }

  showDisabled(): void {
    this.set('$(circle-slash) HWC: disabled', 'HWC Orchestrator is disabled (setting hwc.enable).', showOutput);
  }

  showFailed(reason: string): void {
    this.set('$(error) HWC: server failed', `HWC Orchestrator: the language server failed.\n\n${reason}\n\nClick to show the output.`, showOutput, true);
  }

  showStatus(status: StatusParams): void {
    switch (status.state) {
      case 'starting':
        return this.showStarting();
      case 'indexing':
        return this.set(`$(sync~spin) HWC: indexing ${status.files} files`, `HWC Orchestrator: indexing the workspace (${status.files} files, ${plural(status.containers, 'container')} so far).`, openProblems);
      case 'error':
        return this.showFailed(status.message ?? 'The server reported an error.');
      case 'ready':
        // VS Code shows the error and warning counts itself: this item says what only we know.
        return this.set(
          `$(check) HWC: ready · ${plural(status.containers, 'container')}`,
          `HWC Orchestrator: ready — ${plural(status.containers, 'container')} in ${status.files} files indexed — ${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')}, ${plural(status.infos, 'info')}.\n\nClick to open the Problems panel.`,
          openProblems,
        );
    }
  }

  dispose(): void {
    this.item.dispose();
  }

  private set(text: string, tooltip: string, command: string, failed = false): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
