// `hwc import compose`: every fixture in test/fixtures/compose/ is imported by the real CLI
// into a copy of a clean workspace, then checked the way a user would check it: the result
// lints clean, every file parses with nix-instantiate and passes the module-shape check,
// secrets are only in the encrypted env files, the generated Nix equals the golden files,
// and — read back through the linter's own model — each container's image, ports, volumes,
// environment keys, networks and dependencies are the ones the compose file asks for
// (written by hand in each fixture's expect.json).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ageDecrypt, ageIdentity, assertParses, cleanup, engine, filesContaining, hasNix, lintFindings, loadWorkspace, repoRoot, scratchWorkspace, snapshot, writeLintConfig,
} from '../fixtures/scaffold/harness.mjs';

after(cleanup);

const fixtures = path.join(repoRoot, 'test/fixtures/compose');
const cleanWorkspace = path.join(fixtures, 'workspace');
const updateGolden = process.env.UPDATE_GOLDEN === '1';

function hwc(args, cwd) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/hwc'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the clean workspace whose secrets are encrypted to a throwaway identity. */
function target() {
  const { base, root, keys } = scratchWorkspace(cleanWorkspace);
  const id = ageIdentity(keys);
  writeLintConfig(root, { ageRecipients: [id.recipient] });
  return { base, root, identity: id.identity };
}

/** nix-instantiate evaluates the file's top level: a module with config/options/imports has nothing else. */
function assertModuleShape(file) {
  const expr = `let m = import ${file}; v = if builtins.isFunction m then m { config = {}; lib = {}; pkgs = {}; options = {}; modulesPath = ""; } else m; in builtins.attrNames v`;
  const result = spawnSync('nix-instantiate', ['--store', 'dummy://', '--eval', '--strict', '--json', '-E', expr], { encoding: 'utf8' });
  assert.equal(result.status, 0, `${file}: ${result.stderr}`);
  const names = JSON.parse(result.stdout);
  if (names.some((n) => ['config', 'options', 'imports'].includes(n))) {
    const extra = names.filter((n) => !['config', 'options', 'imports', 'meta', '_file', 'key', 'disabledModules', 'freeformType', '_class'].includes(n));
    assert.deepEqual(extra, [], `${file} mixes module keys with ${extra.join(', ')}`);
  }
}

