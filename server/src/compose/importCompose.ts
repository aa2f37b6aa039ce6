// `hwc import compose` without the command line: a compose file (and its env files) plus a
// workspace in, one plan out: every file to create or edit, built by the New Container
// generator one service at a time. Each service sees the ones generated before it (an
// overlay of the index and the files), so dependencies resolve, the project network is
// created once, ports and state directories are checked against each other, and the
// profile and secrets index collect every service's lines. Pure: nothing is written.
import { OverlayIndex } from '../fixes/overlay';
import { parseImage } from '../rules/docker';
import { DEVICE_SERVICES, isDatabaseImage } from '../rules/docker';
import { ScaffoldError, generateContainer, type GenerateOptions, type PlannedFile, type WorkspaceView } from '../scaffold';
import { collectFacts, type FileAccess } from '../scaffold/context';
import { nameProblem, networkNameProblem } from '../scaffold/validate';
import { ComposeError, parseEnvFile, type Interpolation } from './interpolate';
import { parseComposeYaml } from './load';
import { readProject, type ComposeProject, type ComposeService } from './services';
import { planSecrets, type OutsideFile, type SecretFileRead } from './secrets';
import { secretValuesOf, translateService } from './translate';
import { encryptArmored } from '../scaffold/encrypt';

export interface ComposeImportInput {
  /** The compose file as named to the user. */
  file: string;
  text: string;
  /** `--env-file`s in order (later ones win); when there are none, `dotEnv` is used, as Compose does. */
  envFiles: Array<{ name: string; text: string }>;
  dotEnv?: string;
  /** Reads a service's `env_file` (relative to the compose file); undefined when missing. */
  readRelative(relative: string): string | undefined;
  /** Reads a top-level secret's `file:` (compose/secretFileReader.ts); without it, every such secret has no value. */
  readSecretFile?(file: string): SecretFileRead;
  /** The project name when the file has no `name:` (Compose uses the folder's name). */
  folderName: string;
  category?: string;
  pins: ReadonlyMap<string, string>;
  publicDomains: ReadonlyMap<string, string>;
  profiles: string[];
}

export interface ImportedService {
  service: string;
  name: string;
  image: string;
  notes: string[];
  untranslated: string[];
}

export type ComposeImportResult =
  | { status: 'needs-pin'; images: Array<{ service: string; image: string }> }
  /** Secret files outside the compose folder: read only once the user allows them by name. */
  | { status: 'needs-consent'; files: OutsideFile[] }
  | { status: 'planned'; project: string; network: string | null; files: PlannedFile[]; services: ImportedService[]; skipped: string[]; notes: string[]; untranslated: string[] };

