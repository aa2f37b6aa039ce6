// The New Container generator on copies of examples/homelab: media-stack, database and
// API-service containers (with and without proxy, secrets, custom network, dependencies).
// For each: apply the WorkspaceEdit like an editor would, then every new or changed file
// parses with nix-instantiate, every module among them has a shape the real evaluator and
// NixOS accept, the linter finds nothing in the new module and nothing new
// anywhere, the .age file decrypts with Debian's age to exactly the values, and no
// plaintext value is anywhere on disk.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  ageDecrypt, ageIdentity, applyWorkspaceEdit, assertModuleShape, assertParses, cleanup, filesContaining, generate, hasNix, lintFindings, newFindings, scratchWorkspace,
  setSecretsNixRecipient, sshIdentity, writeLintConfig,
} from '../fixtures/scaffold/harness.mjs';

after(cleanup);

/** Generates, applies, and checks everything the issue asks of a scaffolded container. */
async function scaffold(spec, { setup, expectNew = [] } = {}) {
  const scratch = scratchWorkspace();
  const context = (setup && setup(scratch)) || {};
  const baseline = await lintFindings(scratch.root);
  const plan = await generate(scratch.root, spec);
  const touched = applyWorkspaceEdit(plan.edit);
  // The edit and the plan's file list say the same thing.
  assert.deepEqual(touched.map((f) => path.relative(scratch.root, f)).sort(), plan.files.map((f) => f.path).sort());
  for (const file of plan.files) assert.equal(readFileSync(path.join(scratch.root, file.path), 'utf8'), file.text, `${file.path} as planned`);
  if (hasNix) {
    assertParses(touched);
    // Route files are attrsets read by `import`, not modules; everything else must have a shape NixOS accepts.
    assertModuleShape(touched.filter((f) => !f.includes('/caddy/routes/') && f.endsWith('.nix')));
  }
  const after = await lintFindings(scratch.root);
  const moduleDir = `domains/server/containers/${spec.name}/`;
  const created = plan.files.filter((f) => f.action === 'create').map((f) => f.path);
  assert.deepEqual(after.filter((f) => f.file.startsWith(moduleDir) || created.includes(f.file)), [], 'no finding in the new files');
  assert.deepEqual(newFindings(baseline, after).map((f) => f.rule).sort(), [...expectNew].sort(), 'no new finding elsewhere');
  const values = Object.values(spec.secretValues ?? {});
  assert.deepEqual(filesContaining(scratch.base, values), [], 'no plaintext secret on disk');
  return { ...scratch, ...context, plan, read: (file) => readFileSync(path.join(scratch.root, file), 'utf8') };
}

