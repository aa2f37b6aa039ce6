// The fast path of `hwc lint` when nothing changed: bin/hwc loads this small bundle
// (out/lintReplay.js) before the 2.5 MB CLI. It either prints what the same invocation printed
// last time on the same workspace state — stdout and stderr in their order, and the exit code —
// or says why not, and the CLI runs as always (any doubt: not handled).
//
// What it replays was printed by the CLI itself: bin/hwc captures a run's writes and, when
// the CLI says the run is one to repeat (cache/lintOutcome.ts), keeps them in
// `.hwc-cache/replay-<engine>`, signed like every cache file (cacheFiles.ts): the bytes are
// those the full path wrote, already escaped for the terminal there. A run is kept when its
// output is what the full path prints for that state every time:
// - a text or JSON run that the lint cache itself replayed (the full warm path: no progress
//   line, no indexing, no cache warning);
// - a SARIF run that was computed without registry answers or cache warnings (the lint cache
//   never replays SARIF: its fixes read the index).
// The key of an output is everything the output depends on besides the workspace: the
// arguments, the working folder, the environment variables hwc or Node read, whether stdout
// and stderr are terminals (and stdout's width), the Node version; the engine (out/cli.js,
// the grammar, this bundle, package.json) names the file. The workspace's state is its stats
// (replayState.ts).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { flag, parseArgs } from '../cli/args';
import { exitQuietlyOnClosedPipe } from '../cli/closedPipe';
import { findRoot } from '../cli/root';
import { CacheDir } from './cacheDir';
import { FORMAT, FORMAT_VERSION, type Header, fields, splitLines, writeCacheFile } from './cacheFiles';
import { bundleVersion } from './engineVersion';
import type { LintOutcome } from './lintOutcome';
import { type WorkspaceState, compareInputs, compareState, isInputs, isState, pathKey, takeInputs, takeState } from './replayState';

/** The `hwc lint` options a replay understands; any other (`--fix`, `--no-cache`, `--baseline-write` …) runs the CLI. */
const HANDLED_FLAGS = new Set(['format', 'config', 'root', 'max-warnings', 'rule', 'baseline', 'quiet', 'no-color', 'no-baseline', 'cache']);
const HANDLED_BOOLEAN_FLAGS = new Set(['quiet', 'no-color', 'no-baseline', 'cache']);
/** Environment variables that can change what a run prints (colour, locale and collation, rule page URLs, Node's own options). */
const OUTPUT_ENV = /^(HWC_.*|LC_.*|LANG|LANGUAGE|NO_COLOR|TZ|NODE_OPTIONS|NODE_ICU_DATA)$/;
/** …except these: the cache key signs the file (a secret, never stored), the others change nothing printed. */
const NOT_OUTPUT_ENV = new Set(['HWC_CACHE_KEY', 'HWC_REPLAY_REPORT', 'HWC_NO_REPLAY', 'HWC_NO_CODE_CACHE']);
/** Outputs kept per workspace state (text, JSON, SARIF, other working folders …), and their bytes: every replay reads them all. */
const MAX_OUTPUTS = 8;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const FILE_PREFIX = 'replay-';

type Stream = 1 | 2;

interface StoredOutput {
  /** Files outside the workspace the run read, with their stats. */
  inputs: Array<[string, string]>;
  /** The writes in order: stream and base64 bytes. */
  writes: Array<[Stream, string]>;
  code: number;
}

export type Attempt = { handled: true; code: number } | { handled: false; reason: string; recorder?: Recorder };

/** `HWC_REPLAY_REPORT=FILE`: one line per run saying what the fast path did (tests, and anyone asking why a run was slow). */
function report(line: string): void {
  const file = process.env.HWC_REPLAY_REPORT;
  if (!file) return;
  try {
    fs.appendFileSync(file, `${line}\n`);
  } catch {
    // A report that cannot be written changes nothing.
  }
}

function notHandled(reason: string, recorder?: Recorder): Attempt {
  report(`not handled: ${reason}`);
  return { handled: false, reason, recorder };
}

/**
 * Tries to replay `hwc <argv>` (argv[0] is `lint`); `started` is when the process started
 * (Date.now()), for the recorder's racy check.
 */
