// The New Container generator: a spec and a workspace in, a plan out: the files to create,
// the minimal edits of files that exist, one LSP WorkspaceEdit holding all of it, and notes
// for the person. Pure: it reads through FileAccess and writes nothing.
import { suggestedCommand } from '../suggestedCommand';
import { escapeDoubleQuoted, toRange } from '../fixes/text';
import { textEdits } from '../fixes/diff';
import * as path from 'path';
import type { CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Decisions, ScaffoldError, decide } from './check';
import { WorkspaceFacts, WorkspaceView, collectFacts, relativeTo } from './context';
import { shapeBrokenBy } from '../parse/moduleShape';
import { EditRefused, TextEdit, newSecretsIndex, planEnableEdit, planImportEdit, planProfileEdit, planSecretDeclaration, readAgenixRules } from './edits';
import { planRouteEntry } from './routeEntry';
import { planSecretFiles } from './secretFiles';
import { encryptArmored, envFileText } from './encrypt';
import { parseSpec } from './spec';
import { ModuleModel, defaultNix, indexNix, optionsNix, routeNix } from './templates';

export interface PlannedFile {
  /** Workspace-relative path. */
  path: string;
  action: 'create' | 'edit';
  /** The file's full text after the plan (for edits: the old text with the edits applied). */
  text: string;
  /** For edits: the text the edits were computed against, and the edits. */
  before?: string;
  edits?: TextEdit[];
  /** The encrypted env file (shown as a summary, never dumped). */
  encrypted?: boolean;
}

export interface ScaffoldPlan {
  name: string;
  files: PlannedFile[];
  edit: WorkspaceEdit;
  notes: string[];
  /** The new module's index.nix (the file an editor opens afterwards). */
  entry: string;
}

export interface GenerateOptions {
  /** The flake host in the build commands of the notes. */
  flakeHost?: string;
  /** Replaces age encryption (tests); receives the env file text and the recipients. */
  encrypt?: (plaintext: string | Uint8Array, recipients: string[]) => Promise<string>;
  /**
   * Also create the folders the files go into, as VS Code folder creates (a CreateFile
   * with `options.folder`, which VS Code's workspace edits understand and other LSP
   * clients do not), so that one undo removes them too. See toWorkspaceEdit.
   */
  createFolders?: boolean;
}

