// One compose service → one New Container spec (scaffold/spec.ts, with its import `extras`):
// the house layout's decisions (state under /opt/<category>/<name>, secrets into the
// encrypted `<name>-env`, databases on 127.0.0.1) applied to what the service asks for.
import { looksSecret, urlPassword } from '../rules/secretKeys';
import { KNOWN_VOLUME_OPTIONS, isDatabaseImage, parseImage } from '../rules/docker';
import type { NewContainerSpecInput } from '../scaffold/spec';
import { ComposeError } from './interpolate';
import type { ComposeService, Healthcheck, Mount } from './services';

export interface TranslateContext {
  /** The module name of every imported service, by service name. */
  moduleNames: ReadonlyMap<string, string>;
  image: string;
  category: string;
  stateRoot: string;
  tmpfiles: { mode: string; user: string; group: string };
  databaseImages: string[];
  /** Decided for the whole project (orchestrate.ts). */
  network: { spec: string | undefined; more?: string[]; extraOptions: string[] };
  domain: string | undefined;
  /** The service's environment with env_file values merged in (environment wins). */
  environment: Map<string, string | null>;
  /** Variables of the interpolation (for `environment: [KEY]` without a value). */
  variables: ReadonlyMap<string, string>;
  /** The first service mounting each named volume keeps it in its own state directory. */
  volumeOwners: Map<string, string>;
  /** Values of secret-looking variables (`DB_PASSWORD` in `.env`), wherever they are used. */
  secretVariableValues: string[];
  /** Compose secrets this service mounts, as agenix secrets (compose/secrets.ts). */
  secretFiles: NonNullable<NonNullable<NewContainerSpecInput['extras']>['secretFiles']>;
}

export interface Translation {
  spec: NewContainerSpecInput;
  notes: string[];
  untranslated: string[];
}

/**
 * A setting goes into the encrypted env file when its key looks secret (`hardcoded-secret`'s
 * own word rules, rules.md v2 §7/§15), its value embeds URL credentials, or it holds the value
 * of a secret-looking variable under another name (`PAPERLESS_DBPASS: ${DB_PASSWORD}`).
 */
export function isSecretSetting(key: string, value: string, secretVariableValues: readonly string[] = []): boolean {
  if (value === '') return false;
  return looksSecret(key) || urlPassword(value) !== null || secretVariableValues.some((secret) => value.includes(secret));
}

/** The values of secret-looking variables worth tracing (not flags, numbers or short words). */
export function secretValuesOf(variables: ReadonlyMap<string, string>): string[] {
  return [...variables].filter(([key, value]) => looksSecret(key) && value.length >= 6 && !/^(true|false|yes|no|\d+)$/i.test(value)).map(([, value]) => value);
}

function healthFlags(check: Healthcheck): string[] {
  if (check.disable) return ['--no-healthcheck'];
  const flags: string[] = [];
  // Podman takes the exec form as a JSON array and a plain string as a shell command, like Docker.
  if (Array.isArray(check.test)) flags.push(`--health-cmd=${JSON.stringify(check.test)}`);
  else if (typeof check.test === 'string') flags.push(`--health-cmd=${check.test}`);
  if (check.interval) flags.push(`--health-interval=${check.interval}`);
  if (check.timeout) flags.push(`--health-timeout=${check.timeout}`);
  if (check.retries !== undefined && Number.isFinite(check.retries)) flags.push(`--health-retries=${check.retries}`);
  if (check.startPeriod) flags.push(`--health-start-period=${check.startPeriod}`);
  return flags;
}

function mountOptions(options: string[]): string {
  const kept = options.filter((o) => KNOWN_VOLUME_OPTIONS.has(o));
  return kept.length ? `:${kept.join(',')}` : '';
}