export function attemptReplay(argv: string[], started: number): Attempt {
  let args;
  try {
    args = parseArgs(argv, HANDLED_BOOLEAN_FLAGS);
  } catch {
    return notHandled('arguments it does not handle');
  }
  if (args.command !== 'lint') return notHandled('not a lint');
  for (const name of args.flags.keys()) if (!HANDLED_FLAGS.has(name)) return notHandled(`--${name}`);
  let root: string;
  let key: string;
  try {
    // As the CLI checks them: a missing path is a usage error there.
    for (const p of args.positionals) if (!fs.existsSync(p)) return notHandled(`${p} does not exist`);
    root = findRoot(flag(args, 'root'), args.positionals[0]);
    key = invocationKey(argv);
  } catch (error) {
    return notHandled(`no root (${error instanceof Error ? error.message : String(error)})`);
  }
  const dir = CacheDir.at(root);
  if (!(dir instanceof CacheDir)) return notHandled(dir.unusable);
  const recorder = new Recorder(dir, { root, key, started, format: flag(args, 'format') ?? 'text', rootKey: pathKey(root) });
  // No replay file of any version (a cold run, or the last one was out of date): nothing to hash the engine for.
  if (!hasReplayFile(dir)) return notHandled('no replay file', recorder);
  const file = recorder.file;
  let stored: ReturnType<typeof readReplayFile>;
  try {
    stored = readReplayFile(dir, file, recorder.engine, root);
  } catch (error) {
    recorder.stale = true;
    return notHandled(`${file}: ${error instanceof Error ? error.message : String(error)}`, recorder);
  }
  if (!stored) {
    // Cut, unsigned or foreign files are of no use either: removed unless the run replaces them.
    recorder.stale = true;
    return notHandled('no signed replay file for this engine and root', recorder);
  }
  const output = stored.outputs.get(key);
  if (output === undefined) return notHandled('no output kept for this invocation', recorder);
  let parsed: StoredOutput;
  try {
    parsed = JSON.parse(output);
    if (!isInputs(parsed.inputs) || !Array.isArray(parsed.writes) || !Number.isInteger(parsed.code)) throw new Error('not an output');
    for (const write of parsed.writes) if (!Array.isArray(write) || (write[0] !== 1 && write[0] !== 2) || typeof write[1] !== 'string') throw new Error('not an output');
  } catch {
    return notHandled('a kept output is not one', recorder);
  }
  const inputChanged = compareInputs(parsed.inputs);
  if (inputChanged) return notHandled(inputChanged, recorder);
  const changed = compareState(root, stored.state);
  if (changed) {
    // No invocation can match this state again (a changed stat never comes back): the run's recorder removes the file.
    recorder.stale = true;
    return notHandled(changed, recorder);
  }
  exitQuietlyOnClosedPipe();
  for (const [stream, bytes] of parsed.writes) (stream === 1 ? process.stdout : process.stderr).write(Buffer.from(bytes, 'base64'));
  report('replayed');
  return { handled: true, code: parsed.code };
}

function invocationKey(argv: string[]): string {
  const env: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && OUTPUT_ENV.test(name) && !NOT_OUTPUT_ENV.has(name)) env.push([name, value]);
  env.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const stdout = process.stdout.isTTY ? { tty: true, columns: process.stdout.columns } : { tty: false };
  const invocation = { argv, cwd: process.cwd(), env, stdout, stderrTty: !!process.stderr.isTTY, node: process.version, execArgv: process.execArgv };
  return createHash('sha256').update(JSON.stringify(invocation)).digest('base64');
}

/**
 * What produced a kept output: the CLI bundle beside this one and its grammar (the lint
 * cache's engine version of out/cli.js), this bundle, and package.json (SARIF prints its
 * version and repository).
 */