/** Applies LSP text edits (positions in UTF-16 code units, non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  // Back to front; inserts at one position keep their array order in the result (LSP).
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => offset(b.e.range.start) - offset(a.e.range.start) || b.i - a.i).map((x) => x.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export async function generateContainer(specInput: unknown, ws: WorkspaceView, options: GenerateOptions = {}): Promise<ScaffoldPlan> {
  const parsed = parseSpec(specInput);
  if ('error' in parsed) throw new ScaffoldError([{ field: 'workspace', message: `invalid request: ${parsed.error}` }]);
  const facts = collectFacts(ws);
  const d = decide(parsed.spec, facts);
  const c = facts.conventions;
  const moduleDir = `${c.containersFolder}/${d.name}`;
  const notes = [...d.notes];
  const files: PlannedFile[] = [];
  const create = (file: string, text: string, encrypted = false) => files.push({ path: file, action: 'create', text, ...(encrypted ? { encrypted } : {}) });
  const edit = (named: string, before: string, edits: TextEdit[]) => {
    const file = ws.files.canonical?.(named) ?? named;
    const earlier = files.find((f) => f.path === file && f.action === 'edit');
    if (!earlier) return void files.push({ path: file, action: 'edit', text: applyTextEdits(before, edits), before, edits });
    earlier.edits!.push(...edits);
    earlier.text = applyTextEdits(before, earlier.edits!);
  };

  const current = (named: string) => {
    const file = ws.files.canonical?.(named) ?? named;
    return files.find((f) => f.path === file)?.text ?? ws.files.read(file);
  };
  // A file's whole new text: a planned create takes it as is, an edit gets the minimal edits from its original text.
  const replace = (named: string, after: string) => {
    const file = ws.files.canonical?.(named) ?? named;
    const planned = files.find((f) => f.path === file);
    if (planned?.action === 'create') return void (planned.text = after);
    const before = planned?.before ?? ws.files.read(file)!;
    const edits = textEdits(before, after).map((e) => ({ range: toRange(before, e), newText: e.newText }));
    if (planned) Object.assign(planned, { text: after, edits });
    else files.push({ path: file, action: 'edit', text: after, before, edits });
  };

  const model: ModuleModel = {
    name: d.name,
    namespace: c.namespace,
    image: d.image,
    port: d.portOption,
    portDescription: d.network.mode === 'host' ? `Port ${d.name} listens on (host network)` : `Port for ${d.name}`,
    domain: d.proxy?.domain ?? null,
    ports: d.ports,
    stateDir: d.stateDir,
    volumeTarget: d.volumeTarget,
    // TZ follows the host's `time.timeZone` when the repository sets one, so the two never disagree
    // (an imported compose file's own TZ stays). Values are Nix strings with `${` escaped: they
    // can come from a compose file.
    environment: d.environment.map(([key, value]) => [key, key === 'TZ' && c.timeZoneSetIn && !d.extras?.environment ? 'config.time.timeZone' : `"${escapeDoubleQuoted(value)}"`]),
    secretName: d.secrets.length > 0 ? `${d.name}-env` : null,
    network: d.network,
    dependsOn: d.dependsOn,
    tmpfilesRule: d.tmpfilesRule,
    ...(d.extras ? { extras: d.extras } : {}),
    ...(d.extraNetworks.length ? { extraNetworks: d.extraNetworks } : {}),
  };
  create(`${moduleDir}/options.nix`, optionsNix(model));
  create(`${moduleDir}/index.nix`, indexNix(model));

  try {
    planProfile(ws, facts, d, moduleDir, create, edit, notes);
    if (d.proxy) planRoute(ws, facts, d, create, edit, notes);
    if (d.secrets.length > 0) await planSecrets(ws, facts, d, create, edit, notes, options);
    if (d.extras?.secretFiles.length) planSecretFiles(ws, facts, d.extras.secretFiles, { current, create, replace }, notes);
  } catch (error) {
    if (error instanceof EditRefused) throw new ScaffoldError([{ field: 'workspace', message: error.message }]);
    throw error;
  }

  const collisions = files.filter((f) => f.action === 'create' && ws.files.exists(f.path)).map((f) => f.path);
  if (collisions.length > 0) {
    throw new ScaffoldError(collisions.map((file) => ({ field: 'workspace', message: `${file} already exists; nothing was written (existing files are never overwritten)` })));
  }

  // Nothing is handed out that NixOS would refuse: every file parses and keeps a module shape it accepts.
  const misshapen = files.flatMap((f) => {
    if (!f.path.endsWith('.nix')) return [];
    const problem = shapeBrokenBy(f.before, f.text, f.path);
    return problem ? [{ field: 'workspace' as const, message: `${problem.message}; nothing was written` }] : [];
  });
  if (misshapen.length > 0) throw new ScaffoldError(misshapen);

  const host = options.flakeHost ?? 'server';
  const port = d.portOption;
  notes.push(
    [
      'Next:',
      `  nixos-rebuild dry-build --flake .#${host}`,
      `  nixos-rebuild switch --flake .#${host}`,
      `  sudo podman ps | grep ${d.name}`,
      `  sudo podman logs ${d.name}`,
      ...(port !== null ? [`  curl http://localhost:${port}`] : []),
      ...(d.proxy ? [`  curl http${d.proxy.tlsEmail ? 's' : ''}://${d.proxy.domain}`] : []),
    ].join('\n'),
  );
  return { name: d.name, files, edit: toWorkspaceEdit(ws, files, options.createFolders ?? false), notes, entry: `${moduleDir}/index.nix` };
}

type Create = (file: string, text: string, encrypted?: boolean) => void;
type Edit = (file: string, before: string, edits: TextEdit[]) => void;

function planProfile(ws: WorkspaceView, facts: WorkspaceFacts, d: Decisions, moduleDir: string, create: Create, edit: Edit, notes: string[]): void {
  const c = facts.conventions;
  const enablePath = [...c.namespace.split('.'), d.name, 'enable'];
  const enableLine = `\`${enablePath.join('.')} = true;\``;
  const importFile = c.modulesImportFile ?? c.profile;
  // The modules whose state lives in the same category: their group is the new one's.
  const peers = [...new Set(facts.stateDirs.filter((s) => s.dir.startsWith(`${c.stateRoot}/${d.category}/`)).map((s) => s.container))];
  const profileText = ws.files.read(c.profile);
  if (importFile === c.profile) {
    if (profileText === undefined) {
      notes.push(`Profile: ${c.profile} does not exist, so nothing imports the module yet; import ${moduleDir}/index.nix from your host and set ${enableLine}.`);
      return;
    }
    const planned = planProfileEdit(profileText, { profile: c.profile, moduleDir, containersFolder: c.containersFolder, category: d.category, enablePath, namespaceAliases: c.namespaceAliases, peers });
    edit(c.profile, profileText, planned.edits);
    if (planned.importStyle === 'folder') create(`${moduleDir}/default.nix`, defaultNix());
    return;
  }
  // The repository imports modules in one file and enables them in the profile.
  const importText = ws.files.read(importFile);
  if (importText === undefined) {
    notes.push(`Imports: ${importFile} (modulesImportFile) does not exist, so nothing imports the module yet; import ${moduleDir}/index.nix from your host.`);
  } else {
    const planned = planImportEdit(importText, { file: importFile, moduleDir, containersFolder: c.containersFolder, category: d.category, peers });
    edit(importFile, importText, planned.edits);
    if (planned.importStyle === 'folder') create(`${moduleDir}/default.nix`, defaultNix());
  }
  if (profileText === undefined) notes.push(`Profile: ${c.profile} does not exist; set ${enableLine} in your host configuration.`);
  else edit(c.profile, profileText, planEnableEdit(profileText, { file: c.profile, enablePath, category: d.category, namespaceAliases: c.namespaceAliases, peers }));
}

function planRoute(ws: WorkspaceView, facts: WorkspaceFacts, d: Decisions, create: Create, edit: Edit, notes: string[]): void {
  const c = facts.conventions;
  const proxy = d.proxy!;
  if (c.routesFile) {
    const text = ws.files.read(c.routesFile);
    if (text !== undefined) {
      const siblings = [...new Set([...facts.moduleFolders, ...facts.containers])];
      const input = { file: c.routesFile, name: d.name, namespace: c.namespace, siblings, upstreamHost: proxy.upstreamHost, domain: proxy.domain, port: d.portOption ?? 80, tlsEmail: proxy.tlsEmail, basicAuth: proxy.basicAuth };
      edit(c.routesFile, text, planRouteEntry(text, input));
      return;
    }
    notes.push(`Reverse proxy: ${c.routesFile} (routesFile) does not exist; the route was written to ${c.routesFolder}/${d.name}.nix instead.`);
  }
  create(`${c.routesFolder}/${d.name}.nix`, routeNix({ name: d.name, namespace: c.namespace, upstreamHost: proxy.upstreamHost, tlsEmail: proxy.tlsEmail, basicAuth: proxy.basicAuth, hostNetwork: d.network.mode === 'host' }));
  if (!ws.files.exists(`${c.routesFolder}`) && !facts.moduleFolders.includes('caddy')) notes.push(`Reverse proxy: no Caddy module was found; ${c.routesFolder}/${d.name}.nix takes effect once a Caddy module imports the routes folder.`);
}

async function planSecrets(ws: WorkspaceView, facts: WorkspaceFacts, d: Decisions, create: Create, edit: Edit, notes: string[], options: GenerateOptions): Promise<void> {
  const c = facts.conventions;
  const secretName = `${d.name}-env`;
  const ageFile = `${c.secretsFolder}/${secretName}.age`;
  const fileRef = (() => {
    const rel = path.posix.relative(path.posix.dirname(c.secretsIndex), ageFile);
    return rel.startsWith('.') ? rel : `./${rel}`;
  })();

  // Even when no .age file is created now, the declaration would adopt one that is there.
  if (ws.files.exists(ageFile)) throw new ScaffoldError([{ field: 'workspace', message: `${ageFile} already exists; nothing was written (existing files are never overwritten)` }]);

  const indexText = ws.files.read(c.secretsIndex);
  if (indexText === undefined) {
    create(c.secretsIndex, newSecretsIndex(secretName, fileRef));
    notes.push(`Secrets: ${c.secretsIndex} did not exist and was created with the declaration of \`${secretName}\`; import it from your host configuration.`);
  } else {
    edit(c.secretsIndex, indexText, planSecretDeclaration(indexText, { file: c.secretsIndex, secretName, fileRef }));
  }

  // agenix's rules: the new file gets a rule modelled on its neighbours, so `agenix -e`/`-r` know it.
  if (facts.agenixRules) {
    const rulesText = ws.files.read(facts.agenixRules)!;
    const rules = readAgenixRules(rulesText, facts.agenixRules, relativeTo(facts.agenixRules, c.secretsFolder));
    const ruleEdit = rules.plan(relativeTo(facts.agenixRules, ageFile));
    if (ruleEdit) edit(facts.agenixRules, rulesText, [ruleEdit]);
  }

  const recipients = facts.recipients;
  const from = facts.recipientsSource === '.hwc-lint.json' ? '`ageRecipients` in .hwc-lint.json' : facts.recipientsSource;
  const keys = d.secrets.map((k) => `\`${k}\``).join(', ');
  if (d.encryptedSecrets !== null) {
    create(ageFile, d.encryptedSecrets, true);
    notes.push(`Secrets: ${keys} are in ${ageFile}, encrypted before they left the editor; agenix decrypts them to /run/agenix/${secretName} at activation.`);
  } else if (d.secretValues && recipients.length > 0) {
    const encrypt = options.encrypt ?? encryptArmored;
    create(ageFile, await encrypt(envFileText(d.secrets, d.secretValues), recipients), true);
    notes.push(`Secrets: ${keys} are encrypted in memory to ${recipients.length} recipient${recipients.length === 1 ? '' : 's'} (${from}) into ${ageFile}; agenix decrypts them to /run/agenix/${secretName} at activation.`);
  } else {
    // Recipients may come from secrets.nix (repository text): a word that cannot be shown safely drops the command to its placeholder form.
    const command =
      (recipients.length > 0 ? suggestedCommand(['age', ...recipients.flatMap((r) => ['-r', r]), '-a', '-o', ageFile]) : undefined) ??
      `age -r <server's age or ssh-ed25519 public key> -a -o ${suggestedCommand([ageFile]) ?? '<file>'}`;
    const why = recipients.length > 0 ? 'no values were given' : 'no age recipients are configured (set `ageRecipients` in .hwc-lint.json, or list them in secrets.nix)';
    notes.push(
      `Secrets: ${ageFile} was not created: ${why}. Create it without the values touching the disk: run \`${command}\`, type one \`KEY=value\` line for each of ${keys}, then press Ctrl-D.` +
        `${facts.agenixRules ? ` (\`agenix -e ${relativeTo(facts.agenixRules, ageFile)}\` works too.)` : ''} Until the file exists, \`hwc lint\` reports secret-file-missing.`,
    );
  }
}

/**
 * The plan as one WorkspaceEdit. Plain: each new file is a create followed by the text
 * that fills it, then the edits of existing files — what every LSP client applies.
 *
 * With `createFolders` (VS Code): every file create first, then one folder create per
 * outermost folder that does not exist yet (`options.folder`, `recursive`), then all text.
 * VS Code runs a run of creates as one operation (folders before files) whose undo
 * deletes in the same order: the files, then each new folder with everything left in it
 * (only empty sub-folders: nothing else was there before). Undo runs the text edits back
 * first, so one undo leaves the workspace as it was, with no empty folder behind.
 */