/** What the linter's model says each container is. */
async function containersOf(root, identity) {
  const ws = await loadWorkspace(root);
  const resolver = ws.index.resolver();
  const texts = (values) => resolver.strings(values).map((s) => s.text);
  const out = {};
  for (const container of ws.index.containers()) {
    const f = container.fields;
    const options = texts(f.extraOptions);
    const envFile = path.join(root, `domains/secrets/parts/server/${container.name}-env.age`);
    const secretText = existsSync(envFile) ? ageDecrypt(envFile, identity) : '';
    const secrets = new Map(secretText.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    // A secret mounted as a file: the model knows its host side as "path of agenix secret `x`".
    const secretMounts = {};
    for (const volume of resolver.strings(f.volumes).filter((v) => v.text === null)) {
      const secret = /agenix secret `([^`]+)`/.exec(volume.parts[0]?.why ?? '')?.[1];
      const target = /^:([^:]+):ro$/.exec(typeof volume.parts[1] === 'string' ? volume.parts[1] : '')?.[1];
      assert.ok(secret && target && volume.parts.length === 2, `${container.name}: a volume that is neither known text nor a secret mount: ${JSON.stringify(volume.parts)}`);
      secretMounts[target] = secret;
    }
    out[container.name] = {
      image: texts(f.image)[0],
      ports: texts(f.ports),
      volumes: texts(f.volumes).filter((v) => v !== null),
      secretMounts,
      env: resolver.entries(f.environment).map((e) => e.key).sort(),
      envValues: Object.fromEntries(resolver.entries(f.environment).map((e) => [e.key, e.value[0]?.text])),
      secretEnv: [...secrets.keys()].sort(),
      secretValues: secrets,
      networks: options.filter((o) => o.startsWith('--network=')).map((o) => o.slice('--network='.length)),
      options: options.filter((o) => !o.startsWith('--network=')),
      dependsOn: texts(f.dependsOn),
      cmd: f.cmd ? texts(f.cmd) : undefined,
      entrypoint: f.entrypoint ? texts(f.entrypoint)[0] : undefined,
      user: f.user ? texts(f.user)[0] : undefined,
      labels: Object.fromEntries(resolver.entries(f.labels).map((e) => [e.key, e.value[0]?.text])),
    };
  }
  return out;
}

/** The secrets index as NixOS sees it (nix-instantiate evaluates it), each declared secret with its decrypted value (null: no .age file yet). */
function agenixSecretsOf(root, identity) {
  const index = path.join(root, 'domains/secrets/index.nix');
  const expr = `let m = import ${index}; v = if builtins.isFunction m then m { config = {}; lib = {}; pkgs = {}; } else m; s = (v.config or v).age.secrets; in builtins.mapAttrs (n: d: removeAttrs d [ "file" ] // { file = toString d.file; }) s`;
  const result = spawnSync('nix-instantiate', ['--store', 'dummy://', '--eval', '--strict', '--json', '-E', expr], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const out = {};
  for (const [name, declaration] of Object.entries(JSON.parse(result.stdout))) {
    const { file, ...settings } = declaration;
    out[name] = { value: existsSync(file) ? ageDecrypt(file, identity) : null, ...settings };
  }
  return out;
}

function* allFiles(dir, prefix = '') {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* allFiles(path.join(dir, entry.name), rel);
    else yield rel;
  }
}

/** The generated Nix (created and edited files) against test/fixtures/compose/<name>/expected/. */
function checkGolden(name, root, written) {
  const expectedDir = path.join(fixtures, name, 'expected');
  const nixFiles = written.filter((f) => f.endsWith('.nix')).sort();
  if (updateGolden) {
    for (const file of nixFiles) {
      mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
      writeFileSync(path.join(expectedDir, file), readFileSync(path.join(root, file), 'utf8'));
    }
    return;
  }
  assert.deepEqual(nixFiles, [...allFiles(expectedDir)].sort(), 'the written Nix files are the golden ones');
  for (const file of nixFiles) assert.equal(readFileSync(path.join(root, file), 'utf8'), readFileSync(path.join(expectedDir, file), 'utf8'), `${file} differs from the golden file`);
}

const cases = readdirSync(fixtures).filter((d) => existsSync(path.join(fixtures, d, 'expect.json'))).sort();

describe('hwc import compose: fixtures', () => {
  test('there are at least 20 fixtures', () => assert.ok(cases.length >= 20, `${cases.length} fixtures`));

  for (const name of cases) {
    test(name, async () => {
      const expect = JSON.parse(readFileSync(path.join(fixtures, name, 'expect.json'), 'utf8'));
      const { root, identity } = target();
      const compose = path.join(fixtures, name, expect.compose ?? 'compose.yaml');
      const before = snapshot(root);
      const run = hwc(['import', 'compose', compose, '--root', root, ...(expect.args ?? []).map((a) => a.replace('{fixture}', path.join(fixtures, name)))], root);
      assert.equal(run.code, expect.exit, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
      if (expect.exit !== 0) {
        assert.match(run.stderr, new RegExp(expect.stderr));
        assert.match(run.stderr, /nothing was written/);
        assert.deepEqual(snapshot(root), before, 'nothing was written');
        return;
      }
      const written = run.stdout.match(/^(?:created|edited ) (\S+)$/gm).map((l) => l.split(/\s+/)[1]);

      // Lint clean: no warning or error anywhere (known findings are listed with their reason in expect.json).
      const findings = (await lintFindings(root)).filter((f) => ['warning', 'error'].includes(engine.RULES_BY_ID.get(f.rule)?.severity ?? 'error'));
      const known = new Set(expect.knownFindings ?? []);
      const unexpected = findings.filter((f) => ![...known].some((k) => f.message.startsWith(k.split('|')[0]) && f.rule === k.split('|')[1]));
      assert.deepEqual(unexpected, [], 'the import lints clean');

      if (hasNix) {
        assertParses(written.map((f) => path.join(root, f)));
        for (const file of written.filter((f) => f.endsWith('/index.nix') || f.endsWith('/options.nix'))) assertModuleShape(path.join(root, file));
      }
      checkGolden(name, root, written);

      // Secret values are only in the encrypted files, and never printed.
      for (const value of expect.secretValues ?? []) {
        assert.deepEqual(filesContaining(root, [value]), [], `${value} is not written in plaintext`);
        assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value), 'secret values are never printed');
      }

      // Semantics: what the linter reads back equals what the compose file asks for.
      const containers = await containersOf(root, identity);
      assert.deepEqual(Object.keys(containers).sort(), Object.keys(expect.services).sort(), 'one container per imported service');
      for (const [container, want] of Object.entries(expect.services)) {
        const got = containers[container];
        for (const key of ['image', 'ports', 'volumes', 'env', 'secretEnv', 'networks', 'dependsOn']) assert.deepEqual(got[key], want[key], `${container}.${key}`);
        assert.deepEqual(got.options, want.options ?? [], `${container}: podman options`);
        for (const key of ['cmd', 'entrypoint', 'user']) assert.deepEqual(got[key], want[key], `${container}.${key}`);
        assert.deepEqual(got.labels, want.labels ?? {}, `${container}.labels`);
        assert.deepEqual(got.secretMounts, want.secretMounts ?? {}, `${container}: secrets mounted as files (target → agenix secret)`);
        for (const [k, v] of Object.entries(want.envValues ?? {})) assert.equal(got.envValues[k], v, `${container}: environment ${k}`);
        for (const [k, v] of Object.entries(want.secretValuesByKey ?? {})) assert.equal(got.secretValues.get(k), v, `${container}: secret ${k}`);
      }
      if (expect.agenixSecrets && hasNix) {
        const declared = agenixSecretsOf(root, identity);
        for (const [name, want] of Object.entries(expect.agenixSecrets)) assert.deepEqual(declared[name], want, `age.secrets.${name}: owner, group, mode and the decrypted value`);
      }
      for (const note of expect.notes ?? []) assert.ok(run.stdout.includes(note), `note: ${note}\n${run.stdout}`);
      for (const route of expect.routes ?? []) assert.ok(written.includes(`domains/server/containers/caddy/routes/${route}.nix`), `route for ${route}`);
      if (expect.network) assert.match(run.stdout, new RegExp(`on the Podman network ${expect.network}$`, 'm'));
      for (const service of expect.skipped ?? []) assert.match(run.stdout, new RegExp(`^Skipped:\\n(?:  .*\\n)*  ${service}: `, 'm'));
      for (const line of expect.untranslated ?? []) assert.ok(run.stdout.includes(`  ${line}`), `untranslated: ${line}\n${run.stdout}`);
    });
  }
});

describe('compose semantics', () => {
  const env = (vars) => ({ variables: new Map(Object.entries(vars)), unset: new Set() });

  test('interpolation: every form of the Compose specification', () => {
    const vars = env({ HOST: 'vault.example.com', EMPTY: '', PORT: '8222' });
    const cases = [
      ['https://${HOST}', 'https://vault.example.com'],
      ['$HOST:$PORT', 'vault.example.com:8222'],
      ['${EMPTY:-fallback}', 'fallback'],
      ['${EMPTY-fallback}', ''],
      ['${MISSING-fallback}', 'fallback'],
      ['${MISSING:-${HOST}}', 'vault.example.com'],
      ['${HOST:+set}', 'set'],
      ['${EMPTY:+set}', ''],
      ['${EMPTY+set}', 'set'],
      ['price: $$5 and $${HOST}', 'price: $5 and ${HOST}'],
      ['a lone $ stays', 'a lone $ stays'],
    ];
    for (const [text, expected] of cases) assert.equal(engine.interpolate(text, vars, 'test'), expected, text);
    assert.throws(() => engine.interpolate('${MISSING:?set MISSING in .env}', vars, 'services.web.image'), /services\.web\.image: required variable MISSING is not set: set MISSING in \.env/);
    assert.throws(() => engine.interpolate('${EMPTY:?}', vars, 'x'), /required variable EMPTY is empty/);
    assert.throws(() => engine.interpolate('${HOST', vars, 'x'), /without its closing/);
    assert.throws(() => engine.interpolate('${HOST/a/b}', vars, 'x'), /unknown modifier/);
    const unset = env({});
    assert.equal(engine.interpolate('${NOPE}x', unset, 'x'), 'x');
    assert.deepEqual([...unset.unset], ['NOPE'], 'an unset variable is reported');
  });

  test('interpolation never reads the process environment', () => {
    process.env.HWC_COMPOSE_TEST_LEAK = 'from-the-shell';
    try {
      assert.equal(engine.interpolate('${HWC_COMPOSE_TEST_LEAK:-default}', env({}), 'x'), 'default');
    } finally {
      delete process.env.HWC_COMPOSE_TEST_LEAK;
    }
  });

  test('.env files: export, comments, quotes, escapes, earlier variables', () => {
    const text = [
      '# a comment',
      'export USER_NAME=alice',
      'GREETING="hello ${USER_NAME}\\n"',
      "RAW='${USER_NAME} stays'",
      'PLAIN=value # trailing comment',
      'DOLLAR="cost \\$5"',
      'MULTI="line one',
      'line two"',
      '',
    ].join('\n');
    const values = engine.parseEnvFile(text, env({}), '.env');
    assert.deepEqual(Object.fromEntries(values), { USER_NAME: 'alice', GREETING: 'hello alice\n', RAW: '${USER_NAME} stays', PLAIN: 'value', DOLLAR: 'cost $5', MULTI: 'line one\nline two' });
    assert.throws(() => engine.parseEnvFile('BAD KEY=1\n', env({}), 'x.env'), /x\.env:1: `BAD KEY` is not a variable name/);
  });

  test('YAML: anchors, aliases and merge keys resolve; duplicate keys and alias bombs are refused', () => {
    const text = readFileSync(path.join(fixtures, 'anchors/compose.yaml'), 'utf8');
    const data = engine.parseComposeYaml(text, 'compose.yaml', env({}));
    assert.equal(data.services.grafana.restart, 'unless-stopped');
    assert.equal(data.services.prometheus.logging.options['max-size'], '10m');
    assert.deepEqual(Object.keys(data.services.grafana.environment).sort(), ['GF_SECURITY_ADMIN_PASSWORD', 'GF_SECURITY_ADMIN_USER', 'GF_SERVER_ROOT_URL', 'TZ']);
    assert.equal(data['x-restart'], undefined, 'extension fields are dropped');
    assert.throws(() => engine.parseComposeYaml('services:\n  a:\n    image: x:1\n  a:\n    image: y:1\n', 'c.yaml', env({})), /unique|duplicate/i);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    bomb.push('services: {}');
    assert.throws(() => engine.parseComposeYaml(bomb.join('\n'), 'c.yaml', env({})), /alias/i);
    assert.throws(() => engine.parseComposeYaml('- a\n- b\n', 'c.yaml', env({})), /not a mapping/);
  });

  test('command strings split like a shell', () => {
    assert.deepEqual(engine.splitWords(`server /data --console-address ":9001"`), ['server', '/data', '--console-address', ':9001']);
    assert.deepEqual(engine.splitWords(`sh -c 'echo "$HOME" && sleep 1'`), ['sh', '-c', 'echo "$HOME" && sleep 1']);
    assert.deepEqual(engine.splitWords(`a\\ b "c \\"d\\"" ''`), ['a b', 'c "d"', '']);
    assert.throws(() => engine.splitWords(`echo 'oops`), /unclosed single quote/);
  });

  test('ports: short and long syntax, ranges, protocols, host addresses', () => {
    const project = engine.readProject(
      engine.parseComposeYaml(
        [
          'services:',
          '  dns:',
          '    image: docker.io/pihole/pihole:2024.07.0',
          '    ports:',
          '      - "53:53/udp"',
          '      - "[::1]:8053:80"',
          '      - "127.0.0.1::81"',
          '      - 9000-9002:9000-9002',
          '      - { target: 443, published: "8443", host_ip: 0.0.0.0, protocol: tcp, mode: host }',
        ].join('\n'),
        'c.yaml',
        env({}),
      ),
    );
    assert.deepEqual(project.services[0].ports, [
      { hostIp: null, hostPorts: [53], containerPorts: [53], protocol: 'udp' },
      { hostIp: '[::1]', hostPorts: [8053], containerPorts: [80], protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPorts: null, containerPorts: [81], protocol: 'tcp' },
      { hostIp: null, hostPorts: [9000, 9001, 9002], containerPorts: [9000, 9001, 9002], protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPorts: [8443], containerPorts: [443], protocol: 'tcp' },
    ]);
    const bad = (ports) => () => engine.readProject(engine.parseComposeYaml(`services:\n  x:\n    image: a/b:1\n    ports: [${ports}]\n`, 'c.yaml', env({})));
    assert.throws(bad('"1-3:1-2"'), /differ in length/);
    assert.throws(bad('"70000:80"'), /outside 1–65535/);
    assert.throws(bad('"80:80/icmp"'), /unknown protocol/);
  });
});

describe('hwc import compose: refusals and options', () => {
  const composeOf = (name) => path.join(fixtures, name, 'compose.yaml');

  test('--env-file replaces the .env beside the file', async () => {
    const { root, identity } = target();
    const run = hwc(['import', 'compose', composeOf('interpolation'), '--root', root, '--env-file', path.join(fixtures, 'interpolation/production.env')], root);
    assert.equal(run.code, 0, run.stderr);
    const { vaultwarden } = await containersOf(root, identity);
    assert.equal(vaultwarden.image, 'docker.io/vaultwarden/server:1.32.6');
    assert.equal(vaultwarden.envValues.DOMAIN, 'https://vault.prod.example.com');
    assert.deepEqual(vaultwarden.ports, ['127.0.0.1:8222:80'], 'VW_PORT comes from .env only, which is not read');
    assert.equal(vaultwarden.secretValues.get('ADMIN_TOKEN'), 'prod-admin-token-0f3c9a');
  });

  test('a required variable that is missing stops the import (exit 2), nothing written', () => {
    const { base, root } = target();
    const folder = path.join(base, 'app');
    mkdirSync(folder);
    cpSync(path.join(fixtures, 'interpolation/compose.yaml'), path.join(folder, 'compose.yaml'));
    const before = snapshot(root);
    const run = hwc(['import', 'compose', path.join(folder, 'compose.yaml'), '--root', root], root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /services\.vaultwarden\.environment\.DOMAIN: required variable VW_HOST is not set: VW_HOST names the public host/);
    assert.deepEqual(snapshot(root), before);
  });

  test('an existing module is never overwritten: the whole import is refused', () => {
    const { root } = target();
    mkdirSync(path.join(root, 'domains/server/containers/db'), { recursive: true });
    writeFileSync(path.join(root, 'domains/server/containers/db/index.nix'), '{ ... }: { }\n');
    const before = snapshot(root);
    const run = hwc(['import', 'compose', composeOf('paperless'), '--root', root], root);
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stderr, /services\.db: .*db/);
    assert.match(run.stderr, /nothing was written/);
    assert.deepEqual(snapshot(root), before);
  });

  test('secrets without age recipients are refused instead of written in plaintext', () => {
    const { root } = target();
    writeLintConfig(root, {});
    const run = hwc(['import', 'compose', composeOf('paperless'), '--root', root], root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /POSTGRES_PASSWORD looks secret and must be encrypted, but no age recipients are configured/);
    assert.ok(!run.stderr.includes('correct-horse'));
  });

  test('--dry-run prints every file (the age files as summaries) and writes nothing', () => {
    const { root } = target();
    const before = snapshot(root);
    const run = hwc(['import', 'compose', composeOf('paperless'), '--root', root, '--dry-run'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(snapshot(root), before);
    assert.match(run.stdout, /^--- create domains\/server\/containers\/webserver\/index\.nix$/m);
    assert.match(run.stdout, /^--- a\/profiles\/server\.nix\n\+\+\+ b\/profiles\/server\.nix$/m);
    assert.match(run.stdout, /^\(age file, ASCII-armored, \d+ bytes, encrypted to 1 recipient\)$/m);
    assert.ok(!run.stdout.includes('correct-horse-battery-staple'));
  });

  test('usage errors exit 2', () => {
    const { root } = target();
    for (const [args, pattern] of [
      [['import'], /import needs a kind/],
      [['import', 'compose'], /takes one file/],
      [['import', 'compose', composeOf('paperless'), '--pin', 'db'], /--pin takes SERVICE=VALUE/],
      [['import', 'compose', composeOf('paperless'), '--pin', 'db=bad tag'], /is not an image tag/],
      [['import', 'compose', composeOf('paperless'), '--public', 'nosuch=x.example.com'], /`nosuch` is not a service/],
      [['import', 'compose', composeOf('paperless'), '--category', 'toys'], /not one of the configured categories/],
      [['import', 'compose', path.join(fixtures, 'nope.yaml')], /no such file/],
    ]) {
      const run = hwc([...args, '--root', root], root);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, pattern);
    }
  });

  test('secret files outside the compose folder are read only when --allow-read names them', async () => {
    const { base, root, identity } = target();
    const app = path.join(base, 'app');
    const shared = path.join(base, 'shared');
    mkdirSync(app);
    mkdirSync(shared);
    writeFileSync(path.join(shared, 'db_password.txt'), 'shared-db-pass-7Hq2\n');
    writeFileSync(path.join(shared, 'api_key'), 'shared-api-key-Zx91');
    // A link inside the folder whose target is outside it counts as outside.
    symlinkSync(path.join(shared, 'api_key'), path.join(app, 'api_key'));
    writeFileSync(
      path.join(app, 'compose.yaml'),
      [
        'services:',
        '  api:',
        '    image: ghcr.io/example/api:2.1.0',
        '    environment:',
        '      DB_PASSWORD_FILE: /run/secrets/db_password',
        '    secrets: [db_password, api_key]',
        'secrets:',
        '  db_password:',
        '    file: ../shared/db_password.txt',
        '  api_key:',
        '    file: ./api_key',
        '',
      ].join('\n'),
    );
    const before = snapshot(root);
    const asked = hwc(['import', 'compose', path.join(app, 'compose.yaml'), '--root', root], root);
    assert.equal(asked.code, 1, asked.stderr);
    assert.match(asked.stderr, /these secret files lie outside the compose file's folder/);
    assert.match(asked.stderr, new RegExp(`^  db_password: ${shared}/db_password\\.txt    --allow-read ${shared}/db_password\\.txt$`, 'm'));
    assert.match(asked.stderr, new RegExp(`^  api_key: ${app}/api_key \\(a link to ${shared}/api_key\\)    --allow-read ${app}/api_key$`, 'm'));
    assert.match(asked.stderr, /nothing was read or written/);
    assert.deepEqual(snapshot(root), before, 'nothing was written');
    for (const value of ['shared-db-pass-7Hq2', 'shared-api-key-Zx91']) assert.ok(!asked.stdout.includes(value) && !asked.stderr.includes(value));

    const allowed = hwc(['import', 'compose', path.join(app, 'compose.yaml'), '--root', root, '--allow-read', shared], root);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(ageDecrypt(path.join(root, 'domains/secrets/parts/server/api-db-password.age'), identity), 'shared-db-pass-7Hq2\n');
    assert.equal(ageDecrypt(path.join(root, 'domains/secrets/parts/server/api-key.age'), identity), 'shared-api-key-Zx91');
    assert.deepEqual(filesContaining(root, ['shared-db-pass-7Hq2', 'shared-api-key-Zx91']), []);
    for (const value of ['shared-db-pass-7Hq2', 'shared-api-key-Zx91']) assert.ok(!allowed.stdout.includes(value) && !allowed.stderr.includes(value));
  });

  test('a secret file that is a FIFO or a device is refused, never read', { timeout: 20_000 }, () => {
    const { base, root } = target();
    const fifo = path.join(base, 'token');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const compose = (file) => `services:\n  app:\n    image: ghcr.io/example/app:1.0.0\n    secrets: [token]\nsecrets:\n  token:\n    file: ${file}\n`;
    writeFileSync(path.join(base, 'compose.yaml'), compose('./token'));
    const before = snapshot(root);
    const pipe = hwc(['import', 'compose', path.join(base, 'compose.yaml'), '--root', root], root);
    assert.equal(pipe.code, 2, pipe.stderr);
    assert.match(pipe.stderr, /secrets\.token\.file: \.\/token: a FIFO, not a file/);
    writeFileSync(path.join(base, 'compose.yaml'), compose('/dev/zero'));
    const device = hwc(['import', 'compose', path.join(base, 'compose.yaml'), '--root', root], root);
    assert.equal(device.code, 1, 'outside the folder: asked first');
    const forced = hwc(['import', 'compose', path.join(base, 'compose.yaml'), '--root', root, '--allow-read', '/dev/zero'], root);
    assert.equal(forced.code, 2, forced.stderr);
    assert.match(forced.stderr, /secrets\.token\.file: \/dev\/zero: a device, not a file/);
    assert.deepEqual(snapshot(root), before);
  });

  test('secret files without age recipients are refused instead of written in plaintext', () => {
    const { root } = target();
    writeLintConfig(root, {});
    const run = hwc(['import', 'compose', composeOf('secrets-external'), '--root', root], root);
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stderr, /secrets n8n_encryption_key must be encrypted, but no age recipients are configured/);
    assert.ok(!run.stderr.includes('q7Vd2pXk9LmZ3sWb8RtY4nHc6Jf1Ge5A'));
  });

  test('secrets: a name no service declares, and two settings for one secret in one service, are refused', () => {
    const { base, root } = target();
    const file = path.join(base, 'compose.yaml');
    writeFileSync(file, 'services:\n  app:\n    image: ghcr.io/example/app:1.0.0\n    secrets: [missing]\n');
    let run = hwc(['import', 'compose', file, '--root', root], root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /services\.app\.secrets\[0\]: `missing` is not declared under the top-level `secrets:`/);
    writeFileSync(file, 'services:\n  app:\n    image: ghcr.io/example/app:1.0.0\n    secrets:\n      - token\n      - { source: token, target: /etc/token, uid: "1000" }\nsecrets:\n  token:\n    external: true\n');
    run = hwc(['import', 'compose', file, '--root', root], root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /`token` is used twice with different uid, gid or mode/);
  });

  test('a depends_on cycle is refused', () => {
    const { base, root } = target();
    const file = path.join(base, 'compose.yaml');
    writeFileSync(file, 'services:\n  a:\n    image: a/a:1\n    depends_on: [b]\n  b:\n    image: b/b:1\n    depends_on: [a]\n');
    const run = hwc(['import', 'compose', file, '--root', root], root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /depends_on forms a cycle: a → b → a/);
  });

  test('control characters from the compose file reach the terminal escaped', () => {
    const { base, root } = target();
    const file = path.join(base, 'compose.yaml');
    writeFileSync(file, 'services:\n  app:\n    image: "evil/app:1\\u001b[2J"\n');
    const run = hwc(['import', 'compose', file, '--root', root], root);
    assert.equal(run.code, 2, 'the image is refused');
    assert.ok(!run.stdout.includes('\u001b') && !run.stderr.includes('\u001b'), 'no raw escape character');
    assert.ok(run.stderr.includes('evil/app:1\\x1b[2J'), `shown escaped: ${run.stderr}`);
  });
});

describe('bad input never crashes the import', () => {
  test('every value of every fixture replaced by a wrong shape: a readable refusal or a plan, never an internal error', async () => {
    const { root } = target();
    const ws = await loadWorkspace(root);
    const view = { root, config: ws.config, index: ws.index, files: engine.diskFileAccess(root) };
    const { parseDocument } = await import('yaml');
    const wrongShapes = [null, 42, true, '', 'x:y:z', [], [null], {}, { nested: [1] }, '${', '/abs', '../..'];
    // A seeded generator: the same cases on every run.
    let seed = 17;
    const random = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let refused = 0;
    let planned = 0;
    for (const name of cases.filter((c) => existsSync(path.join(fixtures, c, 'compose.yaml')) && c !== 'multi-document')) {
      const text = readFileSync(path.join(fixtures, name, 'compose.yaml'), 'utf8');
      for (let round = 0; round < 12; round++) {
        const doc = parseDocument(text, { merge: true });
        const paths = [];
        const walk = (node, at) => {
          if (node && typeof node === 'object' && 'items' in node) {
            node.items.forEach((item, i) => {
              const key = item.key !== undefined ? String(item.key?.value ?? item.key) : i;
              paths.push([...at, key]);
              walk(item.value !== undefined ? item.value : item, [...at, key]);
            });
          }
        };
        walk(doc.contents, []);
        const victim = paths[random(paths.length)];
        doc.setIn(victim, wrongShapes[random(wrongShapes.length)]);
        let mutated;
        try {
          mutated = doc.toString();
        } catch {
          continue; // the replaced value held an anchor that an alias still needs: not a YAML text
        }
        const input = {
          file: 'compose.yaml', text: mutated, envFiles: [{ name: 'fuzz.env', text: 'DB_PASSWORD=fuzz-secret-1\n' }], readRelative: () => 'A=1\n',
          folderName: name, pins: new Map(), publicDomains: new Map(), profiles: [],
        };
        try {
          await engine.importCompose(input, view);
          planned++;
        } catch (error) {
          assert.ok(error instanceof engine.ComposeError || error instanceof engine.ScaffoldError, `${name} with ${victim.join('.')} replaced: ${error.stack}`);
          assert.ok(error.message.length > 0);
          refused++;
        }
      }
    }
    assert.ok(refused > 0 && planned > 0, `${refused} refused, ${planned} planned`);
  });
});