describe('media stack', () => {
  test('linuxserver image, proxy at <name>.local, depends on prowlarr, no secrets', async () => {
    const s = await scaffold({ name: 'bazarr', image: 'lscr.io/linuxserver/bazarr:1.5.1', ports: ['6767:6767'], category: 'media', proxy: {}, dependsOn: ['prowlarr'] });
    const index = s.read('domains/server/containers/bazarr/index.nix');
    assert.match(index, /imports = \[ \.\/options\.nix \];/);
    assert.match(index, /config = lib\.mkIf cfg\.enable \{/);
    assert.match(index, /"127\.0\.0\.1:\$\{toString cfg\.port\}:6767"/);
    assert.match(index, /"\/opt\/media\/bazarr:\/config"/);
    // examples/homelab sets time.timeZone on its host: the container follows it.
    assert.match(index, /PUID = "1000";\n\s+PGID = "1000";\n\s+TZ = config\.time\.timeZone;/);
    assert.match(index, /dependsOn = \[ "prowlarr" \];/);
    assert.match(index, /"d \/opt\/media\/bazarr 0755 1000 1000 -"/);
    assert.doesNotMatch(index, /environmentFiles|assertions|extraOptions/);
    const options = s.read('domains/server/containers/bazarr/options.nix');
    assert.match(options, /options\.hwc\.server\.containers\.bazarr = \{/);
    assert.match(options, /default = 6767;/);
    assert.match(options, /default = "bazarr\.local";/);
    assert.match(options, /default = "lscr\.io\/linuxserver\/bazarr:1\.5\.1";/);
    assert.match(s.read('domains/server/containers/caddy/routes/bazarr.nix'), /"\$\{cfg\.domain\}" = \{\n {4}reverse_proxy\.to = "http:\/\/localhost:\$\{toString cfg\.port\}";/);
    // In the profile: the import and the enable line land in the Media group, after qbittorrent.
    const profile = s.read('profiles/server.nix');
    assert.match(profile, /qbittorrent\/index\.nix\n {4}\.\.\/domains\/server\/containers\/bazarr\/index\.nix\n\n {4}# Databases/);
    assert.match(profile, /qbittorrent\.enable = true;\n {2}hwc\.server\.containers\.bazarr\.enable = true;\n\n {2}# Databases/);
    assert.deepEqual(s.plan.files.map((f) => `${f.action} ${f.path}`).sort(), [
      'create domains/server/containers/bazarr/index.nix',
      'create domains/server/containers/bazarr/options.nix',
      'create domains/server/containers/caddy/routes/bazarr.nix',
      'edit profiles/server.nix',
    ]);
  });

  test('no proxy: the port is published on every interface and the decision is recorded', async () => {
    const s = await scaffold({ name: 'jellyseerr', image: 'fallenbagel/jellyseerr:2.5.2', ports: ['5055:5055'], category: 'media' });
    const index = s.read('domains/server/containers/jellyseerr/index.nix');
    assert.match(index, /# hwc-lint: disable-next-line port-all-interfaces -- no reverse proxy in front: reached directly over the network\n\s+"\$\{toString cfg\.port\}:5055"/);
    assert.ok(s.plan.notes.some((n) => n.includes('published on every interface')));
    assert.doesNotMatch(s.read('domains/server/containers/jellyseerr/options.nix'), /domain/);
  });
});

describe('database', () => {
  test('mariadb: 127.0.0.1, databases category, secrets to .hwc-lint.json recipients, a new network', async () => {
    const values = { MARIADB_ROOT_PASSWORD: 'r00t-Pa55-77e1', MARIADB_PASSWORD: 'app pass with spaces=and=equals' };
    const s = await scaffold(
      { name: 'mariadb', image: 'docker.io/library/mariadb:11.4.5', ports: ['3306:3306'], network: 'hwc-maria', secrets: Object.keys(values), secretValues: values },
      { setup: ({ root, keys }) => {
        const id = ageIdentity(keys);
        writeLintConfig(root, { ageRecipients: [id.recipient] });
        return { id };
      } },
    );
    const index = s.read('domains/server/containers/mariadb/index.nix');
    assert.match(index, /"127\.0\.0\.1:\$\{toString cfg\.port\}:3306"/);
    assert.match(index, /"\/opt\/databases\/mariadb:\/var\/lib\/mysql"/);
    assert.match(index, /environmentFiles = \[ config\.age\.secrets\."mariadb-env"\.path \];/);
    assert.match(index, /assertion = !cfg\.enable \|\| config\.age\.secrets \? "mariadb-env";/);
    assert.match(index, /message = "hwc\.server\.containers\.mariadb requires secret 'mariadb-env'";/);
    assert.match(index, /extraOptions = \[ "--network=hwc-maria" \];/);
    assert.match(index, /systemd\.services\."podman-network-hwc-maria" = \{/);
    assert.match(index, /podman network create hwc-maria/);
    assert.match(index, /systemd\.services\.podman-mariadb = \{\n\s+requires = \[ "podman-network-hwc-maria\.service" \];/);
    assert.ok(s.plan.notes.some((n) => n.includes('127.0.0.1 only') && n.includes('database image')));
    assert.equal(ageDecrypt(path.join(s.root, 'domains/secrets/parts/server/mariadb-env.age'), s.id.identity), 'MARIADB_ROOT_PASSWORD=r00t-Pa55-77e1\nMARIADB_PASSWORD=app pass with spaces=and=equals\n');
    assert.match(s.read('domains/secrets/index.nix'), /paperless-env\.age;\n {4}mode = "0400";\n {2}\};\n\n {2}age\.secrets\."mariadb-env" = \{\n {4}file = \.\/parts\/server\/mariadb-env\.age;\n {4}mode = "0400";\n {2}\};\n\}/);
    // agenix learns the new file too, with the same recipients as its neighbours.
    assert.match(s.read('secrets.nix'), /paperless-env\.age"\.publicKeys = \[ server \];\n {2}"domains\/secrets\/parts\/server\/mariadb-env\.age"\.publicKeys = \[ server \];\n\}/);
    const profile = s.read('profiles/server.nix');
    assert.match(profile, /postgres\/index\.nix\n {4}\.\.\/domains\/server\/containers\/mariadb\/index\.nix\n/);
    assert.match(profile, /postgres\.enable = true;\n {2}hwc\.server\.containers\.mariadb\.enable = true;\n/);
  });

  test('redis-like database on the existing network, no published port, no secrets', async () => {
    const s = await scaffold({ name: 'valkey', image: 'docker.io/valkey/valkey:8.0.2', network: 'hwc-db', dependsOn: ['postgres'] });
    const index = s.read('domains/server/containers/valkey/index.nix');
    assert.doesNotMatch(index, /\bports =|podman-network-hwc-db" = \{/);
    assert.match(index, /"\/opt\/databases\/valkey:\/data"/);
    assert.match(index, /requires = \[ "podman-network-hwc-db\.service" \];/);
    assert.doesNotMatch(s.read('domains/server/containers/valkey/options.nix'), /port =/);
  });
});

describe('API service', () => {
  test('proxy with TLS and basic auth, secrets to the secrets.nix recipient, the hwc-db network, two dependencies', async () => {
    const values = { API_TOKEN: 'tok_9f8e7d6c5b4a', WEBHOOK_SECRET: 'whsec-0123456789' };
    const hash = '$2a$14$FE49FpJOiCicpzjOcvrcUetou6oQnl1ComMqxf.7L8xoAUXzYWYo6';
    const s = await scaffold(
      {
        name: 'api-gateway', image: 'ghcr.io/example/api-gateway:2.1.0', ports: ['8088:8080', '9090:9090'], category: 'business', network: 'hwc-db',
        proxy: { domain: 'api.example.com', tlsEmail: 'ops@example.com', basicAuth: { user: 'admin', hash } },
        secrets: Object.keys(values), secretValues: values, dependsOn: ['postgres', 'redis'],
      },
      { setup: ({ root, keys }) => {
        const id = ageIdentity(keys);
        setSecretsNixRecipient(root, id.recipient);
        return { id };
      } },
    );
    const route = s.read('domains/server/containers/caddy/routes/api-gateway.nix');
    assert.match(route, /tls = \{\n {6}email = "ops@example\.com";\n {4}\};/);
    assert.match(route, new RegExp(`admin = "${hash.replace(/\$/g, '\\$').replace(/\./g, '\\.')}";`));
    const index = s.read('domains/server/containers/api-gateway/index.nix');
    assert.match(index, /"127\.0\.0\.1:\$\{toString cfg\.port\}:8080"/);
    assert.match(index, /disable-next-line port-all-interfaces -- reached directly over the network, not through Caddy\n\s+"9090:9090"/);
    assert.match(index, /dependsOn = \[ "postgres" "redis" \];/);
    assert.match(index, /"\/opt\/business\/api-gateway:\/config"/);
    assert.equal(ageDecrypt(path.join(s.root, 'domains/secrets/parts/server/api-gateway-env.age'), s.id.identity), 'API_TOKEN=tok_9f8e7d6c5b4a\nWEBHOOK_SECRET=whsec-0123456789\n');
    assert.ok(s.plan.notes.some((n) => n.includes('1 recipient (secrets.nix)')));
    assert.ok(s.plan.notes.some((n) => n.includes('curl https://api.example.com')));
  });

  test('an ssh-ed25519 host key as the recipient (what agenix users list)', async () => {
    const values = { N8N_API_KEY: 'ssh-path-secret-42' };
    const s = await scaffold(
      { name: 'worker', image: 'ghcr.io/example/worker:0.9.1', secrets: ['N8N_API_KEY'], secretValues: values },
      { setup: ({ root, keys }) => {
        const ssh = sshIdentity(keys);
        writeLintConfig(root, { ageRecipients: [ssh.recipient] });
        return { ssh };
      } },
    );
    assert.equal(ageDecrypt(path.join(s.root, 'domains/secrets/parts/server/worker-env.age'), s.ssh.identity), 'N8N_API_KEY=ssh-path-secret-42\n');
  });

  test('host network behind the proxy: no ports, and the route to the port it listens on lints clean', async () => {
    const s = await scaffold({ name: 'home-assistant', image: 'ghcr.io/home-assistant/home-assistant:2025.1.4', ports: ['8123:8123'], network: 'host', proxy: { domain: 'ha.local' } });
    const index = s.read('domains/server/containers/home-assistant/index.nix');
    assert.match(index, /extraOptions = \[ "--network=host" \];/);
    assert.doesNotMatch(index, /\bports =/);
    assert.match(s.read('domains/server/containers/home-assistant/options.nix'), /default = 8123;\n\s+description = "Port home-assistant listens on \(host network\)";/);
    assert.doesNotMatch(s.read('domains/server/containers/caddy/routes/home-assistant.nix'), /hwc-lint/, 'no suppression needed: a host-network container publishes its port option');
  });
});

describe('secrets without values or recipients', () => {
  test('no recipients anywhere: the declaration only, and the exact age command', async () => {
    const s = await scaffold(
      { name: 'mailer', image: 'ghcr.io/example/mailer:1.0.0', secrets: ['SMTP_PASSWORD'] },
      { setup: ({ root }) => rmSync(path.join(root, 'secrets.nix')), expectNew: ['secret-file-missing'] },
    );
    assert.ok(!existsSync(path.join(s.root, 'domains/secrets/parts/server/mailer-env.age')));
    assert.match(s.read('domains/secrets/index.nix'), /age\.secrets\."mailer-env" = \{/);
    const note = s.plan.notes.find((n) => n.startsWith('Secrets:'));
    assert.match(note, /no age recipients are configured/);
    assert.match(note, /`age -r <server's age or ssh-ed25519 public key> -a -o domains\/secrets\/parts\/server\/mailer-env\.age`/);
  });

  test('recipients but no values: the command names them', async () => {
    const s = await scaffold({ name: 'mailer', image: 'ghcr.io/example/mailer:1.0.0', secrets: ['SMTP_PASSWORD'] }, { expectNew: ['secret-file-missing'] });
    const note = s.plan.notes.find((n) => n.startsWith('Secrets:'));
    assert.match(note, /`age -r age1dw29222anuscqtqnf6e29zyh5yhfkpuqjt3ht7j9n0wd3vd07egsucq724 -a -o domains\/secrets\/parts\/server\/mailer-env\.age`/);
    assert.match(note, /agenix -e domains\/secrets\/parts\/server\/mailer-env\.age/);
  });
});
