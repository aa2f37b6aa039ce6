// snippets/nix.json: well-formed, every expansion (all defaults accepted) is valid Nix for the real
// parser, and follows the house rules the linter enforces (pinned tags, /opt/<category>/<name>
// with its tmpfiles rule, localhost databases, secrets paired with assertions, PUID/PGID …).

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  SNIPPETS_FILE, SnippetSyntaxError, UNTITLED_VARIABLES, expandSnippet, fileVariables, parseSnippet,
} from '../fixtures/snippets/expand.mjs';
import { SNIPPET_CONTEXTS, expandInContext } from '../fixtures/snippets/contexts.mjs';

const CATEGORIES = ['media', 'services', 'databases', 'monitoring', 'business'];
const DATABASE_IMAGE = /(?:^|\/)(?:postgres|postgis|mysql|mariadb|mongo|redis|valkey|keydb|memcached|influxdb|clickhouse|cassandra|couchdb|elasticsearch|opensearch|timescaledb|neo4j)[:@]/;
const LINUXSERVER_IMAGE = /(?:^|\/)linuxserver\//;
const SECRET_KEY = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL/i;

const snippets = JSON.parse(readFileSync(SNIPPETS_FILE, 'utf8'));
const entries = Object.entries(snippets);
const bodyText = (snippet) => (Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body);

