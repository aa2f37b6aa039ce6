// Custom LSP messages shared by the server and the VS Code client. No imports from
// vscode or the engine: both sides compile this file.

/** Server → client notification: what the status bar shows. */
export const StatusNotification = 'hwc/status';
export interface StatusParams {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  /** Files indexed so far (or in total when ready). */
  files: number;
  /** Containers found so far (or in total when ready). */
  containers: number;
  /** Findings over the whole workspace, by severity. */
  errors: number;
  warnings: number;
  infos: number;
  /** Human-readable detail, e.g. why the server is in the error state. */
  message?: string;
}

/** Client → server request: every container of the workspace, for the containers view. */
export const ContainersRequest = 'hwc/containers';
export interface ContainerInfo {
  name: string;
  /** Image as written after resolution, e.g. "lscr.io/linuxserver/sonarr:4.0.9"; null if unknown. */
  image: string | null;
  /** State category under /opt (media, services…), null when the container keeps no state there. */
  category: string | null;
  /** Published port mappings as resolved strings, e.g. "127.0.0.1:5432:5432". */
  ports: string[];
  /** Domain of its Caddy route, if any. */
  domain: string | null;
  /** Findings on this container, by severity. */
  errors: number;
  warnings: number;
  infos: number;
  /** Where the container is defined. */
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** The module folder (domains/server/containers/<name>/), if the container lives in one. */
  moduleFolderUri: string | null;
  /** The Caddy route file for this container, if one exists. */
  routeUri: string | null;
  /** Where that route starts (its domain), with routeUri. */
  routeRange: LspRange | null;
  /** Workspace-relative file that defines it: containers defined twice differ here. */
  file: string;
  /** Host state directories under the state root it mounts (`/opt/media/sonarr`), as the engine resolved them. */
  statePaths: string[];
  /** Its volumes as the container gets them; one the engine cannot know reads `…:/data (unknown: why)`. */
  volumes: string[];
  /** Domains of every Caddy route serving it. */
  domains: string[];
  /** What the engine could not resolve, with why (`image: function pkgs.dockerTools.pullImage not modelled`). */
  unknowns: string[];
  /** Where the profile imports or enables it, for Reveal in profile; null when the profile does not mention it. */
  profileLocation: { uri: string; range: LspRange } | null;
  /** Its findings, for Show findings. */
  findings: Array<{ rule: string; severity: 'error' | 'warning' | 'info' | 'hint'; message: string; uri: string; range: LspRange }>;
}
type LspRange = { start: { line: number; character: number }; end: { line: number; character: number } };
export interface ContainersResult {
  containers: ContainerInfo[];
}

/** Server → client notification: the index changed (refresh views). */
export const IndexChangedNotification = 'hwc/indexChanged';

/** workspace/executeCommand ids handled by the server. */
export const ServerCommands = {
  /** args: [NewContainerSpec, { folder?: uri }?] → result: { edit: WorkspaceEdit, files: string[], notes: string[], entry: uri } (applied by the client). */
  generateContainer: 'hwc.server.generateContainer',
  /** args: [{ folder?: uri }?] → what a New Container UI offers and checks against (scaffold/context.ts WorkspaceFacts, plus `folder`). */
  newContainerContext: 'hwc.server.newContainerContext',
  /** args: [{ uri: string, version: number }] → result: WorkspaceEdit with every safe fix for the document. */
  fixAll: 'hwc.server.fixAll',
  /** args: [{ uri: string, diagnosticRange, tag: string }] → WorkspaceEdit that pins the image tag. */
  pinImageTag: 'hwc.server.pinImageTag',
  /** args: [message: string] → shows what the user still has to do after a quick fix (window/showMessage). */
  showFixNote: 'hwc.server.showFixNote',
  /**
   * args: [ImportComposeRequest, { folder?: uri }?] → ImportComposeResult: a compose file read by the server (its
   * secret values never cross the connection in plaintext), as one WorkspaceEdit the client previews and applies.
   */
  importCompose: 'hwc.server.importCompose',
  /** args: [{ image: string, digestOf?: string }] → ImageTagsResult: the image's tags from its registry (trusted workspaces, lookups on). */
  imageTags: 'hwc.server.imageTags',
  /** args: [{ folder?: uri }?] → ConfigProposal: the `.hwc-lint.json` `hwc init` would write (nothing is written). */
  proposeConfig: 'hwc.server.proposeConfig',
  /** args: [RemoveContainerParams] → RemoveContainerResult: the edit that removes a container (applied by the client after asking). */
  removeContainer: 'hwc.server.removeContainer',
  /** args: [MoveStateParams] → MoveStateResult: the edit that moves a container's state to another category. */
  moveState: 'hwc.server.moveState',
} as const;

