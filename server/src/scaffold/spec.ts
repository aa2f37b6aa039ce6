// What the New Container generator takes: the answers of the wizard or the flags of
// `hwc new`, as one schema. Shapes only; the reasons a value is refused come from
// validate.ts and the workspace checks in check.ts.
import { z } from 'zod';

/**
 * Values by variable name. Variable names are the user's (`constructor`, `__proto__` are valid
 * environment names), so they are kept in a Map: a plain object would drop `__proto__` and
 * answer `constructor` with a function. Accepts a Map or an object's own entries (JSON).
 */
const secretValuesSchema = z
  .custom<ReadonlyMap<string, string> | Record<string, string>>(
    (v) => v instanceof Map || (typeof v === 'object' && v !== null && !Array.isArray(v)),
    'expected an object of variable names and values',
  )
  .transform((v, ctx) => {
    const entries = v instanceof Map ? [...v] : Object.entries(v);
    for (const [key, value] of entries) if (typeof value !== 'string') ctx.addIssue({ code: 'custom', message: `the value of \`${key}\` is not a string` });
    return new Map(entries as Array<[string, string]>);
  });

export const newContainerSpecSchema = z.strictObject({
  /** Kebab-case service name: folder, option namespace, container and secret name. */
  name: z.string(),
  /** Image with a pinned tag or a digest. */
  image: z.string(),
  /** `[ip:]host:container[/udp]` mappings; empty for none. */
  ports: z.array(z.string()).default([]),
  /** State category under the state root; default: databases for database images, else services. */
  category: z.string().optional(),
  /** Absent: port mapping; `host`: the host network; any other name: a custom Podman network. */
  network: z.string().optional(),
  proxy: z
    .strictObject({
      /** Default `<name>.local`. */
      domain: z.string().optional(),
      /** ACME email: the route gets `tls = { email = …; }`. */
      tlsEmail: z.string().optional(),
      /** Caddy basic auth: a user and the bcrypt hash from `caddy hash-password`. */
      basicAuth: z.strictObject({ user: z.string(), hash: z.string() }).optional(),
    })
    .optional(),
  /** Names of the environment variables kept in the secret env file `<name>-env`. */
  secrets: z.array(z.string()).default([]),
  /** Plaintext values by variable name, encrypted in memory (`hwc new`, editors without a client-side age). */
  secretValues: secretValuesSchema.optional(),
  /** The env file already encrypted by the caller (ASCII-armored age), e.g. by the VS Code wizard. */
  encryptedSecrets: z.string().optional(),
  /** Containers this one starts after. */
  dependsOn: z.array(z.string()).default([]),
  /**
   * What an import (`hwc import compose`) carries over beyond the wizard's questions. Absent for
   * the wizard and `hwc new`, whose modules stay exactly as before.
   */
  extras: z
    .strictObject({
      /** `host:container[:options]` mounts; given, they replace the default state mount. */
      volumes: z.array(z.string()).optional(),
      /** More tmpfiles lines (sub-folders of the state directory). */
      tmpfiles: z.array(z.string()).default([]),
      /** Given, replaces the PUID/PGID/TZ defaults. */
      environment: z.array(z.tuple([z.string(), z.string()])).optional(),
      labels: z.array(z.tuple([z.string(), z.string()])).default([]),
      /** Custom networks joined besides `network`; each is created by the module when nothing creates it yet. */
      networks: z.array(z.string()).default([]),
      /** Podman flags after the networks' (`--cap-add=NET_ADMIN`, `--health-cmd=…`). */
      extraOptions: z.array(z.string()).default([]),
      /**
       * Secrets mounted read-only as files (Compose `secrets:`), each an agenix secret. `declaration`
       * is given by the module that declares it (the first importer using it); later modules only mount it.
       */
      secretFiles: z
        .array(
          z.strictObject({
            /** `age.secrets.<name>`, and `<name>.age` in the secrets folder. */
            name: z.string(),
            /** Absolute paths in the container where the app reads it. */
            targets: z.array(z.string()),
            declaration: z
              .strictObject({
                /** agenix's `owner`/`group` (numeric ids: the container's user on rootful Podman) and `mode`. */
                owner: z.string().optional(),
                group: z.string().optional(),
                mode: z.string(),
                /** The value, already encrypted (ASCII-armored age). Absent: no value was available; `missing` says why. */
                encrypted: z.string().optional(),
                missing: z.string().optional(),
              })
              .optional(),
          }),
        )
        .default([]),
      cmd: z.array(z.string()).optional(),
      entrypoint: z.string().optional(),
      user: z.string().optional(),
    })
    .optional(),
});

export type NewContainerSpec = z.infer<typeof newContainerSpecSchema>;
export type NewContainerSpecInput = z.input<typeof newContainerSpecSchema>;

/** Parses the wire shape; a malformed argument becomes a readable message. */
export function parseSpec(input: unknown): { spec: NewContainerSpec } | { error: string } {
  const result = newContainerSpecSchema.safeParse(input);
  if (result.success) return { spec: result.data };
  return { error: result.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ') };
}
