// The one description of every setting: `.hwc-lint.json` (conventions, rule severities,
// ignore globs) and the editor settings under `hwc.*`. The JSON schema shipped for
// `.hwc-lint.json` and package.json's contributes.configuration are checked against it.
import { z } from 'zod';
import { checkGlob } from './glob';

export const severityOrOff = z.enum(['error', 'warning', 'info', 'hint', 'off']);
export type SeverityOrOff = z.infer<typeof severityOrOff>;
export type Severity = Exclude<SeverityOrOff, 'off'>;

// A NUL byte cannot be part of a file name: refused here, with a message, rather than as a
// stack trace from the first file operation that sees it.
const noNul = (s: string) => !s.includes('\0');
const NUL_MESSAGE = 'must not contain a NUL byte';

const relativeFolder = z
  .string()
  .min(1)
  .refine(noNul, NUL_MESSAGE)
  .refine((s) => !s.startsWith('/') && !s.split('/').includes('..'), 'must be a path relative to the workspace root, without ".."');

const absolutePath = z.string().startsWith('/').refine(noNul, NUL_MESSAGE);

// Matched by glob.ts in bounded time; a pattern it refuses (too long, too many `{a,b}`) is reported here.
const ignoreGlob = z
  .string()
  .min(1)
  .refine(noNul, NUL_MESSAGE)
  .superRefine((pattern, ctx) => {
    try {
      checkGlob(pattern);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a usable glob: ${error instanceof Error ? error.message : String(error)}` });
    }
  });

const helperSettings = z.strictObject({
  injectsPuidPgid: z.boolean().default(true).describe('The helper adds PUID/PGID to the container environment itself.'),
});

export const lintConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    discover: z.boolean().default(true).describe('Fill the settings this file leaves out with conventions discovered in the repository (`hwc config --show` lists them).'),
    containersFolder: relativeFolder.default('domains/server/containers').describe('Folder holding one sub-folder per container module.'),
    namespace: z.string().regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'a dotted option path such as hwc.server.containers').default('hwc.server.containers').describe('Option namespace of container modules.'),
    namespaceAliases: z.array(z.string()).default([]).describe('Other namespaces that alias the container namespace (e.g. hwc.services.containers).'),
    stateRoot: absolutePath.default('/opt').describe('Root of container state directories.'),
    categories: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case folder name')).min(1).default(['media', 'services', 'databases', 'monitoring', 'business']).describe('Allowed state categories below the state root.'),
    tmpfiles: z
      .strictObject({
        mode: z.string().regex(/^[0-7]{3,4}$/).default('0755'),
        user: z.string().min(1).default('1000'),
        group: z.string().min(1).default('1000'),
      })
      .default({ mode: '0755', user: '1000', group: '1000' })
      .describe('Mode and owner of generated tmpfiles entries.'),
    mediaPrefixes: z.array(absolutePath).default(['/mnt/storage/media', '/mnt/media']).describe('Host paths of the shared media library (must be mounted read-only).'),
    databaseImages: z.array(z.string().min(1)).default([]).describe('Extra image names treated as databases.'),
    discoveryImages: z.array(z.string().min(1)).default([]).describe('Extra image names of device/discovery services (they belong on the host network).'),
    secretsIndex: relativeFolder.default('domains/secrets/index.nix').describe('File declaring age.secrets.'),
    secretsFolder: relativeFolder.default('domains/secrets/parts/server').describe('Folder of encrypted .age files.'),
    routesFolder: relativeFolder.default('domains/server/containers/caddy/routes').describe('Folder of Caddy route files.'),
    routesFile: relativeFolder.optional().describe('One file holding every Caddy route as an attrset (instead of one file per route in routesFolder).'),
    modulesImportFile: relativeFolder.optional().describe('File whose imports list the container modules (default: the profile).'),
    profile: relativeFolder.default('profiles/server.nix').describe('Profile that imports and enables container modules.'),
    containerHelpers: z
      .record(z.string().regex(/^[A-Za-z_][\w'-]*$/), helperSettings)
      .default({ mkContainer: { injectsPuidPgid: true }, mkInfraContainer: { injectsPuidPgid: true } })
      .describe('Functions whose argument attrset ({ name, image, … }) defines a container.'),
    ageRecipients: z.array(z.string().regex(/^(age1[0-9a-z]+|ssh-(ed25519|rsa) \S+.*)$/, 'an age recipient (age1…) or an SSH public key')).default([]).describe('Recipients new .age files are encrypted to.'),
    timezone: z.string().min(1).default('America/Los_Angeles').describe('TZ for scaffolded containers.'),
    registry: z
      .strictObject({
        lookups: z.boolean().default(false).describe('Ask image registries for tags and digests (hwc images, hwc pin, image-outdated). Off until you turn it on: each lookup tells the registry which images you use.'),
        insecureHosts: z
          .array(z.string().regex(/^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/, 'plain HTTP is allowed only for loopback registries (127.x.x.x, localhost, [::1]) with an optional port'))
          .default([])
          .describe('Registries reached over plain HTTP: loopback addresses only.'),
        crossMajor: z.boolean().default(false).describe('Let "newest" cross the major version (1.x → 2.x).'),
      })
      .default({ lookups: false, insecureHosts: [], crossMajor: false })
      .describe('Image registry lookups.'),
    rules: z.record(z.string(), severityOrOff).default({}).describe('Severity per rule id, or "off".'),
    ignore: z.array(ignoreGlob).default([]).describe('Globs (relative to the root) of files not to lint.'),
  })
  .describe('hwc-orchestrator lint configuration');

export type LintConfig = z.infer<typeof lintConfigSchema>;
export type LintConfigInput = z.input<typeof lintConfigSchema>;

export const defaultLintConfig: LintConfig = lintConfigSchema.parse({});

/** Editor settings (`hwc.*`), read over workspace/configuration. Mirrors contributes.configuration. */
export const editorSettingsSchema = z.object({
  enable: z.boolean().default(true),
  trace: z.object({ server: z.enum(['off', 'messages', 'verbose']).default('off') }).default({ server: 'off' }),
  rules: z.record(z.string(), severityOrOff).default({}),
  fixAll: z.object({ includeUnsafe: z.boolean().default(false) }).default({ includeUnsafe: false }),
  flakeHost: z.string().min(1).default('server'),
  maxFileSizeKb: z.number().int().positive().default(1024),
  registry: z.object({ lookups: z.enum(['off', 'on']).default('off') }).default({ lookups: 'off' }),
  baseline: z.object({ show: z.enum(['hint', 'hide']).default('hint') }).default({ show: 'hint' }),
});
export type EditorSettings = z.infer<typeof editorSettingsSchema>;
export const defaultEditorSettings: EditorSettings = editorSettingsSchema.parse({});

/** JSON schema for `.hwc-lint.json`, generated from the zod schema (written by the build). */
export function lintConfigJsonSchema(): object {
  return z.toJSONSchema(lintConfigSchema, { io: 'input', target: 'draft-7' });
}
