// `hwc new <name>`: the New Container generator without an editor. Secret values come from
// stdin only (`KEY=value` lines, or hidden prompts on a terminal), never from arguments;
// existing files are never overwritten; the files are written all or nothing.
import * as fs from 'fs';
import { initParser } from '../parse/parser';
import { ScaffoldError, collectFacts, diskFileAccess, generateContainer, type PlannedFile, type ScaffoldPlan, type WorkspaceView } from '../scaffold';
import type { NewContainerSpecInput } from '../scaffold/spec';
import { commitFiles, type FileWrite, type TransactionHooks } from '../workspace/fileTransaction';
import { WriteRefused } from '../workspace/rootPaths';
import { Workspace } from '../workspace/workspace';
import { ParsedArgs, UsageError, flag } from './args';
import { findRoot } from './lint';
import { escapeForTerminal, escapeLinesForTerminal } from './terminal';

const list = (args: ParsedArgs, name: string) => (args.flags.get(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export function specFromArgs(args: ParsedArgs): NewContainerSpecInput {
  const name = args.positionals[0];
  if (name === undefined) throw new UsageError('new needs a name: hwc new <name> --image <image:tag>');
  if (args.positionals.length > 1) throw new UsageError(`new takes one name, got ${args.positionals.map((p) => `\`${p}\``).join(' ')}`);
  const image = flag(args, 'image');
  if (!image) throw new UsageError('new needs --image <image:tag>');
  const secrets = list(args, 'secret');
  const withValue = secrets.find((s) => s.includes('='));
  if (withValue) throw new UsageError(`--secret ${withValue.split('=')[0]}: secret values are read from stdin only (KEY=value lines), never from arguments`);
  const domain = flag(args, 'domain');
  const tlsEmail = flag(args, 'tls-email');
  const basicAuthText = flag(args, 'basic-auth-user');
  let basicAuth: { user: string; hash: string } | undefined;
  if (basicAuthText !== undefined) {
    const colon = basicAuthText.indexOf(':');
    if (colon <= 0) throw new UsageError("--basic-auth-user takes USER:BCRYPT_HASH (the hash from `caddy hash-password`; quote it: 'admin:$2a$14$…')");
    basicAuth = { user: basicAuthText.slice(0, colon), hash: basicAuthText.slice(colon + 1) };
  }
  const proxied = flag(args, 'proxy') !== undefined || domain !== undefined || tlsEmail !== undefined || basicAuth !== undefined;
  return {
    name,
    image,
    ports: list(args, 'port'),
    category: flag(args, 'category'),
    network: flag(args, 'network'),
    proxy: proxied ? { domain, tlsEmail, basicAuth } : undefined,
    secrets,
    dependsOn: list(args, 'depends-on'),
  };
}

/**
 * `KEY=value` lines; blank lines are skipped, a value keeps everything after the first `=`.
 * A Map, because the keys are the user's (`constructor`, `__proto__` are valid names).
 */
export function parseSecretLines(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UsageError('stdin: expected KEY=value lines');
    const key = line.slice(0, eq).trim();
    if (values.has(key)) throw new UsageError(`stdin: \`${key}\` is given twice`);
    values.set(key, line.slice(eq + 1));
  }
  return values;
}

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}