/** The `.hwc-lint.json` HWC: Configure for This Repository proposes. */
export interface ConfigProposal {
  /** The workspace folder (URI). */
  folder: string;
  /** The config file's URI. */
  uri: string;
  /** Its current text (the open document's, else the disk's), null when it does not exist. */
  before: string | null;
  /** The proposed text: the current file plus every discovered setting it lacks, each with a `//` reason. */
  after: string;
  /** The settings added, with the evidence for each. */
  added: Array<{ key: string; reason: string }>;
  /** A unified diff from before to after (empty when nothing is added). */
  diff: string;
  /** Problems of the current file (a broken file is better fixed first). */
  problems: string[];
}

export interface ImportComposeRequest {
  /** The compose file (file: URI). */
  file: string;
  /** `--env-file`s (file: URIs); none: the `.env` beside the compose file. */
  envFiles?: string[];
  /** Image tags by service, for images with no tag or `latest`. */
  pins?: Record<string, string>;
  /** Caddy routes: domain by service. */
  publicDomains?: Record<string, string>;
  profiles?: string[];
  category?: string;
  /** Secret files (file: URIs) outside the compose file's folder that the user allowed to be read. */
  allowRead?: string[];
}

export type ImportComposeResult =
  | { status: 'needs-pin'; images: Array<{ service: string; image: string }> }
  /** Secret files outside the compose file's folder: nothing was read; ask, then send them as `allowRead`. */
  | { status: 'needs-consent'; files: Array<{ secret: string; path: string; linkTo?: string }> }
  | { status: 'planned'; edit: import('vscode-languageserver-types').WorkspaceEdit; files: string[]; services: Array<{ service: string; name: string; image: string; notes: string[] }>; skipped: string[]; untranslated: string[]; notes: string[]; entry: string | null };

export interface MoveStateParams {
  name: string;
  /** A URI inside the workspace the container belongs to. */
  uri: string;
  /** The category to move to; without it, the result lists the categories to choose from. */
  category?: string;
}

export type MoveStateResult =
  | { categories: string[]; current: string | null; stateRoot: string }
  | { edit: unknown; edits: string[]; notes: string[] }
  | { refused: string };

export interface RemoveContainerParams {
  name: string;
  /** A URI inside the workspace the container belongs to (the tree item's `uri`). */
  uri: string;
  /** Remove even while other containers depend on it (their `dependsOn` entries go too). */
  force?: boolean;
  /** Keep the `<name>-env` secret: declaration, agenix rule, `.age` file. */
  keepSecret?: boolean;
}

export type RemoveContainerResult =
  | {
      edit: unknown;
      /** Workspace-relative files deleted and edited, for the confirmation. */
      deletes: string[];
      edits: string[];
      /** The container's secrets (`<name>-env`), to ask about. */
      secrets: string[];
      notes: string[];
      /** Mentions left in place, as `file:line: reason`. */
      unresolved: string[];
    }
  | { refused: string; dependents: string[] };

export interface ImageTagsResult {
  /** False when lookups are off or the workspace is not trusted (`reason` says which); nothing was asked. */
  enabled: boolean;
  reason?: string;
  /** Stable versions newest first, then pre-releases, names, dates, architecture tags. */
  tags: Array<{ tag: string; kind: 'stable' | 'prerelease' | 'date' | 'arch' | 'name' }>;
  /** The stable version `latest` points at today, when the registry tells. */
  latestIs: string | null;
  /** For `digestOf`: that tag's manifest digest. */
  digest: string | null;
  /** The registry could not be asked. */
  error?: string;
}

/** Commands the client registers and code actions ask it to run. */
export const ClientCommands = {
  /** args: [PinImageTagPrompt] → asks for a tag, then calls ServerCommands.pinImageTag and applies the edit. */
  pinImageTag: 'hwc.pinImageTag',
  /** args: [MoveStatePrompt] (or a containers-view node) → asks for the category, then applies ServerCommands.moveState's edit. */
  moveState: 'hwc.moveState',
} as const;

/** The container whose state the Move state… code action offers to move. */
export interface MoveStatePrompt {
  name: string;
  /** The document the action was offered in. */
  uri: string;
  /** The category spelled where the action was offered. */
  current: string;
}
export interface PinImageTagPrompt {
  uri: string;
  /** The diagnostic's range (the image string literal). */
  diagnosticRange: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** The image as written, e.g. "louislam/uptime-kuma:latest". */
  image: string;
  /** The tag (or digest) other containers of the workspace use for this image, to pre-fill the input. */
  suggestion: string | null;
}

/**
 * Client → server notification: the workspace's trust changed (VS Code's
 * `workspace.onDidGrantWorkspaceTrust`). The initial value goes in initializationOptions
 * as `trusted: boolean` (absent means untrusted). Trusted workspaces get the code lenses
 * that run podman (`hwc.containerLogs` / `hwc.containerStatus`).
 */
export const WorkspaceTrustNotification = 'hwc/workspaceTrust';
export interface WorkspaceTrustParams {
  trusted: boolean;
}