function translateMounts(service: ComposeService, name: string, ctx: TranslateContext, notes: string[]) {
  const stateDir = `${ctx.stateRoot}/${ctx.category}/${name}`;
  const { mode, user, group } = ctx.tmpfiles;
  const volumes: string[] = [];
  const tmpfiles: string[] = [];
  const extraOptions: string[] = [];
  let namedVolumes = 0;
  const stateMount = (m: Extract<Mount, { kind: 'state' }>) => {
    const isNamed = m.from.startsWith('volume ');
    const owner = isNamed ? ctx.volumeOwners.get(m.source) : undefined;
    if (owner && owner !== stateDir) {
      notes.push(`${m.from} is shared with the service that mounts it first; it stays at ${owner}/${m.source} (hwc lint reports state shared between containers: decide who owns it)`);
      return `${owner}/${m.source}`;
    }
    if (isNamed) ctx.volumeOwners.set(m.source, stateDir);
    // `./sonarr/config` in a stack's folder is sonarr's own: `/opt/<category>/sonarr/config`, not …/sonarr/sonarr/config.
    const [first, ...rest] = m.source.split('/');
    const own = !isNamed && rest.length > 0 && (first === service.name || first === name);
    const host = `${stateDir}/${own ? rest.join('/') : m.source}`;
    if (/(^|\/)\.\.(\/|$)/.test(m.from)) notes.push(`${m.from} lies outside the compose folder; it becomes ${host}, so services that shared it no longer do`);
    if (m.file) notes.push(`${m.from} is a file: copy it to ${host} before the first start`);
    else tmpfiles.push(`d ${host} ${mode} ${user} ${group} -`);
    return host;
  };
  for (const mount of service.mounts) {
    switch (mount.kind) {
      case 'tmpfs':
        extraOptions.push(`--tmpfs=${mount.target}${mount.options.length ? `:${mount.options.join(',')}` : ''}`);
        break;
      case 'state':
        // A folder is bound, not a Podman volume: `nocopy` (a volume's copy-up) means nothing there.
        volumes.push(`${stateMount(mount)}:${mount.target}${mountOptions(mount.options.filter((o) => o !== 'nocopy'))}`);
        if (mount.from.startsWith('volume ') || mount.from.startsWith('anonymous')) namedVolumes++;
        break;
      default:
        volumes.push(`${mount.source}:${mount.target}${mountOptions(mount.options)}`);
    }
    const dropped = mount.options.filter((o) => !KNOWN_VOLUME_OPTIONS.has(o) && !(mount.kind === 'tmpfs'));
    if (dropped.length) notes.push(`mount ${mount.target}: option ${dropped.join(', ')} has no Podman equivalent and was left out`);
  }
  if (namedVolumes > 0) notes.push(`volumes: named volumes became folders under ${stateDir}; unlike a new Podman volume, a new folder is not filled with the image's files first`);
  return { volumes, tmpfiles, extraOptions };
}

function translatePorts(service: ComposeService, database: boolean, notes: string[]): string[] {
  const ports: string[] = [];
  for (const port of service.ports) {
    if (port.protocol === 'sctp') throw new ComposeError(`services.${service.name}.ports: sctp ports are not supported by the generator`);
    let hostIp = port.hostIp;
    if (database && hostIp !== null && ['0.0.0.0', '::', '[::]'].includes(hostIp)) {
      notes.push(`ports: ${hostIp} was replaced by 127.0.0.1: a database is never published past the firewall`);
      hostIp = '127.0.0.1';
    }
    if (port.hostRange) notes.push(`ports: ${port.containerPorts[0]} may take any host port of ${port.hostRange} in Compose; it is published on ${port.hostPorts![0]}`);
    if (port.hostPorts === null) notes.push(`ports: ${port.containerPorts.join(', ')} had no host port (Compose picks a random one); published on the same port number`);
    port.containerPorts.forEach((containerPort, i) => {
      const hostPort = port.hostPorts?.[i] ?? containerPort;
      ports.push(`${hostIp ? `${hostIp}:` : ''}${hostPort}:${containerPort}${port.protocol === 'udp' ? '/udp' : ''}`);
    });
  }
  return ports;
}

