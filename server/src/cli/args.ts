// Command-line parsing for `hwc`: small and strict (unknown flags are usage errors).

export class UsageError extends Error {}

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  flags: Map<string, string[]>;
}

/** Flags that take a value; every other `--x` is a boolean. */
const VALUE_FLAGS = new Set([
  'format', 'config', 'root', 'max-warnings', 'rule', 'image', 'port', 'category', 'domain', 'secret', 'depends-on', 'network', 'tls-email', 'basic-auth-user', 'output', 'to', 'baseline', 'env-file', 'pin', 'public', 'profile', 'allow-read',
]);

export function parseArgs(argv: string[], booleanFlags: Set<string>): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      let value: string;
      if (VALUE_FLAGS.has(name)) {
        if (eq > 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i];
        else throw new UsageError(`--${name} needs a value`);
      } else if (booleanFlags.has(name)) {
        if (eq > 0) throw new UsageError(`--${name} takes no value`);
        value = 'true';
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
      continue;
    }
    if (arg === '-h') {
      flags.set('help', ['true']);
      continue;
    }
    if (command === undefined) command = arg;
    else positionals.push(arg);
  }
  return { command, positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values ? values[values.length - 1] : undefined;
}
