// Document symbols (the outline: containers, options, secrets, routes) and workspace
// symbols (every container by name).
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { Range, Src } from '../model/source';
import { comparePositions } from '../model/source';
import type { Session } from '../lsp/session';
import type { Feature } from './feature';
import { location } from './support/ranges';
import { optionDetail, renderValue } from './support/render';
import { locateDocument } from './support/target';

export const symbols: Feature = {
  capabilities: { documentSymbolProvider: true, workspaceSymbolProvider: true },
  register({ connection, session }) {
    connection.onDocumentSymbol(({ textDocument }) => documentSymbols(session, textDocument.uri));
    connection.onWorkspaceSymbol(({ query }) => workspaceSymbols(session, query));
  },
};

export function documentSymbols(session: Session, uri: string): DocumentSymbol[] | null {
  const at = locateDocument(session, uri);
  if (!at) return null;
  const { summary, facts } = at;
  const out: DocumentSymbol[] = [];
  for (const container of summary.containers) {
    const cf = facts.container(container);
    const range = span(cf.sites.filter((s) => s.file === summary.file));
    out.push({ name: container.name, kind: SymbolKind.Class, detail: cf.image ?? undefined, range, selectionRange: container.nameSrc.range });
  }
  for (const decl of summary.options) {
    out.push({ name: decl.path.join('.'), kind: SymbolKind.Property, detail: optionDetail(decl, facts.resolver), range: decl.src.range, selectionRange: decl.src.range });
  }
  for (const secret of summary.secretsDeclared) {
    out.push({ name: secret.name, kind: SymbolKind.Key, detail: secret.file ?? 'age secret', range: secret.src.range, selectionRange: secret.src.range });
  }
  for (const route of summary.routes) {
    const domain = route.domain ? facts.resolver.strings([route.domain])[0]?.text ?? renderValue(route.domain).slice(1, -1) : '(route)';
    const upstream = facts.resolver.strings(route.upstreams)[0]?.text;
    out.push({ name: domain, kind: SymbolKind.Interface, detail: upstream ? `→ ${upstream}` : 'route', range: route.src.range, selectionRange: route.src.range });
  }
  return out.sort((a, b) => comparePositions(a.range.start, b.range.start));
}

/** The smallest range covering every site (all in one file). */
function span(sites: Src[]): Range {
  let { start, end } = sites[0].range;
  for (const site of sites) {
    if (comparePositions(site.range.start, start) < 0) start = site.range.start;
    if (comparePositions(site.range.end, end) > 0) end = site.range.end;
  }
  return { start, end };
}

export function workspaceSymbols(session: Session, query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const wanted = query.toLowerCase();
  for (const workspace of session.workspaces) {
    for (const container of workspace.index.containers()) {
      if (!isSubsequence(wanted, container.name.toLowerCase())) continue;
      out.push({
        name: container.name,
        kind: SymbolKind.Class,
        location: location(session, workspace, container.nameSrc),
        containerName: container.moduleFolder ?? container.file,
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function isSubsequence(needle: string, haystack: string): boolean {
  let i = 0;
  for (const c of haystack) if (i < needle.length && c === needle[i]) i++;
  return i === needle.length;
}
