import type { Rule } from '../types';
import { siteOf } from '../types';
import { isPlainSetting, isSecretPath, looksSecret, urlPassword } from '../secretKeys';

/** Container fields that are command-line arguments: judged by their values only. */
const ARGUMENT_FIELDS = ['cmd', 'entrypoint'];

export const hardcodedSecret: Rule = {
  id: 'hardcoded-secret',
  severity: 'error',
  summary: 'A secret-looking environment value is a literal: it ends up world-readable in the Nix store.',
  checkContainer(container, ctx) {
    const settings = [...ctx.resolver.entries(container.fields.environment), ...ctx.resolver.entries(container.fields.labels)];
    // Command-line arguments land in the store as well; only a password in a URL marks them as secret.
    for (const field of ARGUMENT_FIELDS) {
      if (container.fields[field]) settings.push({ key: field, keySrc: container.nameSrc, value: ctx.resolver.strings(container.fields[field]), raw: container.fields[field][0] });
    }
    for (const field of Object.keys(container.fields)) {
      if (looksSecret(field)) settings.push({ key: field, keySrc: container.nameSrc, value: ctx.resolver.strings(container.fields[field]), raw: container.fields[field][0] });
    }
    for (const { key, value } of settings) {
      const argument = ARGUMENT_FIELDS.includes(key);
      const secretKey = !argument && looksSecret(key);
      for (const literal of value) {
        if (literal.text === null) continue;
        // Credentials in a URL are a secret whatever the key is called (DATABASE_URL, REDIS_HOST…).
        const inUrl = urlPassword(literal.text) !== null;
        if (!inUrl && (!secretKey || isPlainSetting(literal.text) || isSecretPath(literal.text))) continue;
        const what = inUrl ? `\`${key}\` embeds a password in a URL, which` : `\`${key}\` is written in the config, so it`;
        const advice = argument
          ? `put the URL into the secret env file \`${container.name}-env\` (environmentFiles) and let the image read it from the environment`
          : `move it to the secret env file \`${container.name}-env\` (environmentFiles)`;
        ctx.report({
          ...siteOf(literal),
          message: `${container.name}: ${what} lands in the world-readable Nix store; ${advice}`,
          data: { key, container: container.name },
        });
      }
    }
  },
};
