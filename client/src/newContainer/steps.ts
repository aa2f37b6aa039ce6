// A multi-step quick input: each step is an InputBox or a QuickPick with "n/8" in its
// title bar and a Back button; Back re-runs the previous step with its last answer,
// Escape cancels the whole flow. Validation runs on every keystroke.
import * as vscode from 'vscode';
import { plainText, type Verdict } from './validation';

class Back extends Error {}
class Cancelled extends Error {}

/** A step asks its questions through `io` and returns the next step (or nothing at the end). */
export type Step = (io: StepIO) => Promise<Step | undefined>;

export interface InputOptions {
  step: number;
  prompt: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  validate: (value: string) => Verdict;
}

export interface PickOptions<T extends vscode.QuickPickItem> {
  step: number;
  placeholder: string;
  items: T[];
  active?: T;
  /** Items for what the user types (e.g. "use this image"), shown before `items`. */
  typed?: (value: string) => T[];
  /** Why an item cannot be taken (the pick stays open), or nothing. */
  refuse?: (item: T) => string | undefined;
}

function message(verdict: Verdict): vscode.InputBoxValidationMessage | undefined {
  if (verdict.error) return { message: plainText(verdict.error), severity: vscode.InputBoxValidationSeverity.Error };
  if (verdict.info) return { message: plainText(verdict.info), severity: vscode.InputBoxValidationSeverity.Info };
  return undefined;
}

export class StepIO {
  constructor(
    private readonly title: string,
    private readonly totalSteps: number,
  ) {}

  input(options: InputOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = this.title;
    box.step = options.step;
    box.totalSteps = this.totalSteps;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.value = options.value ?? '';
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    box.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    box.validationMessage = box.value ? message(options.validate(box.value)) : undefined;
    return this.run(box, (resolve) => [
      box.onDidChangeValue((value) => (box.validationMessage = message(options.validate(value)))),
      box.onDidAccept(() => {
        const verdict = options.validate(box.value);
        box.validationMessage = message(verdict);
        if (!verdict.error) resolve(box.value);
      }),
    ]);
  }

  pick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    return this.pickItems(options, false).then((items) => items[0]);
  }

  pickMany<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T[]> {
    return this.pickItems(options, true);
  }

  private pickItems<T extends vscode.QuickPickItem>(options: PickOptions<T>, many: boolean): Promise<T[]> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = this.title;
    pick.step = options.step;
    pick.totalSteps = this.totalSteps;
    pick.placeholder = options.placeholder;
    pick.canSelectMany = many;
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = true;
    pick.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    pick.items = options.items;
    if (many) pick.selectedItems = options.items.filter((i) => i.picked);
    else if (options.active) pick.activeItems = [options.active];
    return this.run(pick, (resolve) => [
      pick.onDidChangeValue((value) => {
        if (options.typed) pick.items = [...options.typed(value), ...options.items];
      }),
      pick.onDidAccept(() => {
        const chosen = many ? [...pick.selectedItems] : pick.activeItems.slice(0, 1);
        if (!many && chosen.length === 0) return;
        const refused = chosen.map((item) => options.refuse?.(item)).find(Boolean);
        if (refused) {
          pick.placeholder = `${plainText(refused)} — ${options.placeholder}`;
          return;
        }
        resolve(chosen);
      }),
    ]);
  }

  private run<R>(input: vscode.QuickInput, wire: (resolve: (value: R) => void) => vscode.Disposable[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
        disposables.forEach((d) => d.dispose());
        input.dispose();
      };
      const disposables: vscode.Disposable[] = [
        ...wire((value) => settle(() => resolve(value))),
        (input as vscode.InputBox).onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) settle(() => reject(new Back()));
        }),
        input.onDidHide(() => settle(() => reject(new Cancelled()))),
      ];
      input.show();
    });
  }
}

/** Runs steps from `first`; returns false when the user cancelled. */
export async function runSteps(title: string, totalSteps: number, first: Step): Promise<boolean> {
  const io = new StepIO(title, totalSteps);
  const history: Step[] = [];
  let current: Step | undefined = first;
  while (current) {
    try {
      const next: Step | undefined = await current(io);
      history.push(current);
      current = next;
    } catch (error) {
      if (error instanceof Back) current = history.pop() ?? current;
      else if (error instanceof Cancelled) return false;
      else throw error;
    }
  }
  return true;
}
