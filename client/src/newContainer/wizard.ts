// The eight questions of HWC: New Container, in the order of the orchestrator's workflow:
// name, image, ports, category, network, reverse proxy, secrets, dependencies. Answers
// stay in memory; secret values only ever live in `values` until they are encrypted.
import * as vscode from 'vscode';
import { type Step, runSteps } from './steps';
import {
  NEW_NETWORK, TOTAL_STEPS, type WizardAnswers, type WizardContext, categoryItems, dependencyItems, imageSuggestions, networkItems, proxyUnavailable,
  validateBasicAuthUser, validateBcryptHash, initialPorts, validateDomain, validateImage, validateName, validateNewNetwork, validatePorts, validateSecretNames,
  validateSecretValue, validateTlsEmail,
} from './validation';

export interface WizardResult {
  answers: WizardAnswers;
  /** Secret values by variable name (a Map: `constructor`/`__proto__` are valid names); undefined when they are not asked (no recipients). */
  values: Map<string, string> | undefined;
}

interface ValueItem<T> extends vscode.QuickPickItem {
  value: T;
}

export async function runWizard(ctx: WizardContext): Promise<WizardResult | undefined> {
  const a: WizardAnswers = { name: '', image: '', ports: [], category: '', network: undefined, proxy: undefined, secrets: [], dependsOn: [] };
  let portsText = '';
  let newNetwork = '';
  let values: Map<string, string> | undefined;
  const ok = (error?: string) => ({ error });

  const name: Step = async (io) => {
    a.name = await io.input({ step: 1, prompt: 'Service name (kebab-case): the module folder, option namespace, container and secret name', placeholder: 'e.g. paperless-ai', value: a.name, validate: (v) => ok(validateName(v, ctx)) });
    return image;
  };

  const image: Step = async (io) => {
    const suggestions: Array<ValueItem<string>> = imageSuggestions(ctx).map((i) => ({ label: i, description: 'used in this workspace', value: i }));
    const typed = (text: string): Array<ValueItem<string>> => {
      if (!text.trim()) return [];
      const verdict = validateImage(text, ctx);
      return [{ label: text.trim(), description: verdict.error ? '$(error) cannot use' : '$(check) use this image', detail: verdict.error ?? verdict.info, value: text.trim() }];
    };
    const chosen = await io.pick<ValueItem<string>>({
      step: 2,
      placeholder: 'Image with a pinned tag or digest, e.g. lscr.io/linuxserver/bazarr:1.5.1 (type it, or pick one in use)',
      items: a.image && !suggestions.some((s) => s.value === a.image) ? [...typed(a.image), ...suggestions] : suggestions,
      active: suggestions.find((s) => s.value === a.image),
      typed,
      refuse: (item) => validateImage(item.value, ctx).error,
    });
    a.image = chosen.value;
    return ports;
  };

  let portsFor = '';
  const ports: Step = async (io) => {
    // A new image starts from its documented port (8989:8989 for sonarr); the user edits the host side.
    if (portsFor !== a.image && (portsText === '' || portsText === initialPorts(portsFor))) portsText = initialPorts(a.image);
    portsFor = a.image;
    portsText = await io.input({
      step: 3,
      prompt: 'Published ports: host:container pairs separated by spaces (127.0.0.1:host:container to bind one address, /udp for UDP); empty for none',
      placeholder: 'host:container, e.g. 8080:80 (a bare 8080 uses the image\'s own port inside when known)',
      value: portsText,
      validate: (v) => validatePorts(v, ctx, a.image),
    });
    a.ports = validatePorts(portsText, ctx, a.image).ports;
    return category;
  };

  const category: Step = async (io) => {
    const items = categoryItems(ctx, a.image, a.name);
    const chosen = await io.pick({ step: 4, placeholder: 'Storage category: where the state directory lives', items, active: items.find((i) => i.label === a.category) ?? items.find((i) => i.picked) });
    a.category = chosen.label;
    return network;
  };

  const network: Step = async (io) => {
    const items: Array<ValueItem<string | undefined>> = networkItems(ctx);
    const current = newNetwork && a.network === newNetwork ? NEW_NETWORK : a.network;
    const chosen = await io.pick({ step: 5, placeholder: 'Network', items, active: items.find((i) => i.value === current) });
    if (chosen.value !== NEW_NETWORK) {
      a.network = chosen.value;
      return proxy;
    }
    return async (inner) => {
      newNetwork = await inner.input({ step: 5, prompt: 'Name of the new Podman network', placeholder: 'e.g. hwc-apps', value: newNetwork, validate: (v) => validateNewNetwork(v, ctx) });
      a.network = newNetwork;
      return proxy;
    };
  };

  const proxy: Step = async (io) => {
    const unavailable = proxyUnavailable(a.ports);
    const items: Array<ValueItem<boolean>> = [
      { label: 'No reverse proxy', value: false },
      { label: 'Caddy route…', description: unavailable ?? (ctx.conventions.routesFile ? `a new entry in ${ctx.conventions.routesFile}` : `${ctx.conventions.routesFolder}/${a.name}.nix`), value: true },
    ];
    const chosen = await io.pick({ step: 6, placeholder: 'Reverse proxy', items, active: items[a.proxy ? 1 : 0], refuse: (item) => (item.value ? unavailable : undefined) });
    if (!chosen.value) {
      a.proxy = undefined;
      return secrets;
    }
    const previous = a.proxy;
    a.proxy = { domain: previous?.domain ?? `${a.name}.${ctx.conventions.domainSuffix ?? 'local'}`, tlsEmail: previous?.tlsEmail ?? '', basicAuth: previous?.basicAuth };
    return domain;
  };

  const domain: Step = async (io) => {
    a.proxy!.domain = await io.input({ step: 6, prompt: 'Domain of the route', value: a.proxy!.domain, validate: (v) => ok(validateDomain(v, ctx)) });
    return tls;
  };

  const tls: Step = async (io) => {
    a.proxy!.tlsEmail = await io.input({ step: 6, prompt: 'TLS: the ACME email for the certificate; empty for no TLS block', placeholder: 'e.g. admin@example.com', value: a.proxy!.tlsEmail, validate: (v) => ok(validateTlsEmail(v)) });
    return basicAuthUser;
  };

  const basicAuthUser: Step = async (io) => {
    const user = await io.input({ step: 6, prompt: 'Basic auth: a user name; empty for none', placeholder: 'e.g. admin', value: a.proxy!.basicAuth?.user ?? '', validate: (v) => ok(validateBasicAuthUser(v)) });
    if (!user.trim()) {
      a.proxy!.basicAuth = undefined;
      return secrets;
    }
    const hashed = a.proxy!.basicAuth?.hash ?? '';
    return async (inner) => {
      const hash = await inner.input({ step: 6, prompt: `Basic auth: the bcrypt hash of ${user.trim()}'s password (run \`caddy hash-password\`; the password itself never goes in the repository)`, placeholder: '$2a$14$…', value: hashed, validate: (v) => ok(validateBcryptHash(v)) });
      a.proxy!.basicAuth = { user: user.trim(), hash: hash.trim() };
      return secrets;
    };
  };

  const secrets: Step = async (io) => {
    const text = await io.input({
      step: 7,
      prompt: `Secrets: names of the environment variables kept in the encrypted ${a.name}-env.age, separated by spaces; empty for none`,
      placeholder: 'e.g. API_KEY DB_PASSWORD',
      value: a.secrets.join(' '),
      validate: (v) => validateSecretNames(v, ctx, a.name),
    });
    a.secrets = validateSecretNames(text, ctx, a.name).names;
    values = undefined;
    if (a.secrets.length === 0 || ctx.recipients.length === 0) return dependencies;
    values = new Map();
    return secretValue(0);
  };

  const secretValue = (index: number): Step => async (io) => {
    const key = a.secrets[index];
    const value = await io.input({
      step: 7,
      prompt: `Value of ${key} (${index + 1}/${a.secrets.length}): encrypted in memory to ${ctx.recipients.length} recipient${ctx.recipients.length === 1 ? '' : 's'}, never written in plain text`,
      password: true,
      value: values!.get(key) ?? '',
      validate: (v) => ok(validateSecretValue(v)),
    });
    values!.set(key, value);
    return index + 1 < a.secrets.length ? secretValue(index + 1) : dependencies;
  };

  const dependencies: Step = async (io) => {
    const names = dependencyItems(ctx, a.name);
    const items = names.map((n) => ({ label: n, picked: a.dependsOn.includes(n) }));
    const chosen = await io.pickMany({ step: 8, placeholder: names.length ? 'Dependencies: containers this one starts after (none is fine)' : 'Dependencies: no other containers in this workspace; press Enter', items });
    a.dependsOn = chosen.map((c) => c.label);
    return undefined;
  };

  const finished = await runSteps('HWC: New Container', TOTAL_STEPS, name);
  return finished ? { answers: a, values } : undefined;
}
