// Compose `secrets:` → agenix. The app reads each secret as a file (`/run/secrets/<target>`
// or an absolute target); here each becomes an agenix secret, mounted read-only at that path
// by every service that uses it. Its value comes from the secret's `file:` (read beside the
// compose file, bounded, never outside what the user pointed at unless allowed) or from an
// `environment:` variable of the env files; `external` secrets have none, so they are declared
// and the notes say how to encrypt the value by hand. Values are encrypted in memory here and
// never leave this module in plaintext.
import { ComposeError } from './interpolate';
import type { ComposeProject, ComposeService, SecretUse } from './services';

/** What reading a secret's `file:` gave (the readers are in compose/secretFileReader.ts). */
export type SecretFileRead = { bytes: Uint8Array } | { missing: true } | { outside: string; linkTo?: string } | { refused: string };

/** A secret file the import may read only once the user allows it (`--allow-read`): the path as named, and where a link leads. */
export interface OutsideFile {
  secret: string;
  path: string;
  linkTo?: string;
}

export interface SecretPermissions {
  owner?: string;
  group?: string;
  mode: string;
}

/** One agenix secret: a compose secret with one owner, group and mode. */
export interface PlannedSecret {
  name: string;
  source: string;
  permissions: SecretPermissions;
  /** The module that declares it (the first, in start order, that mounts it). */
  declaredBy: string;
  /** Mount targets by module. */
  targets: Map<string, string[]>;
  /** ASCII-armored age, or why there is no value. */
  value: { encrypted: string } | { missing: string };
}

export interface SecretsPlan {
  secrets: PlannedSecret[];
  /** What each service's module gets in `extras.secretFiles`, by service name. */
  byService: Map<string, Array<{ name: string; targets: string[]; declaration?: SecretPermissions & { encrypted?: string; missing?: string } }>>;
  /** Notes by service name (ownership decisions). */
  notes: Map<string, string[]>;
  /** Top-level secrets no imported service uses. */
  unused: string[];
}

const kebab = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'secret';
const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

/**
 * agenix's owner, group and mode for one use. Podman here runs rootful without user
 * namespaces (the import never sets one; `userns_mode` is listed as not translated), so a
 * numeric id means the same user on the host and in the container: the use's `uid`/`gid`,
 * else the ids of the service's numeric `user:`. A user name only the image knows cannot be
 * a host owner; the secret then stays root's, and the note says what to add.
 */
export function permissionsFor(use: SecretUse, service: ComposeService, notes: string[]): SecretPermissions {
  const where = `secret ${use.source}`;
  const numericUser = /^(\d+)(?::(\d+))?$/.exec(service.user ?? '');
  const id = (given: string | null, what: 'uid' | 'gid'): string | undefined => {
    if (given === null) return undefined;
    if (/^\d{1,10}$/.test(given)) return given;
    notes.push(`${where}: ${what} \`${given}\` is not a numeric id, and agenix sets owners on the host; it was left out`);
    return undefined;
  };
  const owner = id(use.uid, 'uid') ?? numericUser?.[1];
  const group = id(use.gid, 'gid') ?? numericUser?.[2];
  if (owner === undefined && use.uid === null) {
    notes.push(
      service.user
        ? `${where}: ${service.name} runs as \`${service.user}\`, a user only the image knows, so the secret stays owned by root; if the app cannot read it, give the secret \`uid:\`/\`gid:\` (the ids \`id\` prints in the container)`
        : `${where}: the image's user is not known here, so the secret is owned by root; an app that drops privileges before reading it needs \`uid:\`/\`gid:\` on the secret`,
    );
  }
  let mode: number;
  if (use.mode !== null) {
    // The specification: "Writable bit must be ignored"; set-id bits mean nothing on a secret.
    mode = use.mode & 0o555;
    if (mode !== use.mode) notes.push(`${where}: mode ${octal(use.mode)} became ${octal(mode)} (a mounted secret is read-only)`);
    if (mode & 0o004) notes.push(`${where}: mode ${octal(mode)} lets every user on the host read /run/agenix/…; agenix keeps it as asked`);
  } else {
    // Compose's default is 0444 inside the container; on the host that would be every user's, so only the owner (or group) reads it.
    mode = owner === undefined && group !== undefined ? 0o440 : 0o400;
  }
  return { ...(owner !== undefined ? { owner } : {}), ...(group !== undefined ? { group } : {}), mode: octal(mode) };
}

