// `hwc import compose FILE`: a Docker Compose file → house-style container modules, through
// the New Container generator (compose/importCompose.ts). Exit 0 when written (or printed with
// --dry-run), 1 when images still need a pin (listed; nothing written), 2 on any error.
// Secret values from the file are encrypted in memory and never printed.
import * as fs from 'fs';
import * as path from 'path';
import { ComposeError } from '../compose/interpolate';
import { importCompose, type ComposeImportInput } from '../compose/importCompose';
import { unifiedDiff } from '../fixes/diff';
import { ScaffoldError, collectFacts } from '../scaffold';
import { WriteRefused } from '../workspace/rootPaths';
import { ParsedArgs, UsageError, flag } from './args';
import { loadWorkspaceToWrite, writePlan } from './new';

/** Text from the compose file for a terminal: control characters (but line breaks) shown as escapes. */
function printable(text: string): string {
  return text.replace(/[^\n\P{Cc}]|\p{Cf}/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

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

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
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
      try {
        return fs.readFileSync(path.resolve(folder, relative), 'utf8');
      } catch {
        return undefined;
      }
    },
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
  const fail = (message: string) => {
    process.stderr.write(`${printable(message)}\nhwc import: nothing was written\n`);
    return 2;
  };
  let result;
  try {
    result = await importCompose(input, view);
    if (result.status === 'needs-pin') {
      process.stderr.write('hwc import: these images have no tag or `latest`, which changes under you on every pull; pin each one:\n');
      for (const { service, image } of result.images) process.stderr.write(printable(`  ${service}: ${image}    --pin ${service}=<tag>\n`));
      process.stderr.write('hwc import: nothing was written\n');
      return 1;
    }
    if (!dryRun) writePlan(root, result.files);
  } catch (error) {
    if (error instanceof ComposeError) return fail(`hwc import: ${input.file}: ${error.message}`);
    if (error instanceof ScaffoldError) return fail(error.problems.map((p) => `hwc import: ${p.message}`).join('\n'));
    if (error instanceof WriteRefused) return fail(`hwc import: ${error.message}`);
    throw error;
  }
  const out: string[] = [];
  for (const file of result.files) {
    if (!dryRun) out.push(`${file.action === 'create' ? 'created' : 'edited '} ${file.path}`);
    else if (file.encrypted) out.push(`--- create ${file.path}\n(age file, ASCII-armored, ${file.text.length} bytes, encrypted to ${recipients} recipient${recipients === 1 ? '' : 's'})\n`);
    else if (file.action === 'create') out.push(`--- create ${file.path}\n${file.text}`);
    else out.push(unifiedDiff(file.path, file.before!, file.text));
  }
  if (dryRun) out.push('(dry run: nothing was written)');
  out.push('', `Project ${result.project}: ${result.services.length} service${result.services.length === 1 ? '' : 's'}${result.network ? ` on the Podman network ${result.network}` : ''}`);
  for (const service of result.services) {
    out.push(`  ${service.service} → ${service.name} (${service.image})`);
    for (const note of service.notes) out.push(`    ${note.replace(/\n/g, '\n    ')}`);
  }
  if (result.skipped.length) out.push('', 'Skipped:', ...result.skipped.map((s) => `  ${s}`));
  if (result.untranslated.length) out.push('', 'Not translated (no Podman/oci-containers equivalent; review by hand):', ...result.untranslated.map((u) => `  ${u}`));
  out.push('', ...result.notes, '');
  process.stdout.write(printable(out.join('\n')));
  return 0;
}
