// `hwc containers`: the inventory of every container the engine found (what runs where),
// with the reason for each value it cannot know. Text for a terminal, JSON as a contract.
import * as fs from 'fs';
import * as path from 'path';
import { initParser } from '../parse/parser';
import { type InventoryContainer, type InventoryValue, containerInventory } from '../workspace/inventory';
import { Workspace } from '../workspace/workspace';
import { ParsedArgs, UsageError, flag } from './args';
import { findRoot } from './lint';
import { escapeForTerminal } from './terminal';

const FORMATS = ['text', 'json'];

export async function runContainers(args: ParsedArgs): Promise<number> {
  const format = flag(args, 'format') ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const configFile = flag(args, 'config');
  if (configFile && !fs.existsSync(configFile)) throw new UsageError(`--config ${configFile}: no such file`);
  for (const p of args.positionals) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
  const root = findRoot(flag(args, 'root'), args.positionals[0]);
  await initParser();
  const workspace = new Workspace(root, { configFile, log: (line) => void process.stderr.write(`hwc: ${escapeForTerminal(line)}\n`), editorFacts: false });
  await workspace.loadAllInParallel();
  for (const problem of workspace.configProblems) process.stderr.write(`hwc: ${escapeForTerminal(workspace.configFileRelative)}: ${escapeForTerminal(problem.message)} (defaults used)\n`);
  const inScope = scopeFilter(root, args.positionals);
  const containers = containerInventory(workspace.index, workspace.config).filter((c) => inScope(c.file));
  if (format === 'json') process.stdout.write(JSON.stringify(containers, null, 2) + '\n');
  else {
    const color = !!process.stdout.isTTY && !process.env.NO_COLOR && !flag(args, 'no-color');
    process.stdout.write(formatInventory(containers, color));
  }
  return 0;
}

/** Paths given on the command line (relative to the cwd) narrow the containers listed, by the file that defines them. */
function scopeFilter(root: string, paths: string[]): (file: string) => boolean {
  const selected = paths.map((p) => path.relative(root, path.resolve(p)).split(path.sep).join('/').replace(/\/+$/, ''));
  return (file) => selected.length === 0 || selected.some((s) => s === '' || file === s || file.startsWith(s + '/'));
}

const STYLE = { bold: '\u001b[1m', dim: '\u001b[2m', yellow: '\u001b[33m', reset: '\u001b[0m' };

/** The inventory for a terminal: one block per container, every string from the repository escaped. */
export function formatInventory(containers: InventoryContainer[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${STYLE.reset}` : text);
  const out: string[] = [];
  for (const c of containers) {
    const made = [c.module ? `module ${escapeForTerminal(c.module)}` : null, c.helper ? `via ${escapeForTerminal(c.helper)}` : null].filter(Boolean);
    out.push(`${paint(STYLE.bold, escapeForTerminal(c.name))}  ${escapeForTerminal(c.file)}:${c.line}${made.length > 0 ? paint(STYLE.dim, `  (${made.join(', ')})`) : ''}`);
    const row = (label: string, lines: string[]) => lines.forEach((line, i) => out.push(`  ${(i === 0 ? label : '').padEnd(12)}${line}`));
    const values = (items: InventoryValue[], empty: string) =>
      items.length === 0 ? [paint(STYLE.dim, empty)] : items.map((v) => (v.value !== null ? escapeForTerminal(v.value) : `${v.partial ? `${escapeForTerminal(v.partial)}  ` : ''}${paint(STYLE.yellow, `unknown: ${escapeForTerminal(v.unknown ?? 'not resolved')}`)} ${paint(STYLE.dim, `(${escapeForTerminal(v.file)}:${v.line})`)}`));
    row('image', values(c.image, 'unknown: no `image` attribute'));
    row('ports', values(c.ports, 'none published'));
    row('volumes', values(c.volumes, 'none'));
    row('networks', values(c.networks, 'default'));
    if (c.environmentFiles.length > 0) row('env files', values(c.environmentFiles, ''));
    row('secrets', c.secrets.length > 0 ? [escapeForTerminal(c.secrets.join(', '))] : [paint(STYLE.dim, 'none')]);
    row('state', c.statePaths.length > 0 ? c.statePaths.map((s) => `${escapeForTerminal(s.path)}${s.configuredCategory ? '' : paint(STYLE.dim, `  (category ${escapeForTerminal(s.category)} is not configured)`)}`) : [paint(STYLE.dim, 'none under the state root')]);
    if (c.dependsOn.length > 0) row('depends on', values(c.dependsOn, ''));
    row('domains', c.domains.length > 0 ? c.domains.map((d) => (d.domain !== null ? escapeForTerminal(d.domain) : paint(STYLE.yellow, `unknown: ${escapeForTerminal(d.unknown ?? 'not resolved')}`))) : [paint(STYLE.dim, 'no Caddy route')]);
    out.push('');
  }
  out.push(summaryLine(containers));
  return out.join('\n') + '\n';
}

/** `12 containers in 9 files; image known for 11 (92%)`. */
export function summaryLine(containers: InventoryContainer[]): string {
  const files = new Set(containers.map((c) => c.file)).size;
  const known = containers.filter(imageKnown).length;
  const share = containers.length === 0 ? 100 : Math.floor((known / containers.length) * 100);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(containers.length, 'container')} in ${plural(files, 'file')}; image known for ${known} (${share}%)`;
}

/** An image is known when at least one of its possible values is fully known. */
export function imageKnown(container: InventoryContainer): boolean {
  return container.image.some((v) => v.value !== null);
}
