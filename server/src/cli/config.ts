// `hwc config --show` (the effective settings and where each came from) and `hwc init`
// (write the discovered conventions into `.hwc-lint.json`, diff first, never overwriting
// without consent).
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { inlineJson, proposeConfigFile } from '../conventions/configFile';
import { escapeForTerminal, escapeLinesForTerminal } from './terminal';
import { initParser } from '../parse/parser';
import { unifiedDiff } from '../fixes/diff';
import { Workspace } from '../workspace/workspace';
import { ParsedArgs, UsageError, flag } from './args';
import { commitFiles } from '../workspace/fileTransaction';
import { WriteRefused } from '../workspace/rootPaths';
import { findRoot, rootMarker } from './root';

/** One line naming the root and where its settings come from (the head of `hwc lint`'s text output). */
export function describeConfigSources(workspace: Workspace): string {
  const origins = Object.values(workspace.origins);
  const discovered = origins.filter((o) => o.source === 'discovered').length;
  const fromFile = origins.filter((o) => o.source === 'file').length;
  const file = workspace.configFileExists ? `${workspace.configFileRelative} sets ${fromFile}` : `no ${workspace.configFileRelative}`;
  return `root ${escapeForTerminal(workspace.root)} (${file}, ${discovered} discovered${discovered > 0 ? ': `hwc config --show`' : ''})`;
}

/** Loads the workspace the way `hwc lint` does, conventions applied. */
async function loadWorkspace(args: ParsedArgs): Promise<Workspace> {
  const configFile = flag(args, 'config');
  if (configFile && !fs.existsSync(configFile)) throw new UsageError(`--config ${configFile}: no such file`);
  for (const p of args.positionals) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
  const root = findRoot(flag(args, 'root'), args.positionals[0]);
  await initParser();
  const workspace = new Workspace(root, { configFile, editorFacts: false, log: (line) => process.stderr.write(`hwc: ${escapeForTerminal(line)}\n`) });
  await workspace.loadAllInParallel();
  workspace.applyDiscovery();
  // With `"discover": false` nothing was applied; init and --show still say what there is to discover.
  if (!workspace.conventions) workspace.discover();
  return workspace;
}

export async function runConfig(args: ParsedArgs): Promise<number> {
  if (flag(args, 'show') === undefined) throw new UsageError('config needs --show (the effective settings and where each came from)');
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const workspace = await loadWorkspace(args);
  const settings = Object.fromEntries(
    Object.entries(workspace.origins).map(([key, origin]) => [key, { value: (workspace.config as Record<string, unknown>)[key] ?? null, ...origin }]),
  );
  if (format === 'json') {
    const report = { root: workspace.root, configFile: workspace.configFileRelative, configFileExists: workspace.configFileExists, settings, notes: workspace.conventions?.notes ?? [] };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const marker = rootMarker(workspace.root);
    const lines = [
      `root: ${escapeForTerminal(workspace.root)}${marker ? ` (has ${marker})` : ' (no flake.nix, .hwc-lint.json or domains/ + profiles/ here)'}`,
      `config file: ${escapeForTerminal(workspace.configFileRelative)}${workspace.configFileExists ? '' : ' (none)'}`,
      '',
    ];
    const width = Math.max(...Object.keys(settings).map((k) => k.length));
    for (const [key, setting] of Object.entries(settings)) {
      const value = setting.value === null ? '(unset)' : inlineJson(setting.value);
      lines.push(`${key.padEnd(width)}  ${escapeForTerminal(value)}`);
      const from = setting.source === 'discovered' ? `discovered: ${setting.reason}` : setting.source === 'file' ? `from ${workspace.configFileRelative}` : 'default';
      lines.push(`${''.padEnd(width)}    ${escapeForTerminal(from)}`);
    }
    const notes = workspace.conventions?.notes ?? [];
    if (notes.length > 0) lines.push('', 'also seen (no setting of its own):', ...notes.map((n) => `  - ${escapeForTerminal(n)}`));
    process.stdout.write(lines.join('\n') + '\n');
  }
  return workspace.configProblems.length > 0 ? 2 : 0;
}

export async function runInit(args: ParsedArgs): Promise<number> {
  if (flag(args, 'config') !== undefined) throw new UsageError('init writes <root>/.hwc-lint.json; pick the folder with --root');
  const workspace = await loadWorkspace(args);
  const target = path.join(workspace.root, workspace.configFileRelative);
  const existing = workspace.configFileExists ? fs.readFileSync(target, 'utf8') : undefined;
  if (workspace.configProblems.length > 0 && existing !== undefined) {
    for (const problem of workspace.configProblems) process.stderr.write(`hwc init: ${workspace.configFileRelative}:${problem.range.start.line + 1}: ${escapeForTerminal(problem.message)}\n`);
    process.stderr.write('hwc init: fix the config file first; nothing was written\n');
    return 2;
  }
  const proposal = proposeConfigFile(existing, workspace.conventions ?? { values: {}, notes: [] });
  process.stdout.write(`root ${escapeForTerminal(workspace.root)}\n`);
  if (proposal.added.length === 0) {
    process.stdout.write(`${workspace.configFileRelative}: nothing to add (every discovered convention is already set, or none was found)\n`);
    return 0;
  }
  process.stdout.write(escapeLinesForTerminal(unifiedDiff(workspace.configFileRelative, existing ?? '', proposal.text)));
  const dryRun = flag(args, 'dry-run') !== undefined;
  if (dryRun) {
    process.stdout.write('(dry run: nothing was written)\n');
    return 0;
  }
  if (existing !== undefined && flag(args, 'yes') === undefined && !(await confirmOnTerminal(`Add these settings to ${workspace.configFileRelative}? [y/N] `))) {
    process.stderr.write(`hwc init: ${workspace.configFileRelative} exists; run again with --yes to add these settings to it (nothing was written)\n`);
    return 1;
  }
  // The file must not have changed since it was read (an editor saving it meanwhile).
  const now = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (now !== existing) {
    process.stderr.write(`hwc init: ${workspace.configFileRelative} changed while the proposal was made; nothing was written\n`);
    return 1;
  }
  try {
    // The one writer: a new file never replaces one that appeared meanwhile; an existing one is
    // replaced only if it still holds what was read.
    commitFiles(workspace.root, [{ path: workspace.configFileRelative, action: existing === undefined ? 'create' : 'replace', text: proposal.text, ...(existing === undefined ? {} : { before: existing }) }]);
  } catch (error) {
    if (!(error instanceof WriteRefused)) throw error;
    process.stderr.write(`hwc init: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(`${existing === undefined ? 'wrote' : 'updated'} ${workspace.configFileRelative} (${proposal.added.length} setting${proposal.added.length === 1 ? '' : 's'}: ${proposal.added.join(', ')})\n`);
  return 0;
}

/** Asks on a terminal (never when stdin or stderr is not one: scripts get the refusal). */
async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

