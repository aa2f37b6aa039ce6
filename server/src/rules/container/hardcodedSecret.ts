import type { Rule } from '../types';
import { siteOf } from '../types';

const SECRET_KEY = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL/i;

export function looksSecret(key: string): boolean {
  return SECRET_KEY.test(key) && !/_FILE$/i.test(key);
}

function isSecretPath(text: string): boolean {
  return text.startsWith('/run/agenix/') || text.startsWith('/run/secrets/') || text.startsWith('/run/credentials/');
}

export const hardcodedSecret: Rule = {
  id: 'hardcoded-secret',
  severity: 'error',
  summary: 'A secret-looking environment value is a literal: it ends up world-readable in the Nix store.',
  checkContainer(container, ctx) {
    const settings = [...ctx.resolver.entries(container.fields.environment), ...ctx.resolver.entries(container.fields.labels)];
    for (const field of Object.keys(container.fields)) {
      if (looksSecret(field)) settings.push({ key: field, keySrc: container.nameSrc, value: ctx.resolver.strings(container.fields[field]), raw: container.fields[field][0] });
    }
    for (const { key, value } of settings) {
      if (!looksSecret(key)) continue;
      for (const literal of value) {
        if (literal.text === null || literal.text === '' || isSecretPath(literal.text)) continue;
        ctx.report({
          ...siteOf(literal),
          message: `${container.name}: \`${key}\` is written in the config, so it lands in the world-readable Nix store; move it to the secret env file \`${container.name}-env\` (environmentFiles)`,
          data: { key, container: container.name },
        });
      }
    }
  },
};