async function readSecretValues(names: string[]): Promise<Map<string, string> | undefined> {
  if (process.stdin.isTTY) {
    const values = new Map<string, string>();
    for (const name of names) values.set(name, await readHidden(`${name} (hidden): `));
    return values;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const values = parseSecretLines(Buffer.concat(chunks).toString('utf8'));
  return values.size > 0 ? values : undefined;
}

// --- output ---------------------------------------------------------------------------------

function describe(file: PlannedFile, recipients: number): string {
  if (file.action === 'create') {
    if (file.encrypted) return `--- create ${file.path}\n(age file, ASCII-armored, ${file.text.length} bytes, encrypted to ${recipients} recipient${recipients === 1 ? '' : 's'})\n`;
    return `--- create ${file.path}\n${file.text.endsWith('\n') ? file.text : `${file.text}\n`}`;
  }
  const before = file.before!.split('\n');
  const hunks = [...file.edits!]
    .sort((a, b) => a.range.start.line - b.range.start.line)
    .map((edit) => {
      const line = edit.range.start.line;
      const added = edit.newText.split(/\r?\n/).slice(1).map((l) => `+${l}`);
      return `@@ after line ${line + 1} @@\n ${before[line] ?? ''}\n${added.join('\n')}`;
    });
  return `--- edit ${file.path}\n${hunks.join('\n')}\n`;
}

/** A note for the terminal: one line, escaped, except the block of next steps, which is several lines by construction. */
export function printableNote(note: string): string {
  return note.startsWith('Next:\n') ? escapeLinesForTerminal(note) : escapeForTerminal(note);
}

// --- writing --------------------------------------------------------------------------------

/**
 * Writes every file of the plan or none (workspace/fileTransaction.ts): new files never
 * replace anything, edited files must still hold the text the plan was made from, and no
 * write may land outside the root through a symbolic link. Throws WriteRefused.
 */
export function writePlan(root: string, files: PlannedFile[], hooks?: TransactionHooks): void {
  const writes: FileWrite[] = files.map((file) =>
    file.action === 'create' ? { path: file.path, action: 'create', text: file.text } : { path: file.path, action: 'replace', text: file.text, before: file.before },
  );
  commitFiles(root, writes, hooks);
}

// --- the command ----------------------------------------------------------------------------

/**
 * The workspace a generating command (`hwc new`, `hwc import compose`) writes into, as the
 * editor sees it: loaded, with the repository's own conventions (time zone, categories,
 * where secrets, routes and imports live) filling what the config file leaves out. An
 * invalid config file is reported and ends the command (exit 2).
 */
export async function loadWorkspaceToWrite(args: ParsedArgs): Promise<{ root: string; workspace: Workspace; view: WorkspaceView } | number> {
  const configFile = flag(args, 'config');
  if (configFile && !fs.existsSync(configFile)) throw new UsageError(`--config ${configFile}: no such file`);
  const root = findRoot(flag(args, 'root'), undefined);
  await initParser();
  const workspace = new Workspace(root, { configFile, log: (line) => process.stderr.write(`hwc: ${escapeForTerminal(line)}\n`) });
  workspace.loadAll();
  workspace.applyDiscovery();
  if (workspace.configProblems.length > 0) {
    for (const problem of workspace.configProblems) process.stderr.write(`hwc: ${escapeForTerminal(workspace.configFileRelative)}: ${escapeForTerminal(problem.message)}\n`);
    return 2;
  }
  return { root, workspace, view: { root, config: workspace.config, index: workspace.index, files: diskFileAccess(root) } };
}

export async function runNew(args: ParsedArgs): Promise<number> {
  const spec = specFromArgs(args);
  const dryRun = flag(args, 'dry-run') !== undefined;
  const loaded = await loadWorkspaceToWrite(args);
  if (typeof loaded === 'number') return loaded;
  const { root, view } = loaded;
  const recipients = collectFacts(view).recipients;
  const secrets = spec.secrets ?? [];
  // Values are only worth asking for when they can be encrypted; a dry run never prompts.
  if (secrets.length > 0 && recipients.length > 0 && !(dryRun && process.stdin.isTTY)) spec.secretValues = await readSecretValues(secrets);

  let plan: ScaffoldPlan;
  try {
    plan = await generateContainer(spec, view);
    if (!dryRun) writePlan(root, plan.files);
  } catch (error) {
    if (error instanceof WriteRefused) {
      process.stderr.write(`hwc new: ${escapeForTerminal(error.message)}\n`);
      return 2;
    }
    if (!(error instanceof ScaffoldError)) throw error;
    for (const problem of error.problems) process.stderr.write(`hwc new: ${escapeForTerminal(problem.message)}\n`);
    process.stderr.write('hwc new: nothing was written\n');
    return 1;
  }
  if (dryRun) {
    for (const file of plan.files) process.stdout.write(`${escapeLinesForTerminal(describe(file, recipients.length))}\n`);
    process.stdout.write('(dry run: nothing was written)\n\n');
  } else {
    for (const file of plan.files) process.stdout.write(`${file.action === 'create' ? 'created' : 'edited '} ${escapeForTerminal(file.path)}\n`);
    process.stdout.write('\n');
  }
  process.stdout.write(`${plan.notes.map(printableNote).join('\n')}\n`);
  return 0;
}
