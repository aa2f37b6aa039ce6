// What the index keeps of each file once its tree is gone: plain data, with sources.
import type { Src } from './source';
import type { StrValue, Value } from './values';
import type { SyntaxProblem } from '../parse/syntaxErrors';

export interface ContainerModel {
  name: string;
  nameSrc: Src;
  file: string;
  /** The folder under the containers folder the defining file lives in, if any. */
  moduleFolder: string | null;
  /** Defined under a `lib.mkIf cfg.enable` guard. */
  guarded: boolean;
  /** The helper function that made it (`mkContainer`), or null for a plain definition. */
  helper: string | null;
  /** Every definition of each container attribute (image, ports, volumes, environment…). */
  fields: Record<string, Value[]>;
}

export interface OptionDecl {
  /** Full option path, e.g. ['hwc', 'server', 'containers', 'sonarr', 'port']. */
  path: string[];
  default?: Value;
  type?: string;
  description?: string;
  /** The option's name in its declaration. */
  src: Src;
}

export interface Suppression {
  kind: 'disable-next-line' | 'disable-line' | 'disable-file';
  ids: string[];
  reason: string | null;
  /** The line the suppression applies to (0-based); -1 for the whole file. */
  line: number;
  src: Src;
}

export interface SecretDeclaration {
  name: string;
  src: Src;
  /** Workspace-relative path of the `.age` file, when `file` is a literal path. */
  file: string | null;
  fileSrc: Src | null;
}

export interface Route {
  /** The route's domain (the attribute name), possibly with references (`${cfg.domain}`). */
  domain: StrValue | null;
  upstreams: StrValue[];
  src: Src;
}

export interface PathRef {
  path: string[];
  src: Src;
}

export interface FileSummary {
  file: string;
  moduleFolder: string | null;
  containers: ContainerModel[];
  options: OptionDecl[];
  /** `options.<path> = …` bindings: the namespaces a file declares options under. */
  optionRoots: PathRef[];
  aliases: Array<[string[], string[]]>;
  /** `import ./parts/x.nix { inherit lib cfg; }`: the workspace-relative target and the arguments it is given (v2 §5). */
  partImports?: Array<{ target: string; args: Value }>;
  /** `_module.args.<name>` and `specialArgs.<name>` set in this file: arguments every module may take (v2 §5). */
  moduleArgs?: Array<{ name: string; value: Value }>;
  /** `cfg = config.<path>` bindings. */
  cfgBindings: PathRef[];
  /** Reads of `config.<path>` under the container namespace's first segment. */
  configReads: PathRef[];
  secretsDeclared: SecretDeclaration[];
  secretsUsed: Array<{ name: string; src: Src }>;
  /** `config.age.secrets.${cfg.keyName}` reads: names to resolve (rules.md v2 §4); see `secretUses` in rules/facts.ts. */
  secretsUsedComputed?: Array<{ name: StrValue; src: Src }>;
  /** Secret names that some assertion in this file mentions. */
  assertionSecrets: string[];
  tmpfiles: StrValue[];
  routes: Route[];
  networksCreated: Array<{ name: string; src: Src }>;
  /** Networks created under a name that holds references (`podman network create ${cfg.network}`, `podman-network-${cfg.network}`); resolve before use. */
  networkNames?: StrValue[];
  imports: Array<{ target: string; src: Src }>;
  /** Dotted config paths set to `true` that end in `enable`. */
  enabled: string[];
  /** Strings that run `podman run`/`docker create`…; `oneShotUnit` when the string sits in a unit that runs once (`Type = "oneshot"`, `startAt`). */
  imperativeCommands: Array<{ text: string; src: Src; oneShotUnit?: boolean }>;
  suppressions: Suppression[];
  syntaxErrors: SyntaxProblem[];
  /** Why the file was not analysed (over a limit of parse/limits.ts); the rest of the summary is empty. */
  notAnalysed?: string;
  /** Container, tmpfiles or secret definitions made outside an enable guard. */
  unguardedDefinitions: Src[];
  /** The first line of the file (for module-level findings). */
  firstLine: Src;
  /** Every `config.<path>` read the evaluator saw (`cfg.port`, `config.hwc.…`), as written (aliases not applied), once per site. For editor navigation. */
  optionReads?: PathRef[];
  /**
   * Top-level entries shaped like Caddy sites (`"<domain>" = { reverse_proxy… }`) in a file
   * that is a plain attrset, not a module: a central routes file (convention discovery).
   */
  routeSites?: number;
  /** Literal `time.timeZone` values the file sets (convention discovery). */
  timeZones?: string[];
  /** Config definitions under the container namespace (`hwc.server.containers.sonarr.enable = true;`): full path, src of the last key. */
  optionDefinitions?: PathRef[];
}
