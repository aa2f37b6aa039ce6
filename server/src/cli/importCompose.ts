// `hwc import compose FILE`: a Docker Compose file → house-style container modules, through
// the New Container generator (compose/importCompose.ts). Exit 0 when written (or printed with
// --dry-run), 1 when images still need a pin (listed; nothing written), 2 on any error.
// Secret values from the file are encrypted in memory and never printed.
import * as fs from 'fs';
import { readBounded } from '../io/readBounded';
import { secretFileReader } from '../compose/secretFileReader';
import * as path from 'path';
import { ComposeError } from '../compose/interpolate';
import { importCompose, type ComposeImportInput } from '../compose/importCompose';
import { unifiedDiff } from '../fixes/diff';
import { suggestedCommand } from '../suggestedCommand';
import { ScaffoldError, collectFacts } from '../scaffold';
import { WriteRefused } from '../workspace/rootPaths';
import { ParsedArgs, UsageError, flag } from './args';
import { loadWorkspaceToWrite, printableNote, writePlan } from './new';
import { escapeForTerminal, escapeLinesForTerminal } from './terminal';

function pairs(args: ParsedArgs, name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of args.flags.get(name) ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--${name} takes SERVICE=VALUE, got \`${value}\``);
    const service = value.slice(0, eq);
    if (out.has(service)) throw new UsageError(`--${name} ${service}: given twice`);
    out.set(service, value.slice(eq + 1));
  }
  return out;
}

/** A compose or env file is configuration: bigger than this, it is not one (and /dev/zero is refused, not read forever). */
const MAX_COMPOSE_BYTES = 1024 * 1024;

function readText(file: string, what: string): string {
  const read = readBounded(file, MAX_COMPOSE_BYTES);
  if ('buffer' in read) return read.buffer.toString('utf8');
  if ('missing' in read) throw new UsageError(`${what} ${file}: no such file`);
  if ('notRegular' in read) throw new UsageError(`${what} ${file}: ${read.notRegular}, not a file`);
  if ('tooLarge' in read) throw new UsageError(`${what} ${file}: ${read.tooLarge} bytes, more than ${MAX_COMPOSE_BYTES / 1024} KiB`);
  throw new UsageError(`${what} ${file}: ${'error' in read ? read.error : 'not readable'}`);
}

export function inputFromArgs(args: ParsedArgs): ComposeImportInput {
  if (args.positionals[0] !== 'compose') throw new UsageError('import needs a kind: hwc import compose FILE');
  const file = args.positionals[1];
  if (file === undefined || args.positionals.length > 2) throw new UsageError('import compose takes one file: hwc import compose FILE');
  const absolute = path.resolve(file);
  const folder = path.dirname(absolute);
  const dotEnvPath = path.join(folder, '.env');
  const pins = pairs(args, 'pin');
  for (const [service, tag] of pins) if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag)) throw new UsageError(`--pin ${service}=${tag}: \`${tag}\` is not an image tag`);
  return {
    file,
    text: readText(absolute, 'compose file'),
    envFiles: (args.flags.get('env-file') ?? []).map((f) => ({ name: f, text: readText(path.resolve(f), '--env-file') })),
    dotEnv: fs.existsSync(dotEnvPath) ? readText(dotEnvPath, 'env file') : undefined,
    readRelative: (relative) => {
      const read = readBounded(path.resolve(folder, relative), MAX_COMPOSE_BYTES);
      if ('buffer' in read) return read.buffer.toString('utf8');
      if ('missing' in read) return undefined;
      throw new UsageError(`env_file ${relative}: ${'notRegular' in read ? `${read.notRegular}, not a file` : 'tooLarge' in read ? `more than ${MAX_COMPOSE_BYTES / 1024} KiB` : 'not readable'}`);
    },
    readSecretFile: secretFileReader(folder, (args.flags.get('allow-read') ?? []).map((p) => path.resolve(p))),
    folderName: path.basename(folder),
    category: flag(args, 'category'),
    pins,
    publicDomains: pairs(args, 'public'),
    profiles: (args.flags.get('profile') ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
  };
}

