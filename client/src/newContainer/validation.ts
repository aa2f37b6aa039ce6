// What the New Container wizard checks as you type, and the spec it builds: no VS Code
// import, so it is unit-tested on its own. The field rules are the generator's
// (server/src/scaffold/validate.ts); this adds the workspace checks a step can make early
// (taken names, ports, domains) and the wording of each step.
import type { WorkspaceFacts } from '../../../server/src/scaffold/context';
import type { NewContainerSpecInput } from '../../../server/src/scaffold/spec';
import {
  basicAuthUserProblem, bcryptProblem, checkImage, domainProblem, emailProblem, envNameProblem, formatPort, isAllInterfaces, nameProblem, networkNameProblem,
  parseImage, parsePortRequest, secretValueProblem, splitList, type PortRequest,
} from '../../../server/src/scaffold/validate';
import { knownCategory, knownContainerPort } from './imageDefaults';

/** The wizard's context: the server's facts about the workspace (hwc.server.newContainerContext). */
export type WizardContext = WorkspaceFacts & { folder?: string };

/** A step's verdict: an error blocks the step, an info explains what will happen. */
export interface Verdict {
  error?: string;
  info?: string;
}

export const TOTAL_STEPS = 8;

/**
 * Input boxes and pick placeholders show plain text: the shared checks write code in
 * backticks (for Markdown elsewhere), which would show as literal backticks there.
 */
export function plainText(text: string): string {
  return text.replace(/`([^`]*)`/g, '"$1"');
}

export function validateName(value: string, ctx: WizardContext): string | undefined {
  const problem = nameProblem(value);
  if (problem) return problem;
  if (ctx.containers.includes(value)) return `a container named \`${value}\` already exists in this workspace`;
  if (ctx.moduleFolders.includes(value)) return `\`${ctx.conventions.containersFolder}/${value}\` already exists`;
  return undefined;
}

export function validateImage(value: string, ctx: WizardContext): Verdict {
  const check = checkImage(value.trim(), ctx.conventions.databaseImages);
  if (check.error) return { error: check.error };
  if (check.database) return { info: `${parseImage(value.trim()).name} is a database image: its ports are bound to 127.0.0.1` };
  return {};
}

/** Images already used in the workspace that the wizard can offer (pinned ones only). */
export function imageSuggestions(ctx: WizardContext): string[] {
  return ctx.images.filter((image) => !checkImage(image, ctx.conventions.databaseImages).error);
}

export interface PortsVerdict extends Verdict {
  ports: string[];
}

function overlaps(a: { hostIp: string | null; protocol: string }, b: { hostIp: string | null; protocol: string }): boolean {
  return a.protocol === b.protocol && (isAllInterfaces(a.hostIp) || isAllInterfaces(b.hostIp) || a.hostIp === b.hostIp);
}

/** The ports field: `host:container` pairs separated by spaces or commas, or nothing. */
export function validatePorts(value: string, ctx: WizardContext, image: string): PortsVerdict {
  const texts = splitList(value);
  const requests: PortRequest[] = [];
  const inside = knownContainerPort(image);
  const notes: string[] = [];
  for (const written of texts) {
    // A bare host port means the app's own port inside when the image is known (13378 → 13378:80
    // for audiobookshelf), not the same number on both sides.
    const bare = /^\d{1,5}(\/(tcp|udp))?$/.test(written);
    const text = bare && inside !== undefined ? written.replace(/^(\d+)/, `$1:${inside}`) : written;
    if (bare) notes.push(inside !== undefined ? `${written} → ${text} (${parseImage(image).name} listens on ${inside} inside)` : `${written} → ${written.replace(/^(\d+)/, '$1:$1')}: the same port inside; write host:container if the app listens on another`);
    const parsed = parsePortRequest(text);
    if ('error' in parsed) return { ports: [], error: parsed.error };
    const twice = requests.find((r) => r.hostPort === parsed.hostPort && overlaps(r, parsed));
    if (twice) return { ports: [], error: `host port ${parsed.hostPort} is listed twice` };
    requests.push(parsed);
  }
  const database = checkImage(image, ctx.conventions.databaseImages).database;
  for (const p of requests) {
    const hostIp = p.hostIp ?? (database ? '127.0.0.1' : null);
    if (database && isAllInterfaces(p.hostIp) && p.hostIp !== null) return { ports: [], error: `a database on every interface is reachable past the NixOS firewall; use 127.0.0.1:${p.hostPort}:${p.containerPort}` };
    const clash = ctx.publishedPorts.find((o) => o.hostPort === p.hostPort && overlaps(o, { hostIp, protocol: p.protocol }));
    if (clash) return { ports: [], error: `host port ${p.hostPort}${p.protocol === 'udp' ? '/udp' : ''} is already published by ${clash.container}` };
  }
  const ports = requests.map(formatPort);
  if (requests.length === 0) return { ports, info: 'no published ports (the container is reached over a Podman network, or needs none)' };
  if (database && requests.some((p) => p.hostIp === null)) notes.push(`bound to 127.0.0.1: ${parseImage(image).name} is a database, and published ports bypass the NixOS firewall`);
  return notes.length > 0 ? { ports, info: notes.join('; ') } : { ports };
}

/** What the ports step starts with: the app's own port on both sides when the image is known. */
export function initialPorts(image: string): string {
  const inside = knownContainerPort(image);
  return inside === undefined ? '' : `${inside}:${inside}`;
}

