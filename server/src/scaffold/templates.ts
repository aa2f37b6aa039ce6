// The files of a new container module, in the shapes of the orchestrator conventions
// (docs: /shared/spec/orchestrator.md) with the workspace's own folders, namespace,
// categories, tmpfiles owner and time zone. Pure text: every value arrives validated
// (import extras, which carry text from a compose file, are escaped as Nix strings).
import { escapeDoubleQuoted } from '../fixes/text';
import type { NewContainerSpec } from './spec';

export interface PublishedPort {
  /** The mapping as written, with `${toString cfg.port}` for the main port's host side. */
  text: string;
  /** Why it is published on every interface, when it is (recorded as a suppression comment). */
  allInterfacesReason: string | null;
}

export interface ModuleModel {
  name: string;
  /** Dotted option namespace, e.g. `hwc.server.containers`. */
  namespace: string;
  image: string;
  /** The option `port`: the main host port (or the listening port on the host network). */
  port: number | null;
  portDescription: string;
  domain: string | null;
  ports: PublishedPort[];
  stateDir: string;
  volumeTarget: string;
  /** Variable name and its value as a Nix expression (a quoted string, or `config.time.timeZone`). */
  environment: Array<[string, string]>;
  secretName: string | null;
  network: { mode: 'ports' } | { mode: 'host' } | { mode: 'custom'; name: string; create: boolean };
  dependsOn: string[];
  tmpfilesRule: string;
  /** What an import adds (spec.ts `extras`). */
  extras?: NonNullable<NewContainerSpec['extras']>;
  /** Custom networks joined besides `network` (imports only). */
  extraNetworks?: Array<{ name: string; create: boolean }>;
}

const q = (text: string) => JSON.stringify(text);
/** A Nix string for text from outside (a compose file): `${` and control characters escaped. */
const nix = (text: string) => `"${escapeDoubleQuoted(text)}"`;
const attrName = (name: string) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !['if', 'then', 'else', 'let', 'in', 'rec', 'with', 'inherit', 'assert', 'or'].includes(name) ? name : nix(name));

export function optionsNix(m: ModuleModel): string {
  const lines = [
    '{ lib, ... }: {',
    `  options.${m.namespace}.${m.name} = {`,
    `    enable = lib.mkEnableOption ${q(`${m.name} container`)};`,
    '    image = lib.mkOption {',
    '      type = lib.types.str;',
    `      default = ${q(m.image)};`,
    `      description = ${q(`Container image for ${m.name}`)};`,
    '    };',
  ];
  if (m.port !== null) {
    lines.push('    port = lib.mkOption {', '      type = lib.types.port;', `      default = ${m.port};`, `      description = ${q(m.portDescription)};`, '    };');
  }
  if (m.domain !== null) {
    lines.push('    domain = lib.mkOption {', '      type = lib.types.str;', `      default = ${q(m.domain)};`, '      description = "Domain for reverse proxy";', '    };');
  }
  lines.push('  };', '}', '');
  return lines.join('\n');
}

function networkService(network: string): string[] {
  return [
    '',
    '    # Create the network before any container that joins it.',
    `    systemd.services.${q(`podman-network-${network}`)} = {`,
    `      description = ${q(`Podman network ${network}`)};`,
    '      serviceConfig = {',
    '        Type = "oneshot";',
    '        RemainAfterExit = true;',
    '      };',
    '      wantedBy = [ "multi-user.target" ];',
    "      script = ''",
    `        \${pkgs.podman}/bin/podman network inspect ${network} >/dev/null 2>&1 || \\`,
    `          \${pkgs.podman}/bin/podman network create ${network}`,
    "      '';",
    '    };',
  ];
}

