// Secrets an app reads as files (Compose `secrets:`, carried in the spec's import extras):
// for each one this module declares, the `.age` file (its value already encrypted by the
// caller), the `age.secrets.<name>` declaration beside the others in the secrets index (with
// agenix's owner, group and mode), and agenix's rule in secrets.nix. The mounts and
// assertions are in index.nix (templates.ts). A secret with no value is declared all the
// same, and the note says how to create its `.age` file without the value touching the disk.
import * as path from 'path';
import { suggestedCommand } from '../suggestedCommand';
import { ScaffoldError } from './check';
import { type WorkspaceFacts, type WorkspaceView, relativeTo } from './context';
import { newSecretsIndex, planSecretDeclaration, readAgenixRules, type TextEdit } from './edits';
import { applyTextEdits } from './generate';
import type { NewContainerSpec } from './spec';

type SecretFile = NonNullable<NewContainerSpec['extras']>['secretFiles'][number];

export interface PlanTexts {
  /** A file's text as the plan has it so far (planned creates and edits included), else the workspace's. */
  current(file: string): string | undefined;
  create(file: string, text: string, encrypted?: boolean): void;
  /** Sets a file's whole new text (the plan works out the edits). */
  replace(file: string, text: string): void;
}

/** The command that creates an `.age` file from what the user types (or a file named last), when every word can be shown safely. */
export function ageCommandFor(recipients: string[], ageFile: string): string {
  return (
    (recipients.length > 0 ? suggestedCommand(['age', ...recipients.flatMap((r) => ['-r', r]), '-a', '-o', ageFile]) : undefined) ??
    `age -r <server's age or ssh-ed25519 public key> -a -o ${suggestedCommand([ageFile]) ?? '<file>'}`
  );
}

export function planSecretFiles(ws: WorkspaceView, facts: WorkspaceFacts, secretFiles: SecretFile[], plan: PlanTexts, notes: string[]): void {
  const c = facts.conventions;
  for (const secret of secretFiles) {
    const declaration = secret.declaration;
    const mounted = secret.targets.join(', ');
    if (!declaration) {
      notes.push(`Secrets: ${secret.name} (declared by the module imported before) is mounted read-only at ${mounted}.`);
      continue;
    }
    const ageFile = `${c.secretsFolder}/${secret.name}.age`;
    if (ws.files.exists(ageFile)) throw new ScaffoldError([{ field: 'workspace', message: `${ageFile} already exists; nothing was written (existing files are never overwritten)` }]);
    const rel = path.posix.relative(path.posix.dirname(c.secretsIndex), ageFile);
    const fileRef = rel.startsWith('.') ? rel : `./${rel}`;
    const settings: Array<[string, string]> = [['mode', `"${declaration.mode}"`]];
    if (declaration.owner !== undefined) settings.push(['owner', `"${declaration.owner}"`]);
    if (declaration.group !== undefined) settings.push(['group', `"${declaration.group}"`]);

    const indexText = plan.current(c.secretsIndex);
    if (indexText === undefined) {
      plan.create(c.secretsIndex, newSecretsIndex(secret.name, fileRef, settings));
      notes.push(`Secrets: ${c.secretsIndex} did not exist and was created with the declaration of \`${secret.name}\`; import it from your host configuration.`);
    } else {
      plan.replace(c.secretsIndex, applyTextEdits(indexText, planSecretDeclaration(indexText, { file: c.secretsIndex, secretName: secret.name, fileRef, settings })));
    }
    if (facts.agenixRules) {
      const rulesText = plan.current(facts.agenixRules)!;
      const rules = readAgenixRules(rulesText, facts.agenixRules, relativeTo(facts.agenixRules, c.secretsFolder));
      const ruleEdit: TextEdit | null = rules.plan(relativeTo(facts.agenixRules, ageFile));
      if (ruleEdit) plan.replace(facts.agenixRules, applyTextEdits(rulesText, [ruleEdit]));
    }

    const owner = `${declaration.owner !== undefined ? `owner ${declaration.owner}` : 'owner root'}${declaration.group !== undefined ? `, group ${declaration.group}` : ''}, mode ${declaration.mode}`;
    if (declaration.encrypted !== undefined) {
      plan.create(ageFile, declaration.encrypted, true);
      notes.push(`Secrets: ${secret.name} is encrypted in memory to ${facts.recipients.length} recipient${facts.recipients.length === 1 ? '' : 's'} into ${ageFile}; agenix decrypts it at activation (${owner}) and the container reads it read-only at ${mounted}.`);
    } else {
      notes.push(
        `Secrets: ${ageFile} was not created: ${declaration.missing ?? 'no value was given'}. Create it without the value touching the disk: run \`${ageCommandFor(facts.recipients, ageFile)}\`, type the value, then press Ctrl-D (or name a file holding it as the last argument). ` +
          `agenix decrypts it at activation (${owner}); the container reads it read-only at ${mounted}. Until the file exists, \`hwc lint\` reports secret-file-missing.`,
      );
    }
  }
}
