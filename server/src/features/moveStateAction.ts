// "Move <name>'s state to another category…" (`refactor.move`) on a state path: a string
// spelling `<stateRoot>/<category>/<name>` — a volume, a tmpfiles line, an option default —
// where `<name>` is a container that mounts that directory. The action only names the
// container: the client asks for the category (ClientCommands.moveState, the same flow as
// the containers view) and then gets the plan of `hwc move` from `hwc.server.moveState`
// (moveState.ts) as one WorkspaceEdit. Offering it costs a look at the document's tree and
// the container's cached facts, never the plan (which reads every file mentioning the name).
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { Node } from '../parse/parser';
import { ClientCommands, type MoveStatePrompt } from '../protocol';
import type { Feature } from './feature';
import { factsOf } from './support/facts';

export const MOVE_STATE_KIND = CodeActionKind.RefactorMove;

const NAME_CHAR = /[A-Za-z0-9_-]/;

export interface StatePathAt {
  name: string;
  category: string;
  /** Offsets of `<stateRoot>/<category>/<name>` in the document. */
  start: number;
  end: number;
}

/** The string fragment at `offset`, or just before it (a cursor right after the path). */
function fragmentAt(root: Node, offset: number): Node | null {
  for (const at of [offset, offset - 1]) {
    if (at < 0) continue;
    const node = root.descendantForIndex(at, at);
    if (node?.type === 'string_fragment' && node.parent?.type === 'string_expression') return node;
  }
  return null;
}

/**
 * The state directory spelled at `offset` in a plain string, when the container it names
 * mounts it (so a path in a comment, in a script, or of a directory nobody mounts is not one).
 */
export function statePathAt(root: Node, offset: number, stateRoot: string, mounts: (name: string, dir: string) => boolean): StatePathAt | null {
  const fragment = fragmentAt(root, offset);
  if (!fragment) return null;
  const text = fragment.text;
  const prefix = `${stateRoot.replace(/\/+$/, '')}/`;
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    // A path starts the string or follows a separator (`d /opt/…` in tmpfiles, `host:/opt/…`).
    if (at > 0 && !/[\s:]/.test(text[at - 1])) continue;
    const match = /^([a-z0-9][a-z0-9_-]*)\/([A-Za-z0-9_-]+)/.exec(text.slice(at + prefix.length));
    if (!match) continue;
    const end = at + prefix.length + match[0].length;
    if (NAME_CHAR.test(text[end] ?? '')) continue;
    const start = fragment.startIndex + at;
    if (offset < start || offset > fragment.startIndex + end) continue;
    const [, category, name] = match;
    if (!mounts(name, `${prefix}${category}/${name}`)) continue;
    return { name, category, start, end: fragment.startIndex + end };
  }
  return null;
}

export const moveStateActionFeature: Feature = {
  register({ session, codeActionSources }) {
    codeActionSources.push({
      kind: MOVE_STATE_KIND,
      actions(params: CodeActionParams): CodeAction[] {
        const uri = params.textDocument.uri;
        const located = session.locate(uri);
        const open = session.documents.get(uri);
        if (!located || !located.relative.endsWith('.nix') || !open || open.refused) return [];
        const { workspace } = located;
        const facts = factsOf(workspace);
        const mounts = (name: string, dir: string) => workspace.index.containersNamed(name).some((model) => facts.container(model).stateDirs.includes(dir));
        const offset = open.document.offsetAt(params.range.start);
        const found = statePathAt(open.tree.rootNode, offset, workspace.config.stateRoot, mounts);
        if (!found) return [];
        const title = `Move ${found.name}'s state to another category…`;
        const prompt: MoveStatePrompt = { name: found.name, uri, current: found.category };
        return [{ title, kind: MOVE_STATE_KIND, command: { title, command: ClientCommands.moveState, arguments: [prompt] } }];
      },
    });
  },
};