const nixInstantiate = spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' });
const hasNix = nixInstantiate.status === 0;
const outDir = mkdtempSync(path.join(os.tmpdir(), 'hwc-snippets-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

describe('snippet expander', () => {
  const expand = (text, options) => expandSnippet(text, options);

  test('tab stops, placeholders and $0', () => {
    assert.equal(expand('a $1 ${2:b} c$0'), 'a  b c');
    assert.equal(expand('${0:end}'), 'end');
  });

  test('the first placeholder with a value fills every mirror of its index', () => {
    assert.equal(expand('${1:x} $1 ${1}'), 'x x x');
    assert.equal(expand('$1-${1:x}'), 'x-x');
    assert.equal(expand('${1:x} ${1:y}'), 'x x');
  });

  test('nested placeholders', () => {
    assert.equal(expand('${1:a ${2:b}} $2'), 'a b b');
    assert.equal(expand('${1:name} ${2:lscr.io/$1}'), 'name lscr.io/name');
  });

  test('choices take their first option, mirrors follow', () => {
    assert.equal(expand('${1|one,two|} $1'), 'one one');
    assert.equal(expand('${1|a\\,b,c|}'), 'a,b');
  });

  test('escapes', () => {
    assert.equal(expand('\\${x\\} \\\\ \\$'), '${x} \\ $');
    assert.equal(expand('${1:a\\}b}'), 'a}b');
    assert.equal(expand('{ a = 1; } \\n'), '{ a = 1; } \\n');
  });

  test('variables: given, known but empty, unknown', () => {
    const variables = { TM_FILENAME_BASE: 'sonarr' };
    assert.equal(expand('$TM_FILENAME_BASE ${TM_FILENAME_BASE:x}', { variables }), 'sonarr sonarr');
    assert.equal(expand('[${TM_DIRECTORY:dir}]', { variables }), '[]');
    assert.equal(expand('${UNKNOWN_VAR:def} $UNKNOWN_VAR'), 'def UNKNOWN_VAR');
    assert.equal(expand('${1:$TM_FILENAME_BASE}-$1', { variables }), 'sonarr-sonarr');
  });

  test('transforms on variables and tab stops', () => {
    const folder = '${TM_DIRECTORY/^(?:.*[^\\w-])?([\\w-]*)$/${1:-fallback}/}';
    assert.equal(expand(folder, { variables: { TM_DIRECTORY: '/ws/domains/server/containers/sonarr' } }), 'sonarr');
    assert.equal(expand(folder, { variables: { TM_DIRECTORY: 'C:\\ws\\containers\\my-app' } }), 'my-app');
    assert.equal(expand(folder, { variables: { TM_DIRECTORY: '' } }), 'fallback');
    assert.equal(expand('${1:foo}${1/(.*)/${1:/upcase}/}'), 'fooFOO');
    assert.equal(expand('${1:foo}${1/(x)?/${1:?yes:no}/}'), 'foonofoo');
    assert.equal(expand('${1:a-b}${1/-/_/g}'), 'a-ba_b');
  });

  test('leading tabs become the given indentation', () => {
    assert.equal(expand(['{', '\tx = {', '\t\ty = 1;', '\t};', '}'], { indent: '  ' }), '{\n  x = {\n    y = 1;\n  };\n}');
  });

  test('malformed syntax and unescaped dollars are errors', () => {
    for (const bad of ['"${toString x}"', 'cost $ 5', '${1:a', '${1|a,,b|}', '${1|a,b}', '${TM_DIRECTORY/(/x/}']) {
      assert.throws(() => parseSnippet(bad), SnippetSyntaxError, bad);
    }
  });
});

describe('snippets/nix.json', () => {
  test('every snippet has a prefix (hwc-…, unique), a body and a description', () => {
    assert.ok(entries.length > 0, 'no snippets');
    const seen = new Map();
    for (const [name, snippet] of entries) {
      assert.equal(typeof snippet.prefix, 'string', `${name}: prefix`);
      assert.match(snippet.prefix, /^hwc-[a-z0-9-]+$/, `${name}: prefix`);
      assert.ok(!seen.has(snippet.prefix), `${name}: prefix ${snippet.prefix} also used by ${seen.get(snippet.prefix)}`);
      seen.set(snippet.prefix, name);
      assert.equal(typeof snippet.description, 'string', `${name}: description`);
      assert.ok(snippet.description.trim().length > 20, `${name}: description too short`);
      const body = Array.isArray(snippet.body) ? snippet.body : [snippet.body];
      assert.ok(body.length > 0 && body.every((line) => typeof line === 'string'), `${name}: body`);
      assert.ok(bodyText(snippet).trim(), `${name}: empty body`);
    }
  });

  test('every snippet parses as VS Code snippet syntax, without conflicting defaults', () => {
    for (const [name, snippet] of entries) {
      let nodes;
      assert.doesNotThrow(() => { nodes = parseSnippet(bodyText(snippet)); }, `${name}`);
      const defaults = new Map();
      let finalStops = 0;
      const visit = (list) => {
        for (const node of list) {
          if (node.type === 'tabstop' && node.index === 0) finalStops += 1;
          const value = node.type === 'choice' ? node.options.join('|')
            : node.type === 'tabstop' && node.children.length > 0 ? JSON.stringify(node.children) : undefined;
          if (value !== undefined && node.index !== 0) {
            if (defaults.has(node.index)) {
              assert.equal(value, defaults.get(node.index), `${name}: $${node.index} has two different defaults; give it once and mirror it`);
            }
            defaults.set(node.index, value);
          }
          if (node.type === 'choice' && node.options.includes('media') && node.options.includes('services')) {
            assert.deepEqual([...node.options].sort(), [...CATEGORIES].sort(), `${name}: a category choice lists the five categories`);
          }
          if (node.children) visit(node.children);
        }
      };
      visit(nodes);
      assert.ok(finalStops <= 1, `${name}: more than one $0`);
      assert.ok(defaults.size > 0 || /\$0/.test(bodyText(snippet)), `${name}: no tab stop at all`);
    }
  });

  test('every snippet has a context in test/fixtures/snippets/contexts.mjs, and only file snippets are file templates', () => {
    const prefixes = new Set(entries.map(([, snippet]) => snippet.prefix));
    for (const [name, snippet] of entries) {
      const context = SNIPPET_CONTEXTS[snippet.prefix];
      assert.ok(context, `${name}: add ${snippet.prefix} to SNIPPET_CONTEXTS`);
      assert.equal(Boolean(snippet.isFileTemplate), context.kind === 'file', `${name}: isFileTemplate vs context kind ${context.kind}`);
    }
    for (const prefix of Object.keys(SNIPPET_CONTEXTS)) {
      assert.ok(prefixes.has(prefix), `SNIPPET_CONTEXTS has ${prefix}, which no snippet uses`);
    }
  });

  test('the file templates take the container name from the file they fill', () => {
    for (const [name, snippet] of entries) {
      const context = SNIPPET_CONTEXTS[snippet.prefix];
      if (context?.kind !== 'file') continue;
      const expected = context.path.includes('/routes/')
        ? path.posix.basename(context.path, '.nix')
        : path.posix.basename(path.posix.dirname(context.path));
      for (const moduleName of ['hwc-lint-test-a', 'other-app']) {
        const moved = context.path.replace(expected, moduleName);
        const text = expandSnippet(snippet.body, { variables: fileVariables(moved) });
        const names = [...text.matchAll(/hwc\.server\.containers\.([\w-]+)/g)].map((m) => m[1]);
        assert.ok(names.length > 0 && names.every((n) => n === moduleName), `${name} in ${moved}: ${names.join(', ')}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Per snippet: expand with defaults (in its own file, and in an unsaved editor), parse, check.

const stripComments = (text) => text.replace(/(^|[ \t])#[^\n]*/g, '$1');
const quoted = (text) => [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]);

function imageProblems(text) {
  const problems = [];
  const refs = [];
  for (const m of text.matchAll(/\bimage\s*=\s*([^;\n]*)/g)) {
    const value = m[1].trim();
    const literal = value.match(/^"([^"]*)"$/);
    if (literal) {
      refs.push(literal[1]);
    } else if (value.startsWith('lib.mkOption')) {
      const option = text.slice(m.index).match(/^image\s*=\s*lib\.mkOption\s*\{[^}]*?\bdefault\s*=\s*"([^"]*)"/);
      if (option) refs.push(option[1]);
      else problems.push('the image option has no literal default');
    } else if (value !== 'cfg.image') {
      problems.push(`image = ${value} is neither a literal, an option nor cfg.image`);
    }
  }
  for (const ref of refs) {
    if (/@sha256:[0-9a-f]{64}$/.test(ref)) continue;
    const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
    const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
    if (tag === undefined) problems.push(`image ${ref} has no tag (implicit latest)`);
    else if (tag === '' || tag === 'latest') problems.push(`image ${ref} is not pinned to a tag`);
  }
  return { problems, refs };
}

// The house rules each expansion follows; `subject` is what one expansion offers to check.
const HOUSE_RULES = {
  'images are pinned to a tag, never latest': ({ label, expansion, images }) => {
    assert.doesNotMatch(expansion, /:latest\b/, `${label}: contains :latest`);
    assert.deepEqual(images.problems, [], `${label}: images`);
  },

  'state lives in /opt/<category>/<name> of its own container, with its tmpfiles rule': ({ label, text, containerNames }) => {
    const tmpfiles = new Set(quoted(text).filter((s) => s.startsWith('d /opt/')));
    for (const [optPath] of text.matchAll(/\/opt\/[^\s":]*/g)) {
      const parts = optPath.match(/^\/opt\/([^/]+)\/([a-z0-9][a-z0-9-]*)(\/[^\s":]*)?$/);
      assert.ok(parts, `${label}: ${optPath} is not /opt/<category>/<name>`);
      const [, category, owner] = parts;
      assert.ok(CATEGORIES.includes(category), `${label}: ${optPath}: unknown category ${category}`);
      if (containerNames.size > 0) {
        assert.ok(containerNames.has(owner), `${label}: ${optPath} belongs to no container of the snippet (${[...containerNames]})`);
      }
      assert.ok(tmpfiles.has(`d /opt/${category}/${owner} 0755 1000 1000 -`), `${label}: no tmpfiles rule creates /opt/${category}/${owner}`);
    }
    // podman refuses a bind mount whose source is missing: sub-folders need their own rule.
    for (const volume of quoted(text).filter((s) => s.startsWith('/opt/') && s.includes(':'))) {
      const hostPath = volume.slice(0, volume.indexOf(':'));
      assert.ok(tmpfiles.has(`d ${hostPath} 0755 1000 1000 -`), `${label}: no tmpfiles rule creates the mounted ${hostPath}`);
    }
  },

  'a secret path comes with an assertion on that secret': ({ label, text }) => {
    for (const [, secret] of text.matchAll(/config\.age\.secrets\."([^"]+)"\.path/g)) {
      const asserted = text.includes(`config.age.secrets ? "${secret}"`) || text.includes(`config.age.secrets."${secret}".path != null`);
      assert.ok(asserted && /\bassertions\s*=/.test(text), `${label}: config.age.secrets."${secret}".path without an assertion`);
    }
  },

  'ports are well-formed, databases publish on localhost only': ({ label, text, images }) => {
    const ports = [...text.matchAll(/\bports\s*=\s*\[([^\]]*)\]/g)].flatMap((m) => quoted(m[1]));
    for (const port of ports) {
      assert.match(port, /^(?:(?:\d{1,3}\.){3}\d{1,3}:|\[[0-9a-f:]+\]:)?(?:[^:]+:)?[^:]+$/, `${label}: ports entry ${port}`);
    }
    if (images.refs.some((ref) => DATABASE_IMAGE.test(ref))) {
      for (const port of ports) assert.match(port, /^(?:127\.0\.0\.1|\[::1\]):/, `${label}: database port ${port} not bound to localhost`);
    }
  },

  'linuxserver.io images get PUID/PGID, not root': ({ label, text, images, containerNames }) => {
    if (!images.refs.some((ref) => LINUXSERVER_IMAGE.test(ref)) || containerNames.size === 0) return;
    assert.match(text, /\bPUID\s*=\s*"[1-9]\d*"/, `${label}: linuxserver image without PUID`);
    assert.match(text, /\bPGID\s*=\s*"[1-9]\d*"/, `${label}: linuxserver image without PGID`);
  },

  'no secret literals': ({ label, text }) => {
    for (const [, key, value] of text.matchAll(/\b([A-Za-z0-9_]+)\s*=\s*"([^"]*)"/g)) {
      const isSecret = SECRET_KEY.test(key) && !/_FILE$/i.test(key) && value && !/^\/run\/(agenix|secrets)\//.test(value);
      assert.ok(!isSecret, `${label}: secret-looking ${key} holds a literal`);
    }
  },

  'in a container module, containers and tmpfiles sit under lib.mkIf cfg.enable': ({ label, source, context }) => {
    if (!/^domains\/server\/containers\/(?!caddy\/)/.test(context.path)) return;
    const code = stripComments(source);
    const firstDefinition = code.search(/virtualisation\.oci-containers|systemd\.tmpfiles/);
    if (firstDefinition < 0) return;
    const guard = code.search(/config\s*=\s*lib\.mkIf cfg\.enable\s*\{/);
    assert.ok(guard >= 0 && guard < firstDefinition, `${label}: definitions outside lib.mkIf cfg.enable`);
  },
};

function houseRuleSubject(label, { expansion, source }, context) {
  const text = stripComments(expansion);
  return {
    label,
    expansion,
    source,
    context,
    text,
    images: imageProblems(text),
    containerNames: new Set([...text.matchAll(/virtualisation\.oci-containers\.containers\.([\w-]+)/g)].map((m) => m[1])),
  };
}

function parseWithNix(file) {
  const result = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', file], { encoding: 'utf8' });
  return { ok: result.status === 0, stderr: result.stderr };
}

const variants = [
  { name: 'in its file', variables: undefined },
  { name: 'in an unsaved editor', variables: UNTITLED_VARIABLES },
];

for (const [name, snippet] of entries) {
  describe(`${snippet.prefix} (${name})`, () => {
    for (const variant of variants) {
      const label = `${snippet.prefix} ${variant.name}`;
      const expanded = () => expandInContext(snippet, { variables: variant.variables });

      test(`${variant.name}: the expansion is valid Nix (nix-instantiate --parse)`, { skip: !hasNix && 'nix-instantiate is not installed' }, () => {
        const { source } = expanded();
        const file = path.join(outDir, `${snippet.prefix}.${variant.variables ? 'untitled' : 'file'}.nix`);
        writeFileSync(file, source);
        const { ok, stderr } = parseWithNix(file);
        assert.ok(ok, `${label}: nix-instantiate rejected ${file}:\n${stderr}\n${source}`);
      });

      test(`${variant.name}: the expansion follows the house rules`, async (t) => {
        const subject = houseRuleSubject(label, expanded(), SNIPPET_CONTEXTS[snippet.prefix]);
        for (const [rule, check] of Object.entries(HOUSE_RULES)) {
          await t.test(rule, () => check(subject));
        }
      });
    }
  });
}