export async function runImport(args: ParsedArgs): Promise<number> {
  const input = inputFromArgs(args);
  const dryRun = flag(args, 'dry-run') !== undefined;
  // The same workspace as `hwc new` (and the editor) sees: discovered conventions included.
  const loaded = await loadWorkspaceToWrite(args);
  if (typeof loaded === 'number') return loaded;
  const { root, view } = loaded;
  const recipients = collectFacts(view).recipients.length;
  const fail = (...lines: string[]) => {
    process.stderr.write(`${lines.map(escapeForTerminal).join('\n')}\nhwc import: nothing was written\n`);
    return 2;
  };
  let result;
  try {
    result = await importCompose(input, view);
    if (result.status === 'needs-pin') {
      process.stderr.write('hwc import: these images have no tag or `latest`, which changes under you on every pull; pin each one:\n');
      for (const { service, image } of result.images) process.stderr.write(`  ${escapeForTerminal(service)}: ${escapeForTerminal(image)}    --pin ${escapeForTerminal(service)}=<tag>\n`);
      process.stderr.write('hwc import: nothing was written\n');
      return 1;
    }
    if (result.status === 'needs-consent') {
      process.stderr.write('hwc import: these secret files lie outside the compose file\'s folder; read them only if you trust the compose file with them:\n');
      for (const { secret, path: file, linkTo } of result.files) {
        process.stderr.write(`  ${escapeForTerminal(secret)}: ${escapeForTerminal(file)}${linkTo ? ` (a link to ${escapeForTerminal(linkTo)})` : ''}    --allow-read ${suggestedCommand([file]) ?? '<path>'}\n`);
      }
      process.stderr.write('hwc import: nothing was read or written\n');
      return 1;
    }
    if (!dryRun) writePlan(root, result.files);
  } catch (error) {
    if (error instanceof ComposeError) return fail(`hwc import: ${input.file}: ${error.message}`);
    if (error instanceof ScaffoldError) return fail(...error.problems.map((p) => `hwc import: ${p.message}`));
    if (error instanceof WriteRefused) return fail(`hwc import: ${error.message}`);
    throw error;
  }
  // Each entry is one line of repository text, escaped whole; generated files and diffs are escaped line by line.
  const out: string[] = [];
  for (const file of result.files) {
    if (!dryRun) out.push(`${file.action === 'create' ? 'created' : 'edited '} ${escapeForTerminal(file.path)}`);
    else if (file.encrypted) out.push(`--- create ${escapeForTerminal(file.path)}`, `(age file, ASCII-armored, ${file.text.length} bytes, encrypted to ${recipients} recipient${recipients === 1 ? '' : 's'})`, '');
    else if (file.action === 'create') out.push(`--- create ${escapeForTerminal(file.path)}`, escapeLinesForTerminal(file.text));
    else out.push(escapeLinesForTerminal(unifiedDiff(file.path, file.before!, file.text)));
  }
  if (dryRun) out.push('(dry run: nothing was written)');
  out.push('', `Project ${escapeForTerminal(result.project)}: ${result.services.length} service${result.services.length === 1 ? '' : 's'}${result.network ? ` on the Podman network ${escapeForTerminal(result.network)}` : ''}`);
  for (const service of result.services) {
    out.push(`  ${escapeForTerminal(service.service)} → ${escapeForTerminal(service.name)} (${escapeForTerminal(service.image)})`);
    for (const note of service.notes) out.push(`    ${escapeForTerminal(note)}`);
  }
  if (result.skipped.length) out.push('', 'Skipped:', ...result.skipped.map((s) => `  ${escapeForTerminal(s)}`));
  if (result.untranslated.length) out.push('', 'Not translated (no Podman/oci-containers equivalent; review by hand):', ...result.untranslated.map((u) => `  ${escapeForTerminal(u)}`));
  out.push('', ...result.notes.map(printableNote), '');
  process.stdout.write(out.join('\n'));
  return 0;
}