function toWorkspaceEdit(ws: WorkspaceView, files: PlannedFile[], createFolders: boolean): WorkspaceEdit {
  const uri = (file: string) => URI.file(path.join(ws.root, file)).toString();
  const fill = (file: PlannedFile): TextDocumentEdit => ({ textDocument: { uri: uri(file.path), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }] });
  const change = (file: PlannedFile): TextDocumentEdit => ({ textDocument: { uri: uri(file.path), version: ws.files.version?.(file.path) ?? null }, edits: file.edits! });
  const createOf = (file: PlannedFile): CreateFile => ({ kind: 'create', uri: uri(file.path), options: { overwrite: false, ignoreIfExists: false } });
  const created = files.filter((f) => f.action === 'create');
  const edited = files.filter((f) => f.action === 'edit');
  if (!createFolders) {
    return { documentChanges: [...created.flatMap((f) => [createOf(f), fill(f)]), ...edited.map(change)] };
  }
  const folders = newFolders(ws, created.map((f) => f.path));
  const folderCreates: CreateFile[] = folders.map((folder) => ({ kind: 'create', uri: uri(folder), options: { overwrite: false, ignoreIfExists: false, folder: true, recursive: true } as CreateFile['options'] }));
  return { documentChanges: [...created.map(createOf), ...folderCreates, ...created.map(fill), ...edited.map(change)] };
}

/** The outermost folders that do not exist yet among the parents of `files` (an existing empty folder is left alone). */
export function newFolders(ws: WorkspaceView, files: string[]): string[] {
  const out = new Set<string>();
  for (const file of files) {
    let outermost: string | null = null;
    for (let dir = path.posix.dirname(file); dir !== '.' && dir !== '' && dir !== '/'; dir = path.posix.dirname(dir)) {
      if (ws.files.exists(dir)) break;
      outermost = dir;
    }
    if (outermost) out.add(outermost);
  }
  return [...out].sort();
}
