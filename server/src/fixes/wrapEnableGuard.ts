// module-missing-enable-guard → "Wrap in lib.mkIf cfg.enable": prefixes the module's
// `config = …` value with `lib.mkIf cfg.enable` (parenthesising it when needed), or the value
// of the reported `config.<path> = …` binding when the module splits its definitions; a module
// without `config =` gets its whole body wrapped, or — when it also has `imports` — its
// loose config bindings gathered into `config = lib.mkIf cfg.enable { … };`. Uses `config.<ns>.<folder>.enable` when no `cfg` is bound and adds
// missing formals (`lib`, `config`). Safe when something in the workspace sets the
// module's enable to true (nothing changes for that host); otherwise unsafe, because the
// module stops defining anything until it is enabled.
import type { Node } from '../parse/parser';
import { str, withFile } from './common';
import { attrSource } from './moveSecretToEnvFile';
import { bindingNames, ensureFormals, isStructured, letBindingInScope, membersOf, moduleBody, unwrapParens, ATTRSETS, attrNames } from './syntax';
import { editsIn, eol, indentOf, indentUnit, lineEndOf, lineStartOf, offsetAt, startsLine } from './text';
import type { Fix, TextEdit } from './types';

const STRUCTURE = new Set(['imports', 'options', 'config', 'meta', '_file', 'key', 'disabledModules', 'freeformType', '_class']);

function wrap(value: Node, guard: string): TextEdit[] {
  if (ATTRSETS.has(value.type) || value.type === 'parenthesized_expression' || value.type === 'list_expression') {
    return [{ start: value.startIndex, end: value.startIndex, newText: `${guard} ` }];
  }
  return [
    { start: value.startIndex, end: value.startIndex, newText: `${guard} (` },
    { start: value.endIndex, end: value.endIndex, newText: ')' },
  ];
}

/**
 * A module with `imports` and loose config bindings: the (contiguous) loose bindings move
 * into `config = <guard> { … };`, indented one level deeper. Null when they are
 * interleaved with structure, or a multi-line string would change with the indentation.
 */
function gatherIntoConfig(text: string, members: Node[], guard: string): TextEdit | null {
  const loose = members.map((m) => m.type !== 'binding' || !STRUCTURE.has(bindingNames(m)[0] ?? ''));
  const first = loose.indexOf(true);
  const last = loose.lastIndexOf(true);
  if (first < 0 || loose.slice(first, last + 1).includes(false)) return null;
  const [a, z] = [members[first], members[last]];
  if (!startsLine(text, a.startIndex)) return null;
  for (const m of members.slice(first, last + 1)) {
    if (m.descendantsOfType(['string_expression', 'indented_string_expression']).some((n) => n && n.startPosition.row !== n.endPosition.row)) return null;
  }
  const unit = indentUnit(text);
  const nl = eol(text);
  const indent = indentOf(text, a.startIndex);
  const start = lineStartOf(text, a.startIndex);
  let end = lineEndOf(text, z.endIndex);
  if (text[end - 1] === '\r') end--;
  const rest = text.slice(z.endIndex, end).trim();
  if (rest !== '' && !rest.startsWith('#')) end = z.endIndex;
  const body = text
    .slice(start, end)
    .split('\n')
    .map((line) => (line.trim() === '' ? line.replace(/[ \t]+/, '') : unit + line))
    .join('\n');
  return { start, end, newText: `${indent}config = ${guard} {${nl}${body}${nl}${indent}};` };
}

/** The value of the `config.<path> = …;` binding that holds `offset`, if the reported definition is one. */
function splitDefinitionAt(members: Node[], offset: number): Node | null {
  const binding = members.find((m) => m.type === 'binding' && bindingNames(m)[0] === 'config' && m.startIndex <= offset && offset < m.endIndex);
  return binding?.childForFieldName('expression') ?? null;
}

export const wrapEnableGuard: Fix = {
  id: 'wrap-enable-guard',
  rules: ['module-missing-enable-guard'],
  safety: 'unsafe',
  summary: "Wrap the module's config in `lib.mkIf cfg.enable` (safe when the workspace enables the module).",
  actions(ctx) {
    const file = str(ctx.diagnostic.data, 'file') ?? ctx.diagnostic.src.file;
    const folder = ctx.index.get(file)?.moduleFolder;
    if (!folder) return [];
    const namespace = [...ctx.config.namespace.split('.'), folder];
    if (!ctx.index.option([...namespace, 'enable'])) return [];
    const edits = withFile(ctx, file, (text, tree): { edits: TextEdit[]; cond: string; split?: boolean } | null => {
      const body = moduleBody(tree);
      if (!body || !ATTRSETS.has(body.type)) return null;
      const cfg = letBindingInScope(body, 'cfg');
      const cfgValue = unwrapParens(cfg?.childForFieldName('expression') ?? null);
      const cfgPath = cfgValue?.type === 'select_expression' && cfgValue.childForFieldName('expression')?.text === 'config' ? attrNames(cfgValue.childForFieldName('attrpath')) : null;
      const usesCfg = !!cfgPath && ctx.index.canonicalPath(cfgPath.filter((n): n is string => n !== null)).join('.') === namespace.join('.') && !cfgPath.includes(null);
      const cond = usesCfg ? 'cfg.enable' : `config.${namespace.map(attrSource).join('.')}.enable`;
      const formals = ensureFormals(tree, usesCfg ? ['lib'] : ['config', 'lib']);
      if (!formals) return null;
      const guard = `lib.mkIf ${cond}`;
      const members = membersOf(body);
      if (isStructured(body)) {
        const config = members.find((m) => m.type === 'binding' && bindingNames(m).length === 1 && bindingNames(m)[0] === 'config');
        // Split definitions (`config.systemd.tmpfiles.rules = …;` beside a guarded container): guard the reported one.
        const configValue = config?.childForFieldName('expression');
        const value = configValue ?? splitDefinitionAt(members, offsetAt(text, ctx.diagnostic.src.range.start));
        return value ? { edits: [...formals, ...wrap(value, guard)], cond, split: !configValue } : null;
      }
      if (!members.some((m) => m.type === 'binding' && STRUCTURE.has(bindingNames(m)[0] ?? ''))) return { edits: [...formals, ...wrap(body, guard)], cond };
      const moved = gatherIntoConfig(text, members, guard);
      return moved ? { edits: [...formals, moved], cond } : null;
    });
    if (!edits) return [];
    const enablePath = [...namespace, 'enable'].join('.');
    const enabled = [...ctx.index.files()].some((f) => f.enabled.some((p) => ctx.index.canonicalPath(p.split('.')).join('.') === enablePath));
    return [
      {
        fix: this.id,
        title: edits.split ? `Guard this definition with \`lib.mkIf ${edits.cond}\`` : `Wrap the module's config in \`lib.mkIf ${edits.cond}\``,
        safety: enabled ? 'safe' : 'unsafe',
        autoApply: true,
        preferred: true,
        edits: editsIn(file, ...edits.edits),
        note: enabled ? undefined : `Nothing in the workspace sets ${enablePath} = true: the module defines nothing until it is enabled.`,
      },
    ];
  },
};
