// Checks a spec against the workspace and decides everything the templates leave open:
// the category, which address each port binds, the network, the route's upstream. Every
// refusal names the field and the reason; a spec that passes produces a module the
// linter has nothing to say about.
import { isDiscoveryImage, parseImage } from '../rules/docker';
import type { WorkspaceFacts } from './context';
import { isArmoredAge } from './encrypt';
import type { NewContainerSpec } from './spec';
import type { PublishedPort } from './templates';
import {
  PortRequest, basicAuthUserProblem, bcryptProblem, checkImage, domainProblem, emailProblem, envNameProblem, formatPort, isAllInterfaces, nameProblem,
  networkNameProblem, parsePortRequest, secretValueProblem,
} from './validate';

export interface Problem {
  field: 'name' | 'image' | 'ports' | 'category' | 'network' | 'proxy' | 'secrets' | 'dependsOn' | 'workspace';
  message: string;
}

export class ScaffoldError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

/** Where each image keeps its state, for the few whose path is well known; `/config` otherwise. */
const VOLUME_TARGETS: Array<[RegExp, string]> = [
  [/^(postgres|postgresql|postgis|timescaledb(-ha)?)$/, '/var/lib/postgresql/data'],
  [/^(mysql|mariadb)$/, '/var/lib/mysql'],
  [/^(mongo|mongodb)$/, '/data/db'],
  [/^(redis|valkey|keydb)$/, '/data'],
  [/^influxdb$/, '/var/lib/influxdb2'],
  [/^n8n$/, '/home/node/.n8n'],
];

export interface Decisions {
  name: string;
  image: string;
  database: boolean;
  category: string;
  stateDir: string;
  volumeTarget: string;
  ports: PublishedPort[];
  mainPort: PortRequest | null;
  /** The value of the `port` option: main host port, or the listening port on the host network. */
  portOption: number | null;
  network: { mode: 'ports' } | { mode: 'host' } | { mode: 'custom'; name: string; create: boolean };
  proxy: { domain: string; tlsEmail: string | null; basicAuth: { user: string; hash: string } | null; upstreamHost: string } | null;
  secrets: string[];
  secretValues: ReadonlyMap<string, string> | null;
  encryptedSecrets: string | null;
  dependsOn: string[];
  environment: Array<[string, string]>;
  tmpfilesRule: string;
  /** Networks joined besides `network` (import extras), each created here unless something creates it. */
  extraNetworks: Array<{ name: string; create: boolean }>;
  /** The spec's import extras, checked (see spec.ts). */
  extras: NewContainerSpec['extras'] | null;
  notes: string[];
}

function overlaps(a: { hostIp: string | null; protocol: string }, b: { hostIp: string | null; protocol: string }): boolean {
  if (a.protocol !== b.protocol) return false;
  return isAllInterfaces(a.hostIp) || isAllInterfaces(b.hostIp) || a.hostIp === b.hostIp;
}