export function translateService(service: ComposeService, name: string, ctx: TranslateContext): Translation {
  const notes: string[] = [];
  const untranslated = [...service.unsupported];
  const database = isDatabaseImage(parseImage(ctx.image), ctx.databaseImages);

  const plain: Array<[string, string]> = [];
  const secretValues = new Map<string, string>();
  for (const [key, given] of ctx.environment) {
    const value = given ?? ctx.variables.get(key);
    if (value === undefined) {
      notes.push(`environment: ${key} has no value in the compose file or its env files; it was left out`);
      continue;
    }
    if (isSecretSetting(key, value, ctx.secretVariableValues)) secretValues.set(key, value);
    else plain.push([key, value]);
  }

  const mounts = translateMounts(service, name, ctx, notes);
  const extraOptions = [...ctx.network.extraOptions, ...mounts.extraOptions];
  extraOptions.push(...service.expose.map((p) => `--expose=${p}`));
  extraOptions.push(...service.devices.map((d) => `--device=${d}`));
  extraOptions.push(...service.capAdd.map((c) => `--cap-add=${c}`), ...service.capDrop.map((c) => `--cap-drop=${c}`));
  if (service.shmSize) extraOptions.push(`--shm-size=${service.shmSize}`);
  extraOptions.push(...service.extraHosts.map((h) => `--add-host=${h}`));
  if (service.healthcheck) extraOptions.push(...healthFlags(service.healthcheck));
  extraOptions.push(...service.flags);

  let entrypoint: string | undefined;
  let cmd: string[] | undefined = service.command ?? undefined;
  if (service.entrypoint) {
    if (service.entrypoint.length === 0) untranslated.push('entrypoint: an empty entrypoint (clearing the image\'s) has no oci-containers equivalent');
    else {
      // oci-containers takes the entrypoint as one program; its arguments lead the command,
      // as Docker runs them (setting an entrypoint also drops the image's default command).
      entrypoint = service.entrypoint[0];
      cmd = [...service.entrypoint.slice(1), ...(service.command ?? [])];
    }
  }

  const dependsOn: string[] = [];
  for (const dependency of service.dependsOn) {
    const target = ctx.moduleNames.get(dependency.service);
    if (!target) {
      notes.push(`depends_on: ${dependency.service} is not imported (skipped or not in the file); the dependency was left out`);
      continue;
    }
    dependsOn.push(target);
    if (dependency.condition !== 'service_started') notes.push(`depends_on ${dependency.service}: \`${dependency.condition}\` becomes start order (systemd starts ${target} first; it does not wait for health)`);
  }
  const containerMode = service.networkMode?.match(/^(?:service|container):(.+)$/)?.[1];
  if (containerMode && ctx.moduleNames.has(containerMode) && !dependsOn.includes(ctx.moduleNames.get(containerMode)!)) dependsOn.push(ctx.moduleNames.get(containerMode)!);

  if (service.restart && !['always', 'unless-stopped'].includes(service.restart)) {
    untranslated.push(`restart: ${service.restart}: NixOS restarts oci-containers units always; set systemd.services.podman-${name}.serviceConfig.Restart to change it`);
  }

  return {
    spec: {
      name,
      image: ctx.image,
      ports: translatePorts(service, database, notes),
      category: ctx.category,
      network: ctx.network.spec,
      ...(ctx.domain ? { proxy: { domain: ctx.domain } } : {}),
      secrets: [...secretValues.keys()],
      ...(secretValues.size ? { secretValues } : {}),
      dependsOn,
      extras: {
        volumes: mounts.volumes,
        tmpfiles: mounts.tmpfiles,
        environment: plain,
        labels: [...service.labels],
        secretFiles: ctx.secretFiles,
        networks: ctx.network.more ?? [],
        extraOptions,
        ...(cmd ? { cmd } : {}),
        ...(entrypoint !== undefined ? { entrypoint } : {}),
        ...(service.user !== null ? { user: service.user } : {}),
      },
    },
    notes,
    untranslated,
  };
}
