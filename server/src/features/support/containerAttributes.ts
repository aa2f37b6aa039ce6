// The attributes of a `virtualisation.oci-containers.containers.<name>` entry (NixOS
// 24.11), with one line of documentation each and the shape a completion inserts.
export type AttributeShape = 'string' | 'strings' | 'attrs' | 'bool' | 'path' | 'enum';

export interface ContainerAttribute {
  name: string;
  shape: AttributeShape;
  doc: string;
  /** Choices for `enum` attributes. */
  choices?: string[];
}

export const CONTAINER_ATTRIBUTES: readonly ContainerAttribute[] = [
  { name: 'image', shape: 'string', doc: 'OCI image to run, with a pinned tag (`registry/name:1.2.3`) or digest.' },
  { name: 'ports', shape: 'strings', doc: 'Published ports, `[ip:]hostPort:containerPort[/udp]`; bind databases to `127.0.0.1`.' },
  { name: 'volumes', shape: 'strings', doc: 'Mounts, `hostPath:containerPath[:options]`; state under `/opt/<category>/<name>`.' },
  { name: 'environment', shape: 'attrs', doc: 'Environment variables (no secrets here: use `environmentFiles`).' },
  { name: 'environmentFiles', shape: 'strings', doc: 'Files of `KEY=value` lines, e.g. `config.age.secrets."<name>-env".path`.' },
  { name: 'extraOptions', shape: 'strings', doc: 'Extra `podman run` options, e.g. `--network=<name>` or `--device=…`.' },
  { name: 'dependsOn', shape: 'strings', doc: 'Containers that must start first (their `podman-<name>.service` units).' },
  { name: 'user', shape: 'string', doc: 'User (and group) the process runs as, `uid[:gid]`; never root.' },
  { name: 'autoStart', shape: 'bool', doc: 'Start the container at boot (default true).' },
  { name: 'cmd', shape: 'strings', doc: 'Command-line arguments passed to the image entrypoint.' },
  { name: 'entrypoint', shape: 'string', doc: 'Overrides the image entrypoint.' },
  { name: 'labels', shape: 'attrs', doc: 'OCI labels attached to the container.' },
  { name: 'devices', shape: 'strings', doc: 'Host devices passed through (`/dev/dri:/dev/dri`); such services belong on the host network.' },
  { name: 'capabilities', shape: 'attrs', doc: 'Linux capabilities to add (`true`) or drop (`false`), e.g. `{ NET_ADMIN = true; }`.' },
  { name: 'privileged', shape: 'bool', doc: 'Gives the container full access to the host; avoid.' },
  { name: 'networks', shape: 'strings', doc: 'Networks to join (the same as `--network=` options).' },
  { name: 'pull', shape: 'enum', choices: ['missing', 'always', 'newer', 'never'], doc: 'When to pull the image: `missing` (default), `always`, `newer`, `never`.' },
  { name: 'hostname', shape: 'string', doc: 'Hostname inside the container.' },
  { name: 'workdir', shape: 'string', doc: 'Working directory of the process inside the container.' },
  { name: 'log-driver', shape: 'string', doc: 'Podman log driver; `journald` (the default) sends logs to the journal.' },
  { name: 'podman.user', shape: 'string', doc: 'Run the container rootless, as this system user (its own podman).' },
  { name: 'podman.sdnotify', shape: 'enum', choices: ['conmon', 'healthy', 'container'], doc: 'When systemd considers the container started: `conmon` (default), `healthy`, `container`.' },
  { name: 'preRunExtraOptions', shape: 'strings', doc: 'Options placed before `run` on the podman command line.' },
  { name: 'imageFile', shape: 'path', doc: 'An image tarball (e.g. from `dockerTools.buildImage`) loaded instead of pulling.' },
  { name: 'imageStream', shape: 'path', doc: 'A script that streams the image (`dockerTools.streamLayeredImage`), loaded instead of pulling.' },
  { name: 'login.registry', shape: 'string', doc: 'Registry to log in to before pulling.' },
  { name: 'login.username', shape: 'string', doc: 'User name for the registry login.' },
  { name: 'login.passwordFile', shape: 'string', doc: 'File holding the registry password (an agenix secret path).' },
  { name: 'serviceName', shape: 'string', doc: 'Name of the systemd unit (default `podman-<name>`).' },
  { name: 'autoRemoveOnStop', shape: 'bool', doc: 'Remove the container when it stops (default true).' },
];

/** The text a completion inserts for an attribute (snippet syntax when `snippets`). */
export function attributeInsertText(attribute: ContainerAttribute, snippets: boolean): string {
  const name = attribute.name;
  if (!snippets) {
    switch (attribute.shape) {
      case 'strings':
        return `${name} = [ ];`;
      case 'attrs':
        return `${name} = { };`;
      case 'bool':
        return `${name} = true;`;
      case 'path':
        return `${name} = ;`;
      default:
        return `${name} = "";`;
    }
  }
  switch (attribute.shape) {
    case 'strings':
      return `${name} = [ "$1" ];$0`;
    case 'attrs':
      return `${name} = {\n\t$1\n};$0`;
    case 'bool':
      return `${name} = \${1|true,false|};$0`;
    case 'path':
      return `${name} = $1;$0`;
    case 'enum':
      return `${name} = "\${1|${attribute.choices!.join(',')}|}";$0`;
    default:
      return `${name} = "$1";$0`;
  }
}