export function indexNix(m: ModuleModel): string {
  const extras = m.extras;
  const container: string[] = ['      image = cfg.image;'];
  if (m.ports.length > 0) {
    container.push('', '      ports = [');
    for (const port of m.ports) {
      if (port.allInterfacesReason) container.push(`        # hwc-lint: disable-next-line port-all-interfaces -- ${port.allInterfacesReason}`);
      container.push(`        "${port.text}"`);
    }
    container.push('      ];');
  }
  const secretFiles = extras?.secretFiles ?? [];
  // agenix decrypts each secret to its own file; the container reads it read-only where the app expects it.
  const secretMounts = secretFiles.flatMap((s) => s.targets.map((target) => `"\${config.age.secrets.${q(s.name)}.path}:${target}:ro"`));
  const volumes = [...(extras?.volumes ? extras.volumes.map(nix) : [q(`${m.stateDir}:${m.volumeTarget}`)]), ...secretMounts];
  if (volumes.length > 0) container.push('', '      volumes = [', ...volumes.map((v) => `        ${v}`), '      ];');
  if (m.environment.length > 0) {
    container.push('', '      environment = {', ...m.environment.map(([k, v]) => `        ${attrName(k)} = ${v};`), '      };');
  }
  if (m.secretName) container.push('', `      environmentFiles = [ config.age.secrets.${q(m.secretName)}.path ];`);
  if (extras?.labels.length) container.push('', '      labels = {', ...extras.labels.map(([k, v]) => `        ${attrName(k)} = ${nix(v)};`), '      };');
  if (extras?.user !== undefined) container.push('', `      user = ${nix(extras.user)};`);
  if (extras?.entrypoint !== undefined) container.push('', `      entrypoint = ${nix(extras.entrypoint)};`);
  if (extras?.cmd) container.push('', `      cmd = [ ${extras.cmd.map(nix).join(' ')} ];`);
  const options = [
    ...(m.network.mode !== 'ports' ? [q(`--network=${m.network.mode === 'host' ? 'host' : m.network.name}`)] : []),
    ...(m.extraNetworks ?? []).map((n) => q(`--network=${n.name}`)),
    ...(extras?.extraOptions ?? []).map(nix),
  ];
  if (options.length === 1) container.push('', `      extraOptions = [ ${options[0]} ];`);
  else if (options.length > 1) container.push('', '      extraOptions = [', ...options.map((o) => `        ${o}`), '      ];');
  if (m.dependsOn.length > 0) container.push('', `      dependsOn = [ ${m.dependsOn.map(q).join(' ')} ];`);

  const lines = [
    '{ config, pkgs, lib, ... }:',
    'let',
    `  cfg = config.${m.namespace}.${m.name};`,
    'in {',
    '  imports = [ ./options.nix ];',
    '',
    '  config = lib.mkIf cfg.enable {',
    `    virtualisation.oci-containers.containers.${m.name} = {`,
    ...container,
    '    };',
  ];
  // The primary network, then any more an import joins (`extraNetworks`): each created here when nothing else creates it.
  const joined = [...(m.network.mode === 'custom' ? [m.network] : []), ...(m.extraNetworks ?? [])];
  for (const network of joined) if (network.create) lines.push(...networkService(network.name));
  if (joined.length > 0) {
    const units = joined.map((n) => q(`podman-network-${n.name}.service`)).join(' ');
    lines.push('', `    systemd.services.podman-${m.name} = {`, `      requires = [ ${units} ];`, `      after = [ ${units} ];`, '    };');
  }
  const tmpfiles = [q(m.tmpfilesRule), ...(extras?.tmpfiles ?? []).map(nix)];
  lines.push('', '    # Create state directory', '    systemd.tmpfiles.rules = [', ...tmpfiles.map((t) => `      ${t}`), '    ];');
  // `? name`, not `.path != null`: reading an undeclared secret's path fails with an attribute error before the message.
  const required = [...(m.secretName ? [m.secretName] : []), ...secretFiles.map((s) => s.name)];
  const assertion = (secret: string, indent: string) => [
    `${indent}assertion = !cfg.enable || config.age.secrets ? ${q(secret)};`,
    `${indent}message = ${q(`${m.namespace}.${m.name} requires secret '${secret}'`)};`,
  ];
  if (required.length === 1) lines.push('', '    assertions = [{', ...assertion(required[0], '      '), '    }];');
  else if (required.length > 1) lines.push('', '    assertions = [', ...required.flatMap((secret) => ['      {', ...assertion(secret, '        '), '      }']), '    ];');
  lines.push('  };', '}', '');
  return lines.join('\n');
}

/** For repositories whose profile imports module folders (`../…/<name>`): the folder's entry. */
export function defaultNix(): string {
  return '{\n  imports = [ ./index.nix ];\n}\n';
}

export interface RouteModel {
  name: string;
  namespace: string;
  upstreamHost: string;
  tlsEmail: string | null;
  basicAuth: { user: string; hash: string } | null;
  /** Set when the container is on the host network (it listens on cfg.port itself; the linter knows). */
  hostNetwork: boolean;
}

export function routeNix(r: RouteModel): string {
  const lines = ['{ config, ... }:', 'let', `  cfg = config.${r.namespace}.${r.name};`, 'in {', '  "${cfg.domain}" = {'];
  lines.push(`    reverse_proxy.to = "http://${r.upstreamHost}:\${toString cfg.port}";`);
  if (r.tlsEmail) lines.push('    tls = {', `      email = ${q(r.tlsEmail)};`, '    };');
  if (r.basicAuth) {
    lines.push('    basicauth = {', '      # `caddy hash-password`; the password itself is not in the repository', `      ${r.basicAuth.user} = ${q(r.basicAuth.hash)};`, '    };');
  }
  lines.push('  };', '}', '');
  return lines.join('\n');
}
