// The New Container generator: a spec and a workspace in, a plan out: the files to create,
// the minimal edits of files that exist, one LSP WorkspaceEdit holding all of it, and notes
// for the person. Pure: it reads through FileAccess and writes nothing.
import { suggestedCommand } from '../suggestedCommand';
import * as path from 'path';
import type { CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Decisions, ScaffoldError, decide } from './check';
import { WorkspaceFacts, WorkspaceView, collectFacts, relativeTo } from './context';
import { EditRefused, TextEdit, newSecretsIndex, planProfileEdit, planSecretDeclaration, readAgenixRules } from './edits';
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
  encrypt?: (plaintext: string, recipients: string[]) => Promise<string>;
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
  const edit = (file: string, before: string, edits: TextEdit[]) => {
    const earlier = files.find((f) => f.path === file && f.action === 'edit');
    if (!earlier) return void files.push({ path: file, action: 'edit', text: applyTextEdits(before, edits), before, edits });
    earlier.edits!.push(...edits);
    earlier.text = applyTextEdits(before, earlier.edits!);
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
    environment: d.environment,
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
    if (d.proxy) {
      create(`${c.routesFolder}/${d.name}.nix`, routeNix({ name: d.name, namespace: c.namespace, upstreamHost: d.proxy.upstreamHost, tlsEmail: d.proxy.tlsEmail, basicAuth: d.proxy.basicAuth, hostNetwork: d.network.mode === 'host' }));
      if (!ws.files.exists(`${c.routesFolder}`) && !facts.moduleFolders.includes('caddy')) notes.push(`Reverse proxy: no Caddy module was found; ${c.routesFolder}/${d.name}.nix takes effect once a Caddy module imports the routes folder.`);
    }
    if (d.secrets.length > 0) await planSecrets(ws, facts, d, create, edit, notes, options);
  } catch (error) {
    if (error instanceof EditRefused) throw new ScaffoldError([{ field: 'workspace', message: error.message }]);
    throw error;
  }

  const collisions = files.filter((f) => f.action === 'create' && ws.files.exists(f.path)).map((f) => f.path);
  if (collisions.length > 0) {
    throw new ScaffoldError(collisions.map((file) => ({ field: 'workspace', message: `${file} already exists; nothing was written (existing files are never overwritten)` })));
  }

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
  return { name: d.name, files, edit: toWorkspaceEdit(ws, files), notes, entry: `${moduleDir}/index.nix` };
}

type Create = (file: string, text: string, encrypted?: boolean) => void;
type Edit = (file: string, before: string, edits: TextEdit[]) => void;

function planProfile(ws: WorkspaceView, facts: WorkspaceFacts, d: Decisions, moduleDir: string, create: Create, edit: Edit, notes: string[]): void {
  const c = facts.conventions;
  const enablePath = [...c.namespace.split('.'), d.name, 'enable'];
  const text = ws.files.read(c.profile);
  if (text === undefined) {
    notes.push(`Profile: ${c.profile} does not exist, so nothing imports the module yet; import ${moduleDir}/index.nix from your host and set \`${enablePath.join('.')} = true;\`.`);
    return;
  }
  const planned = planProfileEdit(text, { profile: c.profile, moduleDir, containersFolder: c.containersFolder, category: d.category, enablePath });
  edit(c.profile, text, planned.edits);
  if (planned.importStyle === 'folder') create(`${moduleDir}/default.nix`, defaultNix());
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

function toWorkspaceEdit(ws: WorkspaceView, files: PlannedFile[]): WorkspaceEdit {
  const uri = (file: string) => URI.file(path.join(ws.root, file)).toString();
  const changes: Array<CreateFile | TextDocumentEdit> = [];
  for (const file of files) {
    if (file.action === 'create') {
      changes.push({ kind: 'create', uri: uri(file.path), options: { overwrite: false, ignoreIfExists: false } });
      changes.push({ textDocument: { uri: uri(file.path), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }] });
    } else {
      changes.push({ textDocument: { uri: uri(file.path), version: ws.files.version?.(file.path) ?? null }, edits: file.edits! });
    }
  }
  return { documentChanges: changes };
}
