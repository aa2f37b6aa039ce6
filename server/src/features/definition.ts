// Go to definition: `cfg.x` (and option definitions) → the option's declaration; a
// secret reference → its `age.secrets` declaration; a declaration's `file` → the `.age`
// file; a `dependsOn` entry or container name → the container; an import → the file.
import type { Location } from 'vscode-languageserver/node';
import type { Position } from '../model/source';
import type { Session } from '../lsp/session';
import type { Feature } from './feature';
import { fileStart, location } from './support/ranges';
import { locateDocument, targetAt } from './support/target';

export const definition: Feature = {
  capabilities: { definitionProvider: true },
  register({ connection, session }) {
    connection.onDefinition(({ textDocument, position }) => definitionAt(session, textDocument.uri, position));
  },
};

export function definitionAt(session: Session, uri: string, position: Position): Location[] | null {
  const at = locateDocument(session, uri);
  const target = at && targetAt(at, position);
  if (!at || !target) return null;
  const { workspace, facts } = at;
  switch (target.kind) {
    case 'option': {
      const decl = facts.index.option(target.path);
      return decl ? [location(session, workspace, decl.src)] : null;
    }
    case 'container': {
      const containers = facts.index.containersNamed(target.name);
      return containers.length ? containers.map((c) => location(session, workspace, c.nameSrc)) : null;
    }
    case 'secret': {
      const declarations = facts.secrets().get(target.name) ?? [];
      return declarations.length ? declarations.map((d) => location(session, workspace, d.src)) : null;
    }
    case 'secretFile': {
      const file = target.declaration.file;
      return file && workspace.index.exists(file) ? [fileStart(session, workspace, file)] : null;
    }
    case 'import': {
      const file = workspace.index.importedFile(target.target) ?? (workspace.index.exists(target.target) ? target.target : undefined);
      return file ? [fileStart(session, workspace, file)] : null;
    }
  }
}
