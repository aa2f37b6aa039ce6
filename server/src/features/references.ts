// Find references: a container name (its definitions and every `dependsOn` entry naming
// it), an option (declaration, reads such as `cfg.port`, definitions in profiles) and a
// secret (declarations and `config.age.secrets.<n>` uses).
import type { Location } from 'vscode-languageserver/node';
import type { Position, Src } from '../model/source';
import type { Session } from '../lsp/session';
import type { Feature } from './feature';
import { location, srcKey } from './support/ranges';
import { locateDocument, targetAt } from './support/target';

export const references: Feature = {
  capabilities: { referencesProvider: true },
  register({ connection, session }) {
    connection.onReferences(({ textDocument, position, context }) => referencesAt(session, textDocument.uri, position, context.includeDeclaration));
  },
};

export function referencesAt(session: Session, uri: string, position: Position, includeDeclaration: boolean): Location[] | null {
  const at = locateDocument(session, uri);
  const target = at && targetAt(at, position);
  if (!at || !target) return null;
  const { workspace, facts } = at;
  const declarations: Src[] = [];
  const uses: Src[] = [];
  switch (target.kind) {
    case 'container':
      declarations.push(...facts.index.containersNamed(target.name).map((c) => c.nameSrc));
      uses.push(...(facts.dependents().get(target.name) ?? []).map((d) => d.src));
      break;
    case 'option': {
      const decl = facts.index.option(target.path);
      if (decl) declarations.push(decl.src);
      const sites = facts.optionSites().get((decl?.path ?? target.path).join('.'));
      if (sites) uses.push(...sites.reads, ...sites.definitions);
      break;
    }
    case 'secret':
    case 'secretFile': {
      const name = target.kind === 'secret' ? target.name : target.declaration.name;
      declarations.push(...(facts.secrets().get(name) ?? []).map((d) => d.src));
      uses.push(...(facts.secretUses().get(name) ?? []));
      break;
    }
    default:
      return null;
  }
  const seen = new Set<string>();
  const out: Location[] = [];
  for (const src of includeDeclaration ? [...declarations, ...uses] : uses) {
    const key = srcKey(src);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(location(session, workspace, src));
  }
  return out;
}
