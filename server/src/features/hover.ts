// Hover: each finding under the cursor (message, why, fixes, rule page), an option's resolved value and
// where it comes from, a container's summary, a secret's declaration and users.
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { Position, Range } from '../model/source';
import type { Session } from '../lsp/session';
import type { Feature } from './feature';
import { containsPosition, sourceLink } from './support/ranges';
import { renderValue } from './support/render';
import { findingExplanation } from './support/ruleDocs';
import { imageHoverNote } from './registryLookup';
import { Located, locateDocument, targetAt } from './support/target';

export const hover: Feature = {
  capabilities: { hoverProvider: true },
  register({ connection, session }) {
    connection.onHover(async ({ textDocument, position }) => {
      await session.idle();
      const hover = hoverAt(session, textDocument.uri, position);
      // On an image literal, with registry lookups on: its newest stable tag (cached answers are instant).
      const note = await imageHoverNote(session, textDocument.uri, position);
      if (!note) return hover;
      if (!hover) return { contents: { kind: MarkupKind.Markdown, value: note } };
      const contents = hover.contents as { kind: string; value: string };
      return { ...hover, contents: { kind: MarkupKind.Markdown, value: `${note}\n\n---\n\n${contents.value}` } };
    });
  },
};

export function hoverAt(session: Session, uri: string, position: Position): Hover | null {
  const sections: string[] = [];
  let range: Range | undefined;
  const seen = new Set<string>();
  for (const finding of session.current.get(uri)?.lint ?? []) {
    if (!containsPosition(finding.src.range, position) || seen.has(finding.rule)) continue;
    seen.add(finding.rule);
    sections.push(findingExplanation(finding));
    range ??= finding.src.range;
  }
  const at = locateDocument(session, uri);
  const target = at && targetAt(at, position);
  if (at && target) {
    let text: string | null = null;
    if (target.kind === 'option') text = optionHover(session, at, target.path);
    else if (target.kind === 'container') text = containerHover(session, at, target.name);
    else if (target.kind === 'secret') text = secretHover(session, at, target.name);
    else if (target.kind === 'secretFile') text = target.declaration.file ? `age file \`${target.declaration.file}\`${at.workspace.index.exists(target.declaration.file) ? '' : ' (missing)'}` : null;
    else if (target.kind === 'import') text = `imports \`${at.workspace.index.importedFile(target.target) ?? target.target}\``;
    if (text) {
      sections.unshift(text);
      range = target.src.range;
    }
  }
  if (sections.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range };
}

function optionHover(session: Session, at: Located, path: string[]): string | null {
  const { facts, workspace } = at;
  const decl = facts.index.option(path);
  if (!decl) return null;
  const lines: string[] = [];
  const name = `\`${decl.path.join('.')}\``;
  if (decl.default) {
    const resolved = facts.resolver.value(decl.default);
    lines.push(`**${name}** = \`${renderValue(resolved)}\``);
    const literal = resolved.k === 'str' || resolved.k === 'int' || resolved.k === 'bool' || resolved.k === 'path' ? resolved.src : decl.default.src;
    lines.push(`${decl.type ? `\`${decl.type}\` · ` : ''}default from ${sourceLink(session, workspace, literal)}`);
  } else {
    lines.push(`**${name}**`, `${decl.type ? `\`${decl.type}\` · ` : ''}no default: its value is set elsewhere and not known statically`);
  }
  if (decl.description) lines.push(decl.description);
  const definitions = facts.optionSites().get(decl.path.join('.'))?.definitions ?? [];
  if (definitions.length > 0) lines.push(`Set in ${definitions.slice(0, 3).map((d) => sourceLink(session, workspace, d)).join(', ')}${definitions.length > 3 ? ' …' : ''}`);
  return lines.join('\n\n');
}

function containerHover(session: Session, at: Located, name: string): string | null {
  const { facts, workspace } = at;
  const definitions = facts.index.containersNamed(name);
  if (definitions.length === 0) return `**${name}**: no container of that name is defined`;
  const container = definitions[0];
  const cf = facts.container(container);
  const route = facts.routeOf(container);
  const dependents = [...new Set((facts.dependents().get(name) ?? []).map((d) => d.container.name))].sort();
  const list = (items: string[], code = true) => (items.length ? items.map((i) => (code ? `\`${i}\`` : i)).join(', ') : '—');
  const lines = [
    `**${name}** — container${container.helper ? ` (made by \`${container.helper}\`)` : ''}, ${sourceLink(session, workspace, container.nameSrc)}`,
    '',
    `- image: ${cf.image ? `\`${cf.image}\`` : 'unknown'}`,
    `- ports: ${list(cf.ports)}`,
    `- state: ${list(cf.stateDirs)}`,
    `- secrets: ${list(cf.secrets)}`,
    `- route: ${route ? `${route.domain ? `\`${route.domain}\` ` : ''}(${sourceLink(session, workspace, route.route.src, route.route.src.file)})` : '—'}`,
    `- depends on: ${list(cf.dependsOn.map((d) => d.text ?? '…'))}`,
    `- needed by: ${list(dependents)}`,
  ];
  if (definitions.length > 1) lines.push('', `Defined ${definitions.length} times: ${definitions.map((d) => sourceLink(session, workspace, d.nameSrc)).join(', ')}`);
  return lines.join('\n');
}

function secretHover(session: Session, at: Located, name: string): string {
  const { facts, workspace } = at;
  const declarations = facts.secrets().get(name) ?? [];
  const lines = [`**age secret \`${name}\`**`];
  if (declarations.length === 0) lines.push('not declared anywhere in the workspace');
  for (const d of declarations) {
    const file = d.file ? ` · file \`${d.file}\`${workspace.index.exists(d.file) ? '' : ' (missing)'}` : '';
    lines.push(`declared in ${sourceLink(session, workspace, d.src)}${file}`);
  }
  const users = facts.index.containers().filter((c) => facts.container(c).secrets.includes(name)).map((c) => `\`${c.name}\``);
  if (users.length) lines.push(`used by ${[...new Set(users)].join(', ')}`);
  return lines.join('\n\n');
}