const NIX_STRING_UNSAFE = /["\\$`]/;

const SECRET_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** Import extras: agenix secrets mounted as files. A name and a target go into Nix strings and a volume spec unescaped, so both are strict. */
function checkSecretFiles(secretFiles: NonNullable<NewContainerSpec['extras']>['secretFiles'], envSecret: string, hasEnvSecret: boolean, facts: WorkspaceFacts, refuse: (field: Problem['field'], message: string) => void): void {
  const targets = new Set<string>();
  const names = new Set<string>();
  for (const secret of secretFiles) {
    const { name, declaration } = secret;
    if (!SECRET_NAME.test(name)) refuse('secrets', `secret \`${name}\`: a secret name is lower-case letters, digits, \`-\`, \`_\` and \`.\``);
    else if (names.has(name) || (hasEnvSecret && name === envSecret)) refuse('secrets', `secret \`${name}\`: listed twice`);
    names.add(name);
    if (declaration) {
      if (facts.secretsDeclared.includes(name)) refuse('secrets', `secret \`${name}\`: \`age.secrets."${name}"\` is already declared`);
      if (declaration.owner !== undefined && !/^\d{1,10}$/.test(declaration.owner)) refuse('secrets', `secret \`${name}\`: the owner is a numeric user id`);
      if (declaration.group !== undefined && !/^\d{1,10}$/.test(declaration.group)) refuse('secrets', `secret \`${name}\`: the group is a numeric group id`);
      if (!/^0[0-7]{3}$/.test(declaration.mode)) refuse('secrets', `secret \`${name}\`: the mode is four octal digits (0400)`);
      if (declaration.encrypted !== undefined && !isArmoredAge(declaration.encrypted)) refuse('secrets', `secret \`${name}\`: the value is not an ASCII-armored age file`);
    } else if (!facts.secretsDeclared.includes(name)) {
      refuse('secrets', `secret \`${name}\`: mounted but declared nowhere`);
    }
    for (const target of secret.targets) {
      // `:` and `,` end the container path of a volume spec; controls would break the Nix string's line.
      if (!target.startsWith('/') || /[:,\s\p{Cc}"\\$`]/u.test(target)) refuse('secrets', `secret \`${name}\`: \`${target}\` is not an absolute container path without spaces, \`:\` or \`,\``);
      else if (targets.has(target)) refuse('secrets', `secret \`${name}\`: two secrets are mounted at ${target}`);
      targets.add(target);
    }
  }
}

export function decide(spec: NewContainerSpec, facts: WorkspaceFacts): Decisions {
  const problems: Problem[] = [];
  const refuse = (field: Problem['field'], message: string) => problems.push({ field, message });
  const conventions = facts.conventions;
  const notes: string[] = [];
  const name = spec.name;

  const nameIssue = nameProblem(name);
  if (nameIssue) refuse('name', `name: ${nameIssue}`);
  else if (facts.containers.includes(name)) refuse('name', `name: a container named \`${name}\` already exists in this workspace`);
  else if (facts.moduleFolders.includes(name)) refuse('name', `name: the module folder \`${conventions.containersFolder}/${name}\` already exists`);

  const image = checkImage(spec.image, conventions.databaseImages);
  if (image.error) refuse('image', `image: ${image.error}`);
  const imageRef = parseImage(spec.image);

  const category = spec.category ?? (image.database && conventions.categories.includes('databases') ? 'databases' : conventions.categories.includes('services') ? 'services' : conventions.categories[0]);
  if (!conventions.categories.includes(category)) refuse('category', `category: \`${category}\` is not one of the configured categories (${conventions.categories.join(', ')})`);
  const stateDir = `${conventions.stateRoot}/${category}/${name}`;
  const sharedWith = facts.stateDirs.find((s) => s.dir === stateDir);
  if (sharedWith) refuse('name', `name: \`${stateDir}\` is already mounted by ${sharedWith.container}; state directories are not shared`);

  const tmpfiles = conventions.tmpfiles;
  for (const [what, value] of Object.entries({ stateRoot: conventions.stateRoot, 'tmpfiles.mode': tmpfiles.mode, 'tmpfiles.user': tmpfiles.user, 'tmpfiles.group': tmpfiles.group, timezone: conventions.timezone })) {
    if (NIX_STRING_UNSAFE.test(value) || /\s/.test(value)) refuse('workspace', `.hwc-lint.json: \`${what}\` holds characters that cannot go into a generated Nix string`);
  }

  // Network.
  const networkName = spec.network?.trim() || undefined;
  let network: Decisions['network'] = { mode: 'ports' };
  if (networkName === 'host') network = { mode: 'host' };
  else if (networkName) {
    const issue = networkNameProblem(networkName);
    if (issue) refuse('network', `network: ${issue}`);
    const known = facts.networks.find((n) => n.name === networkName);
    network = { mode: 'custom', name: networkName, create: !known?.created };
    if (isDiscoveryImage(imageRef, conventions.discoveryImages)) {
      refuse('network', `network: ${imageRef.name} discovers devices on the LAN, which a custom network hides from it; use the host network (or a native NixOS service)`);
    }
    notes.push(
      network.create
        ? `Network: nothing creates \`${networkName}\` yet, so the module adds \`systemd.services."podman-network-${networkName}"\`, which creates it before the container starts.`
        : `Network: joins \`${networkName}\` (${known!.users.length ? `shared with ${known!.users.join(', ')}` : 'created elsewhere in the workspace'}); containers on it reach each other by name.`,
    );
  }

  // Ports.
  const requests: PortRequest[] = [];
  for (const text of spec.ports) {
    const parsed = parsePortRequest(text);
    if ('error' in parsed) refuse('ports', `ports: ${parsed.error}`);
    else requests.push(parsed);
  }
  const mainPort = requests.find((p) => p.protocol === 'tcp') ?? null;
  const proxied = !!spec.proxy;
  const ports: PublishedPort[] = [];
  if (network.mode === 'host') {
    if (requests.length > 0) notes.push(`Host network: no ports are published; ${name} listens on the host's own ports${mainPort ? ` (the \`port\` option is ${mainPort.containerPort})` : ''}.`);
  } else {
    requests.forEach((p, i) => {
      if (requests.findIndex((o) => o.hostPort === p.hostPort && overlaps(o, p)) !== i) refuse('ports', `ports: host port ${p.hostPort}/${p.protocol} is listed twice`);
      let hostIp = p.hostIp;
      let allInterfacesReason: string | null = null;
      if (hostIp === null && image.database) {
        hostIp = '127.0.0.1';
        notes.push(`Ports: ${p.hostPort} is published on 127.0.0.1 only: ${imageRef.name} is a database image, and published ports bypass the NixOS firewall.`);
      } else if (hostIp === null && proxied && p === mainPort) {
        hostIp = '127.0.0.1';
        notes.push(`Ports: ${p.hostPort} is published on 127.0.0.1, where Caddy reaches it; write \`0.0.0.0:${p.hostPort}:${p.containerPort}\` to open it to the network as well.`);
      } else if (isAllInterfaces(hostIp)) {
        if (image.database) refuse('ports', `ports: \`${formatPort(p)}\` would publish the database ${imageRef.name} on every interface, past the NixOS firewall; use \`127.0.0.1:${p.hostPort}:${p.containerPort}\``);
        allInterfacesReason = hostIp !== null ? 'published on every interface on purpose' : proxied ? 'reached directly over the network, not through Caddy' : 'no reverse proxy in front: reached directly over the network';
        notes.push(`Ports: ${p.hostPort}${p.protocol === 'udp' ? '/udp' : ''} is published on every interface (reachable from the network, past the NixOS firewall); the module records that decision in a \`hwc-lint\` comment.`);
      }
      const clash = facts.publishedPorts.find((o) => o.hostPort === p.hostPort && overlaps(o, { hostIp, protocol: p.protocol }));
      if (clash) refuse('ports', `ports: host port ${p.hostPort}${p.protocol === 'udp' ? '/udp' : ''} is already published by ${clash.container}`);
      const hostPart = p === mainPort ? '${toString cfg.port}' : String(p.hostPort);
      ports.push({ text: `${hostIp ? `${hostIp}:` : ''}${hostPart}:${p.containerPort}${p.protocol === 'udp' ? '/udp' : ''}`, allInterfacesReason });
    });
  }
  const portOption = mainPort ? (network.mode === 'host' ? mainPort.containerPort : mainPort.hostPort) : null;

  // Reverse proxy.
  let proxy: Decisions['proxy'] = null;
  if (spec.proxy) {
    const domain = spec.proxy.domain?.trim() || `${name}.${conventions.domainSuffix ?? 'local'}`;
    const issue = domainProblem(domain);
    if (issue) refuse('proxy', `domain: ${issue}`);
    else if (facts.domains.includes(domain)) refuse('proxy', `domain: \`${domain}\` is already served by another route`);
    if (!mainPort) refuse('proxy', `proxy: Caddy needs the TCP port ${name} listens on; add one under ports`);
    const tlsEmail = spec.proxy.tlsEmail?.trim() || null;
    if (tlsEmail) {
      const emailIssue = emailProblem(tlsEmail);
      if (emailIssue) refuse('proxy', `TLS email: ${emailIssue}`);
    }
    const basicAuth = spec.proxy.basicAuth ?? null;
    if (basicAuth) {
      const userIssue = basicAuthUserProblem(basicAuth.user);
      if (userIssue) refuse('proxy', `basic auth user: ${userIssue}`);
      const hashIssue = bcryptProblem(basicAuth.hash);
      if (hashIssue) refuse('proxy', `basic auth: ${hashIssue}`);
    }
    const ip = mainPort?.hostIp ?? null;
    const upstreamHost = ip === null || isAllInterfaces(ip) || ip.startsWith('127.') || ip === '[::1]' || ip === '::1' ? 'localhost' : ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
    proxy = { domain, tlsEmail, basicAuth, upstreamHost };
  }

  // Secrets.
  const secrets: string[] = [];
  for (const key of spec.secrets) {
    const issue = envNameProblem(key);
    if (issue) refuse('secrets', `secrets: ${issue}`);
    else if (secrets.includes(key)) refuse('secrets', `secrets: \`${key}\` is listed twice`);
    else secrets.push(key);
  }
  const secretName = `${name}-env`;
  if (secrets.length > 0 && facts.secretsDeclared.includes(secretName)) refuse('secrets', `secrets: \`age.secrets."${secretName}"\` is already declared`);
  let secretValues: Map<string, string> | null = null;
  if (spec.secretValues && spec.secretValues.size > 0) {
    secretValues = new Map();
    for (const [key, value] of spec.secretValues) {
      if (!secrets.includes(key)) refuse('secrets', `secrets: a value was given for \`${key}\`, which is not one of the secret variables (${secrets.join(', ') || 'none'})`);
      const issue = secretValueProblem(value);
      if (issue) refuse('secrets', `secrets: \`${key}\`: ${issue}`);
      secretValues.set(key, value);
    }
    const missing = secrets.filter((k) => !secretValues!.has(k));
    if (missing.length) refuse('secrets', `secrets: no value for ${missing.map((k) => `\`${k}\``).join(', ')}`);
  }
  const encryptedSecrets = spec.encryptedSecrets ?? null;
  if (encryptedSecrets !== null) {
    if (secretValues) refuse('secrets', 'secrets: give either the values or the encrypted env file, not both');
    if (secrets.length === 0) refuse('secrets', 'secrets: an encrypted env file was given but no secret variables');
    if (!isArmoredAge(encryptedSecrets)) refuse('secrets', 'secrets: the encrypted env file is not an ASCII-armored age file');
  }

  // Dependencies.
  const dependsOn: string[] = [];
  for (const dependency of spec.dependsOn) {
    if (dependency === name) refuse('dependsOn', `dependsOn: ${name} cannot depend on itself`);
    else if (!facts.containers.includes(dependency)) refuse('dependsOn', `dependsOn: no container named \`${dependency}\` in this workspace`);
    else if (!dependsOn.includes(dependency)) dependsOn.push(dependency);
  }

  // Import extras: the values are escaped when written; only what would change their meaning is refused.
  const extras = spec.extras ?? null;
  for (const [key] of extras?.environment ?? []) {
    if (secrets.includes(key)) refuse('secrets', `environment: \`${key}\` is both a plain and a secret variable`);
  }
  for (const line of extras?.tmpfiles ?? []) if (/[\r\n]/.test(line)) refuse('workspace', 'tmpfiles: a rule is one line');
  checkSecretFiles(extras?.secretFiles ?? [], `${name}-env`, secrets.length > 0, facts, refuse);
  const extraNetworks: Decisions['extraNetworks'] = [];
  for (const extra of extras?.networks ?? []) {
    const issue = networkNameProblem(extra);
    if (issue || extra === 'host') refuse('network', `network: ${issue ?? '`host` cannot be joined besides another network'}`);
    else if (extra !== networkName && !extraNetworks.some((n) => n.name === extra)) {
      const created = !!facts.networks.find((n) => n.name === extra)?.created;
      extraNetworks.push({ name: extra, create: !created });
      notes.push(created ? `Network: also joins \`${extra}\`.` : `Network: also joins \`${extra}\`, which nothing creates yet, so the module adds \`systemd.services."podman-network-${extra}"\`.`);
    }
  }

  if (problems.length > 0) throw new ScaffoldError(problems);

  const { mode, user, group } = conventions.tmpfiles;
  const numeric = (v: string) => (/^\d+$/.test(v) ? v : '1000');
  return {
    name,
    image: spec.image,
    database: image.database,
    category,
    stateDir,
    volumeTarget: VOLUME_TARGETS.find(([pattern]) => pattern.test(imageRef.name))?.[1] ?? '/config',
    ports,
    mainPort,
    portOption,
    network,
    proxy,
    secrets,
    secretValues,
    encryptedSecrets,
    dependsOn,
    environment: extras?.environment ?? [['PUID', numeric(user)], ['PGID', numeric(group)], ['TZ', conventions.timezone]],
    tmpfilesRule: `d ${stateDir} ${mode} ${user} ${group} -`,
    extraNetworks,
    extras,
    notes,
  };
}