// Looked up by the categories .hwc-lint.json names: a Map, so a category `constructor` has no description.
const CATEGORY_DESCRIPTIONS = new Map(Object.entries({
  media: 'Media stack (*arr services, downloaders)',
  services: 'General services',
  databases: 'Databases',
  monitoring: 'Monitoring and observability',
  business: 'Business applications',
}));

export interface CategoryItem {
  label: string;
  description: string;
  picked: boolean;
}

export function categoryItems(ctx: WizardContext, image: string, name: string): CategoryItem[] {
  const { categories, stateRoot } = ctx.conventions;
  const database = checkImage(image, ctx.conventions.databaseImages).database;
  const known = knownCategory(image);
  const preferred =
    database && categories.includes('databases') ? 'databases' : known && categories.includes(known) ? known : categories.includes('services') ? 'services' : categories[0];
  return categories.map((category) => ({
    label: category,
    description: `${CATEGORY_DESCRIPTIONS.has(category) ? `${CATEGORY_DESCRIPTIONS.get(category)} — ` : ''}${stateRoot}/${category}/${name}`,
    picked: category === preferred,
  }));
}

export const NEW_NETWORK = '\u0000new';

export interface NetworkItem {
  label: string;
  description: string;
  /** undefined: port mapping; 'host'; a network name; NEW_NETWORK. */
  value: string | undefined;
}

export function networkItems(ctx: WizardContext): NetworkItem[] {
  return [
    { label: 'Port mapping', description: 'default: the published ports above', value: undefined },
    { label: 'Host network', description: 'no isolation; for services that discover devices on the LAN', value: 'host' },
    ...ctx.networks.map((n) => ({ label: n.name, description: `custom Podman network${n.users.length ? `: ${n.users.join(', ')}` : ''}`, value: n.name })),
    { label: 'New custom network…', description: 'created by a podman-network-<name> service', value: NEW_NETWORK },
  ];
}

export function validateNewNetwork(value: string, ctx: WizardContext): Verdict {
  if (value === 'host') return { error: '`host` is the host network; pick it from the list instead' };
  const problem = networkNameProblem(value);
  if (problem) return { error: problem };
  if (ctx.networks.some((n) => n.name === value)) return { info: `\`${value}\` exists already: the container joins it` };
  return { info: `a systemd service creates \`${value}\` before the container starts` };
}

/** Caddy needs a TCP port: the proxy step says why it is unavailable, or nothing. */
export function proxyUnavailable(ports: string[]): string | undefined {
  const tcp = ports.map(parsePortRequest).some((p) => !('error' in p) && p.protocol === 'tcp');
  return tcp ? undefined : 'needs a TCP port: go back to Ports';
}

export function validateDomain(value: string, ctx: WizardContext): string | undefined {
  return domainProblem(value) ?? (ctx.domains.includes(value) ? `\`${value}\` is already served by another route` : undefined);
}

/** Empty means no TLS block. */
export function validateTlsEmail(value: string): string | undefined {
  return value.trim() === '' ? undefined : emailProblem(value.trim());
}

/** Empty means no basic auth. */
export function validateBasicAuthUser(value: string): string | undefined {
  return value.trim() === '' ? undefined : basicAuthUserProblem(value.trim());
}

export function validateBcryptHash(value: string): string | undefined {
  return bcryptProblem(value.trim());
}

export interface SecretNamesVerdict extends Verdict {
  names: string[];
}

export function validateSecretNames(value: string, ctx: WizardContext, name: string): SecretNamesVerdict {
  const names = splitList(value);
  for (const key of names) {
    const problem = envNameProblem(key);
    if (problem) return { names: [], error: problem };
  }
  const twice = names.find((key, i) => names.indexOf(key) !== i);
  if (twice) return { names: [], error: `\`${twice}\` is listed twice` };
  if (names.length > 0 && ctx.secretsDeclared.includes(`${name}-env`)) return { names: [], error: `the secret \`${name}-env\` is already declared` };
  if (names.length === 0) return { names, info: 'no secrets' };
  if (ctx.recipients.length === 0) {
    return { names, info: 'no age recipients are configured, so the values cannot be encrypted here: you will get the `age` command to run' };
  }
  return { names, info: `next: one password box per value, encrypted in memory to ${ctx.recipients.length} recipient${ctx.recipients.length === 1 ? '' : 's'}` };
}

export function validateSecretValue(value: string): string | undefined {
  return secretValueProblem(value);
}

export function dependencyItems(ctx: WizardContext, name: string): string[] {
  return ctx.containers.filter((c) => c !== name);
}

export interface WizardAnswers {
  name: string;
  image: string;
  ports: string[];
  category: string;
  network: string | undefined;
  proxy: { domain: string; tlsEmail: string; basicAuth?: { user: string; hash: string } } | undefined;
  secrets: string[];
  dependsOn: string[];
}

/** The generator's spec from the answers (values travel separately, encrypted). */
export function buildSpec(answers: WizardAnswers, encryptedSecrets?: string): NewContainerSpecInput {
  return {
    name: answers.name,
    image: answers.image.trim(),
    ports: answers.ports,
    category: answers.category,
    network: answers.network,
    proxy: answers.proxy
      ? { domain: answers.proxy.domain, tlsEmail: answers.proxy.tlsEmail.trim() || undefined, basicAuth: answers.proxy.basicAuth }
      : undefined,
    secrets: answers.secrets,
    encryptedSecrets,
    dependsOn: answers.dependsOn,
  };
}