function replayEngine(): string {
  const hash = createHash('sha256').update(bundleVersion(path.join(__dirname, 'cli.js')));
  for (const file of [__filename, path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update(`absent ${file}`);
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function hasReplayFile(dir: CacheDir): boolean {
  try {
    return fs.readdirSync(dir.dir).some((name) => name.startsWith(FILE_PREFIX));
  } catch {
    return false;
  }
}

interface ReplayFile {
  state: WorkspaceState;
  stateText: string;
  /** key → the output's JSON, in the order written (oldest first). */
  outputs: Map<string, string>;
}

/** The kept outputs and their state; undefined when there is no file of ours (unsigned, another engine or root). Throws for a broken one. */
function readReplayFile(dir: CacheDir, file: string, engine: string, root: string): ReplayFile | undefined {
  const text = dir.read(file);
  if (text === undefined) return undefined;
  const split = splitLines(text, { kind: 'replay', engine, root });
  if (!split) return undefined;
  let stateText: string | undefined;
  const outputs = new Map<string, string>();
  for (const record of split.records) {
    const [tag, key, json] = fields(record, 3);
    if (tag === 'state') stateText = json;
    else if (tag === 'output') outputs.set(key, json);
    else throw new Error('an unknown record');
  }
  if (stateText === undefined) throw new Error('no state');
  const state: unknown = JSON.parse(stateText);
  if (!isState(state)) throw new Error('the state is not one');
  return { state, stateText, outputs };
}

interface RecorderContext {
  root: string;
  key: string;
  started: number;
  format: string;
  /** The root's stat when the run started: a root whose entries change during the run is not kept. */
  rootKey: string;
}

/** Captures what the CLI writes for an invocation the fast path handles, and keeps it when the run is one to repeat. */
export class Recorder {
  private readonly writes: Array<[Stream, Buffer]> = [];
  private engineVersion: string | undefined;
  /** The replay file is of no use (broken, not ours, or its state no longer holds): removed after the run unless the run replaces it. */
  stale = false;

  constructor(
    private readonly dir: CacheDir,
    private readonly context: RecorderContext,
  ) {}

  get engine(): string {
    this.engineVersion ??= replayEngine();
    return this.engineVersion;
  }

  get file(): string {
    return `${FILE_PREFIX}${this.engine}`;
  }

  /** From now on, every write to stdout and stderr is also kept (call it before the CLI runs). */
  capture(): void {
    for (const [stream, target] of [[1, process.stdout], [2, process.stderr]] as const) {
      const write = target.write.bind(target) as (...args: unknown[]) => boolean;
      target.write = ((chunk: unknown, ...rest: unknown[]) => {
        const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
        if (typeof chunk === 'string') this.writes.push([stream, Buffer.from(chunk, encoding)]);
        else if (chunk instanceof Uint8Array) this.writes.push([stream, Buffer.from(chunk)]);
        return write(chunk, ...rest);
      }) as typeof target.write;
    }
  }

  /** After the CLI's run: keeps its output when `outcome` says it may, and the workspace allows (nothing changed near the run). */
  finish(code: number, outcome: LintOutcome | undefined): void {
    const why = this.keep(code, outcome);
    report(why ? `not recorded: ${why}` : 'recorded');
    if (why && this.stale) {
      try {
        // The folder is a real one inside the root (CacheDir.at); unlinking a name follows nothing.
        fs.unlinkSync(path.join(this.dir.dir, this.file));
      } catch {
        // Another run removed or replaced it.
      }
    }
  }

  private keep(code: number, outcome: LintOutcome | undefined): string | undefined {
    const { root, started, format } = this.context;
    if (!outcome) return 'the run did not lint';
    const repeatable = outcome.cacheUse === 'replayed' || (outcome.cacheUse === 'computed' && format === 'sarif' && !outcome.progressShown);
    if (!repeatable) return `a ${outcome.cacheUse} ${format} run is not what a warm run prints`;
    if (pathKey(root) !== this.context.rootKey) return 'the root changed during the run';
    const state = takeState(root, started);
    if (typeof state === 'string') return state;
    const inputs = takeInputs(outcome.inputs, started);
    if (typeof inputs === 'string') return inputs;
    const stateText = JSON.stringify(state);
    const writes: Array<[Stream, string]> = [];
    // Adjacent writes to one stream are one: fewer records, the same bytes in the same order.
    for (let i = 0; i < this.writes.length; ) {
      const stream = this.writes[i][0];
      const parts: Buffer[] = [];
      for (; i < this.writes.length && this.writes[i][0] === stream; i++) parts.push(this.writes[i][1]);
      writes.push([stream, Buffer.concat(parts).toString('base64')]);
    }
    const output: StoredOutput = { inputs, writes, code };
    const outputs = new Map<string, string>();
    try {
      const previous = readReplayFile(this.dir, this.file, this.engine, root);
      // Outputs of the same state stay: another format, another working folder.
      if (previous && previous.stateText === stateText) for (const [key, json] of previous.outputs) if (key !== this.context.key) outputs.set(key, json);
    } catch {
      // A broken file is replaced.
    }
    outputs.set(this.context.key, JSON.stringify(output));
    const kept = [...outputs].slice(-MAX_OUTPUTS);
    // The oldest go first beyond the byte budget; this run's output stays whatever its size.
    let bytes = kept.reduce((sum, [, json]) => sum + json.length, 0);
    while (kept.length > 1 && bytes > MAX_OUTPUT_BYTES) bytes -= kept.shift()![1].length;
    const header: Header = { format: FORMAT, version: FORMAT_VERSION, kind: 'replay', engine: this.engine, root };
    const records = [`state\t\t${stateText}`, ...kept.map(([key, json]) => `output\t${key}\t${json}`)];
    return writeCacheFile(this.dir, this.file, header, records) ? undefined : 'the cache folder cannot be written';
  }
}