export interface SecretsInput {
  project: ComposeProject;
  /** The imported services, dependencies first (the first to use a secret declares it). */
  services: ComposeService[];
  moduleNames: ReadonlyMap<string, string>;
  variables: ReadonlyMap<string, string>;
  readSecretFile(file: string): SecretFileRead;
  /** Encrypts to the repository's recipients; undefined when none are configured. */
  encrypt: ((value: Uint8Array) => Promise<string>) | undefined;
}

export type SecretsOutcome = { status: 'planned'; plan: SecretsPlan } | { status: 'needs-consent'; files: OutsideFile[] };

export async function planSecrets(input: SecretsInput): Promise<SecretsOutcome> {
  const { project, moduleNames } = input;
  const planned: PlannedSecret[] = [];
  const notes = new Map<string, string[]>();
  const byKey = new Map<string, PlannedSecret>();
  for (const service of input.services) {
    const module = moduleNames.get(service.name)!;
    const serviceNotes: string[] = [];
    for (const use of service.secrets) {
      const permissions = permissionsFor(use, service, serviceNotes);
      const key = JSON.stringify([use.source, permissions.owner, permissions.group, permissions.mode]);
      let secret = byKey.get(key);
      if (!secret) {
        const base = kebab(use.source);
        let name = base.startsWith(`${module}-`) ? base : `${module}-${base}`;
        // `<module>-env` is the environment file's secret.
        if (name === `${module}-env`) name = `${module}-env-file`;
        if (planned.some((p) => p.name === name)) throw new ComposeError(`services.${service.name}.secrets: \`${use.source}\` is used twice with different uid, gid or mode; agenix gives one secret one owner, so use one setting`);
        secret = { name, source: use.source, permissions, declaredBy: module, targets: new Map(), value: { missing: '' } };
        byKey.set(key, secret);
        planned.push(secret);
      }
      const targets = secret.targets.get(module) ?? [];
      if (!targets.includes(use.target)) targets.push(use.target);
      secret.targets.set(module, targets);
    }
    if (serviceNotes.length) notes.set(service.name, serviceNotes);
  }

  // Values, one read per compose secret.
  const values = new Map<string, { bytes: Uint8Array } | { missing: string }>();
  const outside: OutsideFile[] = [];
  for (const source of new Set(planned.map((p) => p.source))) {
    const declared = project.secrets.get(source)!;
    if (declared.external) {
      values.set(source, { missing: `\`${source}\` is external (${declared.name === source ? 'it' : `\`${declared.name}\``} exists only on the Docker host), so its value is not in the compose project` });
    } else if (declared.environment !== null) {
      const value = input.variables.get(declared.environment);
      values.set(source, value === undefined ? { missing: `the variable ${declared.environment} is not set in the env files (hwc never reads its own environment)` } : { bytes: new TextEncoder().encode(value) });
    } else {
      const read = input.readSecretFile(declared.file!);
      if ('bytes' in read) values.set(source, { bytes: read.bytes });
      else if ('missing' in read) values.set(source, { missing: `${declared.file} does not exist beside the compose file` });
      else if ('outside' in read) outside.push({ secret: source, path: read.outside, ...(read.linkTo ? { linkTo: read.linkTo } : {}) });
      else throw new ComposeError(`secrets.${source}.file: ${declared.file}: ${read.refused}`);
    }
  }
  if (outside.length > 0) return { status: 'needs-consent', files: outside };
  const withValue = planned.filter((p) => 'bytes' in values.get(p.source)!);
  if (withValue.length > 0 && !input.encrypt) {
    throw new ComposeError(`secrets ${[...new Set(withValue.map((p) => p.source))].join(', ')} must be encrypted, but no age recipients are configured (set \`ageRecipients\` in .hwc-lint.json, or list them in secrets.nix)`);
  }
  for (const secret of planned) {
    const value = values.get(secret.source)!;
    secret.value = 'bytes' in value ? { encrypted: await input.encrypt!(value.bytes) } : value;
  }

  const byService = new Map<string, NonNullable<ReturnType<SecretsPlan['byService']['get']>>>();
  for (const service of input.services) {
    const module = moduleNames.get(service.name)!;
    const entries = planned
      .filter((p) => p.targets.has(module))
      .map((p) => ({
        name: p.name,
        targets: p.targets.get(module)!,
        ...(p.declaredBy === module ? { declaration: { ...p.permissions, ...('encrypted' in p.value ? { encrypted: p.value.encrypted } : { missing: p.value.missing }) } } : {}),
      }));
    if (entries.length) byService.set(service.name, entries);
  }
  const used = new Set(planned.map((p) => p.source));
  return { status: 'planned', plan: { secrets: planned, byService, notes, unused: [...project.secrets.keys()].filter((k) => !used.has(k)) } };
}