/** The kebab-case module name for a service (`container_name` wins, as it names the container). */
export function moduleNameOf(service: ComposeService): string {
  return (service.containerName ?? service.name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function variablesOf(input: ComposeImportInput): Interpolation {
  const env: Interpolation = { variables: new Map(), unset: new Set() };
  const sources = input.envFiles.length > 0 ? input.envFiles : input.dotEnv !== undefined ? [{ name: '.env', text: input.dotEnv }] : [];
  for (const source of sources) for (const [k, v] of parseEnvFile(source.text, env, source.name)) (env.variables as Map<string, string>).set(k, v);
  return env;
}

function pinned(service: ComposeService, pins: ReadonlyMap<string, string>): { image: string; needsPin: boolean } {
  const image = service.image!;
  const pin = pins.get(service.name);
  const ref = parseImage(image);
  if (pin !== undefined) {
    const base = ref.tagStart >= 0 ? image.slice(0, ref.tagStart - 1) : image.split('@')[0];
    return { image: `${base}:${pin}`, needsPin: false };
  }
  return { image, needsPin: ref.digest === null && (ref.tag === null || ref.tag === '' || ref.tag === 'latest') };
}

/** Dependencies first (depends_on and `network_mode: service:x`); a cycle is refused. */
function startOrder(services: ComposeService[]): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const order: ComposeService[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (service: ComposeService, path: string[]) => {
    if (state.get(service.name) === 'done') return;
    if (state.get(service.name) === 'visiting') throw new ComposeError(`depends_on forms a cycle: ${[...path, service.name].join(' → ')}`);
    state.set(service.name, 'visiting');
    const mode = service.networkMode?.match(/^service:(.+)$/)?.[1];
    for (const dependency of [...service.dependsOn.map((d) => d.service), ...(mode ? [mode] : [])]) {
      const target = byName.get(dependency);
      if (target) visit(target, [...path, service.name]);
    }
    state.set(service.name, 'done');
    order.push(service);
  };
  for (const service of services) visit(service, []);
  return order;
}

interface NetworkPlan {
  spec: string | undefined;
  /** Custom networks joined besides `spec`. */
  more?: string[];
  extraOptions: string[];
}

function networkFor(service: ComposeService, project: ComposeProject, projectNetwork: string | null, moduleNames: Map<string, string>, image: string, notes: string[]): NetworkPlan {
  const mode = service.networkMode;
  if (mode === 'host') return { spec: 'host', extraOptions: [] };
  if (mode === 'none') return { spec: undefined, extraOptions: ['--network=none'] };
  const shared = mode?.match(/^(service|container):(.+)$/);
  if (shared) {
    if (service.ports.length > 0) throw new ComposeError(`services.${service.name}: ports cannot be published with network_mode ${mode}; publish them on ${shared[2]}`);
    const target = shared[1] === 'service' ? moduleNames.get(shared[2]) : shared[2];
    if (!target) throw new ComposeError(`services.${service.name}: network_mode ${mode} names a service that is not imported`);
    return { spec: undefined, extraOptions: [`--network=container:${target}`] };
  }
  if (mode && mode !== 'bridge' && mode !== 'default') throw new ComposeError(`services.${service.name}: network_mode \`${mode}\` has no equivalent here`);
  if (mode === 'bridge') return { spec: undefined, extraOptions: [] };
  const names: string[] = [];
  const aliases: string[] = [];
  for (const joined of service.networks.length ? service.networks : [{ name: 'default', aliases: [] }]) {
    const declared = project.networks.get(joined.name);
    const real = declared?.external ? declared.name : projectNetwork;
    if (real && !names.includes(real)) names.push(real);
    aliases.push(...joined.aliases);
  }
  if (names.length === 0) return { spec: undefined, extraOptions: [] };
  if (DEVICE_SERVICES.includes(parseImage(image).name)) {
    notes.push(`network: ${parseImage(image).name} discovers devices on the LAN, which a custom network hides from it; it publishes its ports instead of joining ${names.join(', ')}`);
    return { spec: undefined, extraOptions: [] };
  }
  const name = moduleNames.get(service.name)!;
  // Other services reach this one by its compose name.
  if (name !== service.name && !aliases.includes(service.name)) aliases.push(service.name);
  return { spec: names[0], more: names.slice(1), extraOptions: aliases.map((a) => `--network-alias=${a}`) };
}

/** FileAccess that sees the files planned so far on top of the workspace's. */
function overlayFiles(base: FileAccess, planned: Map<string, string>): FileAccess {
  return {
    read: (file) => planned.get(file) ?? base.read(file),
    exists: (file) => planned.has(file) || base.exists(file),
    version: (file) => base.version?.(file) ?? null,
  };
}

export async function importCompose(input: ComposeImportInput, ws: WorkspaceView, options: GenerateOptions = {}): Promise<ComposeImportResult> {
  const env = variablesOf(input);
  const project = readProject(parseComposeYaml(input.text, input.file, env));
  const projectName = (project.name ?? input.folderName).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'compose';
  const skipped: string[] = [];
  const selected: ComposeService[] = [];
  for (const service of project.services) {
    if (service.profiles.length > 0 && !service.profiles.some((p) => input.profiles.includes(p))) {
      skipped.push(`${service.name}: only in profile ${service.profiles.join(', ')} (add --profile ${service.profiles[0]})`);
    } else if (service.image === null) {
      skipped.push(`${service.name}: ${service.build ? 'only `build:`, no image to pull; build and push it, then add `image:`' : 'no image'}`);
    } else selected.push(service);
  }
  for (const [service] of [...input.pins, ...input.publicDomains]) {
    if (!project.services.some((s) => s.name === service)) throw new ComposeError(`\`${service}\` is not a service of ${input.file}`);
  }

  const images = new Map<string, string>();
  const needsPin: Array<{ service: string; image: string }> = [];
  for (const service of selected) {
    const { image, needsPin: unpinned } = pinned(service, input.pins);
    if (unpinned) needsPin.push({ service: service.name, image });
    images.set(service.name, image);
  }
  if (needsPin.length > 0) return { status: 'needs-pin', images: needsPin };

  const moduleNames = new Map<string, string>();
  for (const service of selected) {
    const name = moduleNameOf(service);
    const problem = nameProblem(name);
    if (problem) throw new ComposeError(`services.${service.name}: the module name ${problem}`);
    const clash = [...moduleNames].find(([, other]) => other === name);
    if (clash) throw new ComposeError(`services.${service.name} and services.${clash[0]} would both become the module \`${name}\``);
    moduleNames.set(service.name, name);
  }

  const facts = collectFacts(ws);
  const conventions = facts.conventions;
  if (input.category !== undefined && !conventions.categories.includes(input.category)) {
    throw new ComposeError(`--category ${input.category}: not one of the configured categories (${conventions.categories.join(', ')})`);
  }
  const onNetwork = selected.filter((s) => !s.networkMode || s.networkMode === 'default');
  const projectNetwork = onNetwork.length > 1 ? projectName : null;
  if (projectNetwork) {
    const problem = networkNameProblem(projectNetwork);
    if (problem) throw new ComposeError(`the project network: ${problem}`);
  }

  const ordered = startOrder(selected);
  const encrypt = options.encrypt ?? encryptArmored;
  const secrets = await planSecrets({
    project,
    services: ordered,
    moduleNames,
    variables: env.variables,
    readSecretFile: input.readSecretFile ?? (() => ({ missing: true })),
    encrypt: facts.recipients.length > 0 ? (value) => encrypt(value, facts.recipients) : undefined,
  });
  if (secrets.status === 'needs-consent') return secrets;

  const planned = new Map<string, string>();
  const originals = new Map<string, string | undefined>();
  const encrypted = new Set<string>();
  const index = new OverlayIndex(ws.index);
  const view: WorkspaceView = { root: ws.root, config: ws.config, index, files: overlayFiles(ws.files, planned) };
  const services: ImportedService[] = [];
  const untranslated = project.unsupported.map((u) => `(top level) ${u}`);
  untranslated.push(...secrets.plan.unused.map((u) => `(top level) secrets.${u}: no imported service uses it, so it was not imported`));
  const volumeOwners = new Map<string, string>();
  const generated: string[] = [];
  const secretVariableValues = secretValuesOf(env.variables);
  for (const service of ordered) {
    const name = moduleNames.get(service.name)!;
    const image = images.get(service.name)!;
    const notes: string[] = [...(secrets.plan.notes.get(service.name) ?? [])];
    const database = isDatabaseImage(parseImage(image), conventions.databaseImages);
    const category = database && conventions.categories.includes('databases') ? 'databases' : (input.category ?? (conventions.categories.includes('services') ? 'services' : conventions.categories[0]));
    const environment = new Map<string, string | null>();
    for (const envFile of service.envFiles) {
      const text = input.readRelative(envFile.path);
      if (text === undefined) {
        if (envFile.required) throw new ComposeError(`services.${service.name}.env_file: ${envFile.path} does not exist`);
        notes.push(`env_file ${envFile.path} does not exist (optional); skipped`);
        continue;
      }
      for (const [k, v] of parseEnvFile(text, env, envFile.path)) environment.set(k, v);
    }
    for (const [k, v] of service.environment) environment.set(k, v);
    const translation = translateService(service, name, {
      moduleNames,
      image,
      category,
      stateRoot: conventions.stateRoot,
      tmpfiles: conventions.tmpfiles,
      databaseImages: conventions.databaseImages,
      network: networkFor(service, project, projectNetwork, moduleNames, image, notes),
      domain: input.publicDomains.get(service.name),
      environment,
      variables: env.variables,
      volumeOwners,
      secretVariableValues,
      secretFiles: secrets.plan.byService.get(service.name) ?? [],
    });
    const secretKeys = translation.spec.secrets ?? [];
    if (secretKeys.length > 0 && facts.recipients.length === 0) {
      throw new ComposeError(`services.${service.name}: ${secretKeys.join(', ')} look${secretKeys.length === 1 ? 's' : ''} secret and must be encrypted, but no age recipients are configured (set \`ageRecipients\` in .hwc-lint.json, or list them in secrets.nix)`);
    }
    let plan;
    try {
      plan = await generateContainer(translation.spec, view, options);
    } catch (error) {
      if (error instanceof ScaffoldError) throw new ScaffoldError(error.problems.map((p) => ({ ...p, message: `services.${service.name}: ${p.message}` })));
      throw error;
    }
    for (const file of plan.files) {
      if (!originals.has(file.path)) originals.set(file.path, file.action === 'edit' ? file.before : undefined);
      planned.set(file.path, file.text);
      if (file.encrypted) encrypted.add(file.path);
      if (file.path.endsWith('.nix')) index.updateText(file.path, file.text, ws.config);
      else index.setExists(file.path, true);
    }
    generated.push(name);
    notes.push(...plan.notes.filter((n) => !n.startsWith('Next:')));
    services.push({ service: service.name, name, image, notes: [...notes, ...translation.notes], untranslated: translation.untranslated });
  }

  const files: PlannedFile[] = [...planned].map(([file, text]) => {
    const before = originals.get(file);
    return before === undefined ? { path: file, action: 'create', text, ...(encrypted.has(file) ? { encrypted: true } : {}) } : { path: file, action: 'edit', text, before };
  });
  const notes = [...env.unset].map((v) => `variable ${v} is not set in the env files; an empty string was used (as Compose does)`);
  notes.push(['Next:', '  nixos-rebuild dry-build --flake .#server', '  nixos-rebuild switch --flake .#server', ...generated.map((n) => `  sudo podman logs ${n}`)].join('\n'));
  return { status: 'planned', project: projectName, network: projectNetwork, files, services, skipped, notes, untranslated: [...untranslated, ...services.flatMap((s) => s.untranslated.map((u) => `${s.service}: ${u}`))] };
}
