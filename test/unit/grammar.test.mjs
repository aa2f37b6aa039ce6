// Tokenizes Nix with the real TextMate engine VS Code uses (vscode-textmate +
// vscode-oniguruma) and checks the scopes our grammar gives to chosen tokens.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = fileURLToPath(new URL('../../', import.meta.url));
const grammarPath = path.join(root, 'syntaxes/nix.tmLanguage.json');
const fixtureDir = path.join(root, 'test/fixtures/grammar');
const rawGrammar = JSON.parse(readFileSync(grammarPath, 'utf8'));
const languageConfiguration = JSON.parse(readFileSync(path.join(root, 'language-configuration.json'), 'utf8'));

const wasm = readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === 'source.nix' ? textmate.parseRawGrammar(JSON.stringify(rawGrammar), grammarPath) : null,
});
const grammar = await registry.loadGrammar('source.nix');

// VS Code's standard token types (what bracket matching and auto-closing look at).
const TokenType = { Other: 0, Comment: 1, String: 2 };

/** Tokenizes `text`, carrying the rule stack from line to line as an editor does. */
function tokenize(text) {
  const lines = [];
  let stack = textmate.INITIAL;
  let binaryStack = textmate.INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, stack);
    const binary = grammar.tokenizeLine2(line, binaryStack);
    stack = result.ruleStack;
    binaryStack = binary.ruleStack;
    const tokens = result.tokens.map((t) => ({
      start: t.startIndex,
      end: t.endIndex,
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
      type: standardTypeAt(binary.tokens, t.startIndex),
    }));
    lines.push({ text: line, tokens });
  }
  return { lines, finalStack: stack };
}

function standardTypeAt(binaryTokens, offset) {
  let metadata = binaryTokens[1];
  for (let i = 0; i < binaryTokens.length; i += 2) {
    if (binaryTokens[i] <= offset) metadata = binaryTokens[i + 1];
  }
  return (metadata & 0x300) >>> 8;
}

const fixtures = Object.fromEntries(
  readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.nix'))
    .map((name) => [name, readFileSync(path.join(fixtureDir, name), 'utf8')]),
);
const moduleDoc = tokenize(fixtures['container-module.nix']);
const libDoc = tokenize(fixtures['container-lib.nix']);

/**
 * The tokens covering `needle` on the one line containing `lineText` (a string, or a
 * RegExp the line must match). `nth` picks a later occurrence of the needle: a number
 * counts occurrences, a string starts the search after that text.
 */
function tokensOf(doc, lineText, needle, nth = 0) {
  const isLine = (text) => (lineText instanceof RegExp ? lineText.test(text) : text.includes(lineText));
  const matching = doc.lines.filter((l) => isLine(l.text));
  assert.equal(matching.length, 1, `expected exactly one line matching ${lineText}`);
  const line = matching[0];
  let column = lineText instanceof RegExp ? -1 : line.text.indexOf(lineText) - 1;
  if (typeof nth === 'string') {
    const anchor = line.text.indexOf(nth, column + 1);
    assert.notEqual(anchor, -1, `${JSON.stringify(nth)} not found in ${JSON.stringify(line.text)}`);
    column = anchor + nth.length - 1;
    nth = 0;
  }
  for (let i = 0; i <= nth; i++) {
    column = line.text.indexOf(needle, column + 1);
    assert.notEqual(column, -1, `${JSON.stringify(needle)} #${nth} not found in ${JSON.stringify(line.text)}`);
  }
  const end = column + needle.length;
  return line.tokens.filter((t) => t.start < end && t.end > column);
}

/** The single token that is exactly `needle`. */
function tokenOf(doc, lineText, needle, nth = 0) {
  const tokens = tokensOf(doc, lineText, needle, nth);
  assert.equal(tokens.length, 1, `${JSON.stringify(needle)} spans ${tokens.length} tokens: ${JSON.stringify(tokens.map((t) => t.text))}`);
  assert.equal(tokens[0].text, needle, `token is ${JSON.stringify(tokens[0].text)}, not ${JSON.stringify(needle)}`);
  return tokens[0];
}

const hasScope = (token, scope) => token.scopes.some((s) => s === scope || s.startsWith(scope + '.'));

/** Every character of `needle` carries `scope` (or a scope under it). */
function assertScope(doc, lineText, needle, scope, nth = 0) {
  for (const token of tokensOf(doc, lineText, needle, nth)) {
    assert.ok(hasScope(token, scope), `${JSON.stringify(token.text)} in ${JSON.stringify(lineText)} lacks ${scope}: ${token.scopes.join(' ')}`);
  }
}

function assertNoScope(doc, lineText, needle, scope, nth = 0) {
  for (const token of tokensOf(doc, lineText, needle, nth)) {
    assert.ok(!hasScope(token, scope), `${JSON.stringify(token.text)} in ${JSON.stringify(lineText)} has ${scope}: ${token.scopes.join(' ')}`);
  }
}

/** Scopes pushed inside the innermost interpolation (after its meta.embedded). */
function scopesInsideInterpolation(token) {
  const at = token.scopes.findLastIndex((s) => s.startsWith('meta.embedded'));
  assert.notEqual(at, -1, `${JSON.stringify(token.text)} is not inside an interpolation: ${token.scopes.join(' ')}`);
  return token.scopes.slice(at + 1);
}

describe('grammar file', () => {
  test('declares source.nix and resolves every #include to a repository rule', () => {
    assert.equal(rawGrammar.scopeName, 'source.nix');
    const includes = [];
    (function walk(node) {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        if (typeof node.include === 'string') includes.push(node.include);
        Object.values(node).forEach(walk);
      }
    })(rawGrammar);
    assert.ok(includes.length > 20);
    for (const include of includes) {
      assert.match(include, /^#/, `external include ${include}`);
      assert.ok(include.slice(1) in rawGrammar.repository, `unresolved include ${include}`);
    }
  });

  test('every match/begin/end regex compiles with Oniguruma', () => {
    const regexes = [];
    (function walk(node) {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const key of ['match', 'begin', 'end']) if (typeof node[key] === 'string') regexes.push(node[key]);
        Object.values(node).forEach(walk);
      }
    })(rawGrammar);
    assert.ok(regexes.length > 40);
    for (const source of regexes) {
      assert.doesNotThrow(() => new oniguruma.OnigScanner([source]).dispose(), `bad regex ${source}`);
    }
  });
});

describe('fixtures', () => {
  test('are valid Nix according to nix-instantiate --parse', (t) => {
    const probe = spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' });
    if (probe.error) return t.skip('nix-instantiate is not installed');
    for (const name of Object.keys(fixtures)) {
      const run = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', path.join(fixtureDir, name)], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
    }
  });

  test('every fixture ends tokenization back at the root rule stack', () => {
    const rootStack = grammar.tokenizeLine('', textmate.INITIAL).ruleStack;
    assert.ok(Object.keys(fixtures).length >= 2);
    for (const [name, text] of Object.entries(fixtures)) {
      const { finalStack, lines } = tokenize(text);
      assert.equal(finalStack.depth, 1, `${name} ends ${finalStack.depth - 1} rule(s) deep`);
      assert.ok(finalStack.equals(rootStack), `${name} ends in a non-root state`);
      // No line is left with unscoped text at the top level except whitespace.
      for (const line of lines) {
        for (const token of line.tokens) {
          if (token.scopes.length === 1) assert.match(token.text, /^\s*$/, `unscoped ${JSON.stringify(token.text)}`);
        }
      }
    }
  });
});

describe('NixOS container module fixture', () => {
  const doc = moduleDoc;

  test('binding names are attribute names, including dotted and quoted paths', () => {
    assert.ok(hasScope(tokenOf(doc, 'image = "docker.io', 'image'), 'entity.other.attribute-name.nix'));
    for (const segment of ['virtualisation', 'oci-containers', 'containers', 'jellyfin']) {
      const token = tokenOf(doc, 'virtualisation.oci-containers', segment, segment === 'containers' ? 'oci-containers.' : 0);
      assert.ok(hasScope(token, 'entity.other.attribute-name.nix'), segment);
    }
    assertScope(doc, '"TZ" = config', '"TZ"', 'entity.other.attribute-name.nix');
    assertScope(doc, 'environment.etc."hwc/jellyfin.json"', '"hwc/jellyfin.json"', 'entity.other.attribute-name.nix');
    assert.ok(hasScope(tokenOf(doc, 'environment.etc."hwc/jellyfin.json"', 'text'), 'entity.other.attribute-name.nix'));
    // The value side is an expression, not a name.
    assert.ok(hasScope(tokenOf(doc, 'cfg = config.hwc', 'config'), 'variable.other.nix'));
  });

  test('interpolation in a string is embedded code, not string', () => {
    const line = 'ports = [ "127.0.0.1:${toString cfg.port}:8096" ];';
    assert.ok(hasScope(tokenOf(doc, line, '${'), 'punctuation.section.embedded.begin.nix'));
    assert.ok(hasScope(tokenOf(doc, line, '}'), 'punctuation.section.embedded.end.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'toString'), 'support.function.builtin.nix'));
    const cfg = tokenOf(doc, line, 'cfg');
    assert.ok(hasScope(cfg, 'meta.embedded'));
    assert.ok(hasScope(cfg, 'variable.other.nix'));
    assert.deepEqual(scopesInsideInterpolation(cfg).filter((s) => s.startsWith('string')), []);
    assert.equal(cfg.type, TokenType.Other, 'VS Code must not treat interpolated code as string');
    const literal = tokenOf(doc, line, '127.0.0.1:');
    assert.ok(hasScope(literal, 'string.quoted.double.nix'));
    assert.equal(literal.type, TokenType.String);
    assertScope(doc, line, ':8096', 'string.quoted.double.nix');
    assertNoScope(doc, line, ':8096', 'meta.embedded');
  });

  test('interpolation holds nested expressions, strings and `or`', () => {
    const line = '"https://media.${args.hostName or "lan"}.home"';
    assert.ok(hasScope(tokenOf(doc, line, 'or'), 'keyword.other.or.nix'));
    const lan = tokenOf(doc, line, 'lan');
    assert.deepEqual(scopesInsideInterpolation(lan).filter((s) => s.startsWith('string')), ['string.quoted.double.nix']);
    assertScope(doc, line, '.home', 'string.quoted.double.nix');
    assertNoScope(doc, line, '.home', 'meta.embedded');
  });

  test('escapes in double-quoted strings do not break interpolation', () => {
    const line = 'message = "bad port \\"${toString cfg.port}\\"";';
    assert.ok(hasScope(tokenOf(doc, line, '\\"'), 'constant.character.escape.nix'));
    assert.ok(hasScope(tokenOf(doc, line, '\\"', 1), 'constant.character.escape.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'port', 1), 'meta.embedded'));
    assert.ok(hasScope(tokenOf(doc, line, ';'), 'punctuation.terminator.bind.nix'));
    assertNoScope(doc, line, ';', 'string');
  });

  test("indented strings: ''$ ''' and ''\\t are escapes, ${…} interpolates", () => {
    const echo = 'echo "\'\'${d} ready in \'\'$HOME"';
    assert.ok(hasScope(tokenOf(doc, echo, "''$"), 'constant.character.escape.nix'));
    assert.ok(hasScope(tokenOf(doc, echo, "''$", 1), 'constant.character.escape.nix'));
    assertScope(doc, echo, '{d} ready', 'string.quoted.other.nix');
    assertNoScope(doc, echo, '{d} ready', 'meta.embedded');
    const quoted = "echo '''quoted''' ''\\t tab";
    assert.ok(hasScope(tokenOf(doc, quoted, "'''"), 'constant.character.escape.nix'));
    assert.ok(hasScope(tokenOf(doc, quoted, "'''", 1), 'constant.character.escape.nix'));
    assert.ok(hasScope(tokenOf(doc, quoted, "''\\t"), 'constant.character.escape.nix'));
    assertScope(doc, quoted, ' tab', 'string.quoted.other.nix');
    const install = 'install -d -m ${mode} ${dataDir}/config';
    assert.ok(hasScope(tokenOf(doc, install, 'mode'), 'variable.other.nix'));
    assert.ok(hasScope(tokenOf(doc, install, 'mode'), 'meta.embedded'));
    assertScope(doc, install, '/config', 'string.quoted.other.nix');
  });

  test("the closing '' ends the indented string; code after it is not string", () => {
    const close = tokenOf(doc, "      '';", "''");
    assert.ok(hasScope(close, 'string.quoted.other.nix'));
    assert.ok(hasScope(close, 'punctuation.definition.string.end.nix'));
    const semicolon = tokenOf(doc, "      '';", ';');
    assert.ok(!hasScope(semicolon, 'string'));
    assert.ok(hasScope(tokenOf(doc, 'networking.firewall.allowedTCPPorts', 'networking'), 'entity.other.attribute-name.nix'));
  });

  test('comments: # outside strings is a comment, # inside strings is not', () => {
    assertScope(doc, 'mode = "0755"; # octal', '# octal-looking text in a string stays a string', 'comment.line.number-sign.nix');
    assert.ok(hasScope(tokenOf(doc, 'mode = "0755"; # octal', '#'), 'punctuation.definition.comment.nix'));
    const mode = tokenOf(doc, 'mode = "0755"; # octal', '0755');
    assert.ok(hasScope(mode, 'string.quoted.double.nix'));
    assert.ok(!hasScope(mode, 'constant.numeric'));
    assertScope(doc, 'tag = "#not-a-comment";', '#not-a-comment', 'string.quoted.double.nix');
    assertNoScope(doc, 'tag = "#not-a-comment";', '#not-a-comment', 'comment');
    assertScope(doc, '# a shell comment, still part', '# a shell comment', 'string.quoted.other.nix');
    assertNoScope(doc, '# a shell comment, still part', '# a shell comment', 'comment');
    for (const token of tokensOf(doc, '# a shell comment', '#')) assert.equal(token.type, TokenType.String);
  });

  test('block comments swallow quotes and ${…}', () => {
    const line = '/* Rendered by hwc;';
    assert.ok(hasScope(tokenOf(doc, line, '/*'), 'punctuation.definition.comment.nix'));
    assertScope(doc, line, '${braces}', 'comment.block.nix');
    assertNoScope(doc, line, '${braces}', 'meta.embedded');
    assertNoScope(doc, line, '"quotes"', 'string');
    assert.ok(hasScope(tokenOf(doc, line, '*/'), 'comment.block.nix'));
  });

  test('paths and URLs', () => {
    assertScope(doc, 'imports = [', './options.nix', 'string.unquoted.path.nix');
    assertScope(doc, 'imports = [', '../common/podman.nix', 'string.unquoted.path.nix');
    assert.ok(hasScope(tokenOf(doc, 'docs = https:', 'https://jellyfin.org/docs/general/networking'), 'string.unquoted.url.nix'));
    assertScope(doc, 'image = "docker.io', 'docker.io/jellyfin/jellyfin:10.9.6', 'string.quoted.double.nix');
    assertNoScope(doc, 'image = "docker.io', 'docker.io/jellyfin/jellyfin:10.9.6', 'string.unquoted');
  });

  test('let / in / inherit keywords and inherit (from) names', () => {
    assert.ok(hasScope(tokenOf(doc, /^let$/, 'let'), 'keyword.other.let.nix'));
    assert.ok(hasScope(tokenOf(doc, /^in$/, 'in'), 'keyword.other.in.nix'));
    const inherit = 'inherit (lib) mkEnableOption';
    assert.ok(hasScope(tokenOf(doc, inherit, 'inherit'), 'keyword.other.inherit.nix'));
    assert.ok(hasScope(tokenOf(doc, inherit, 'lib'), 'variable.other.nix'));
    assert.ok(hasScope(tokenOf(doc, inherit, 'mkIf'), 'entity.other.attribute-name.nix'));
    assert.ok(hasScope(tokenOf(doc, 'inherit image;', 'image'), 'entity.other.attribute-name.nix'));
    assert.ok(hasScope(tokenOf(doc, 'inherit (builtins) toJSON;', 'builtins'), 'support.function.builtin.nix'));
  });

  test('formals with a default, an ellipsis and an @ pattern', () => {
    const line = '{ config, lib, pkgs, hostName ? "hwc", ... }@args:';
    for (const name of ['config', 'lib', 'pkgs', 'hostName']) {
      assert.ok(hasScope(tokenOf(doc, line, name), 'variable.parameter.nix'), name);
    }
    assertScope(doc, line, '"hwc"', 'string.quoted.double.nix');
    assert.ok(hasScope(tokenOf(doc, line, '...'), 'keyword.other.ellipsis.nix'));
    assert.ok(hasScope(tokenOf(doc, line, '@'), 'punctuation.separator.at.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'args'), 'variable.parameter.nix'));
  });

  test('operators, numbers and language constants', () => {
    const line = 'lib.optional (cfg.port != 8096 && !cfg.enable) cfg.port ++ [ 8920 ];';
    for (const op of ['!=', '&&', '++']) assert.ok(hasScope(tokenOf(doc, line, op), 'keyword.operator.nix'), op);
    assert.ok(hasScope(tokenOf(doc, line, '!', 1), 'keyword.operator.nix'));
    assert.ok(hasScope(tokenOf(doc, line, '8096'), 'constant.numeric.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'optional'), 'variable.other.member.nix'));
    assert.ok(hasScope(tokenOf(doc, 'autoStart = true;', 'true'), 'constant.language.nix'));
    const assertion = 'assertion = cfg.port > 1024 || cfg.port == 80;';
    for (const op of ['>', '||', '==']) assert.ok(hasScope(tokenOf(doc, assertion, op), 'keyword.operator.nix'), op);
  });
});

describe('container library fixture', () => {
  const doc = libDoc;

  test('multi-line formals with defaults, search path and home path', () => {
    assert.ok(hasScope(tokenOf(doc, 'pkgs ? import <nixpkgs> { },', 'pkgs'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, 'pkgs ? import <nixpkgs> { },', 'import'), 'support.function.builtin.nix'));
    assertScope(doc, 'pkgs ? import <nixpkgs> { },', '<nixpkgs>', 'string.unquoted.spath.nix');
    assert.ok(hasScope(tokenOf(doc, 'lib ? pkgs.lib,', 'lib'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, 'lib ? pkgs.lib,', 'lib', 1), 'variable.other.member.nix'));
    assertScope(doc, 'stateRoot ? ~/containers,', '~/containers', 'string.unquoted.path.nix');
    assert.ok(hasScope(tokenOf(doc, 'stateRoot ? ~/containers,', 'stateRoot'), 'variable.parameter.nix'));
  });

  test('assert, with and rec are keywords', () => {
    assert.ok(hasScope(tokenOf(doc, 'assert lib.versionAtLeast', 'assert'), 'keyword.control'));
    assert.ok(hasScope(tokenOf(doc, 'with lib;', 'with'), 'keyword.other'));
    assert.ok(hasScope(tokenOf(doc, 'rec {', 'rec'), 'keyword.other'));
    assert.ok(hasScope(tokenOf(doc, 'version = "1.2.3";', 'version'), 'entity.other.attribute-name.nix'));
  });

  test('integers, floats and negation', () => {
    assert.ok(hasScope(tokenOf(doc, 'scale = 1.5e3;', '1.5e3'), 'constant.numeric.nix'));
    assert.ok(hasScope(tokenOf(doc, 'half = .5;', '.5'), 'constant.numeric.nix'));
    assert.ok(hasScope(tokenOf(doc, 'negative = -42;', '-'), 'keyword.operator.nix'));
    assert.ok(hasScope(tokenOf(doc, 'negative = -42;', '42'), 'constant.numeric.nix'));
    assertScope(doc, 'version = "1.2.3";', '1.2.3', 'string.quoted.double.nix');
    assertNoScope(doc, 'version = "1.2.3";', '1.2.3', 'constant.numeric');
  });

  test('quoted and dotted attribute names', () => {
    assertScope(doc, '"with-dash" = true;', '"with-dash"', 'entity.other.attribute-name.nix');
    for (const segment of ['nested', 'attr', 'path']) {
      assert.ok(hasScope(tokenOf(doc, 'nested.attr.path = null;', segment), 'entity.other.attribute-name.nix'));
    }
    assert.ok(hasScope(tokenOf(doc, 'nested.attr.path = null;', 'null'), 'constant.language.nix'));
  });

  test('double-quoted escapes, \\${ and $${ do not interpolate', () => {
    const line = 'escapes = "tab\\there';
    for (const escape of ['\\t', '\\"', '\\$', '\\\\']) {
      assert.ok(hasScope(tokenOf(doc, line, escape), 'constant.character.escape.nix'), escape);
    }
    assertNoScope(doc, line, '{notInterpolated}', 'meta.embedded');
    assertNoScope(doc, line, '$${alsoLiteral}', 'meta.embedded');
    assertScope(doc, line, '$${alsoLiteral}', 'string.quoted.double.nix');
  });

  test('lambda parameters and @ patterns', () => {
    assert.ok(hasScope(tokenOf(doc, 'mkName = name: "hwc-', 'name'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, 'mkName = name: "hwc-', 'name', 1), 'variable.other.nix'));
    assert.ok(hasScope(tokenOf(doc, 'add = a: b:', 'a', 1), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, 'add = a: b:', 'b'), 'variable.parameter.nix'));
    for (const op of ['+', '*', '-', '/']) assert.ok(hasScope(tokenOf(doc, 'add = a: b:', op), 'keyword.operator.nix'), op);
    const line = 'mkContainer = args@{ name, image, ports ? [ ], ... }:';
    assert.ok(hasScope(tokenOf(doc, line, 'args'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'ports'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, line, ':'), 'punctuation.separator.lambda.nix'));
  });

  test('nested strings and if/then/else inside interpolation', () => {
    const line = 'label = "${name}-${if ports == [ ] then "none"';
    assert.ok(hasScope(tokenOf(doc, line, 'if'), 'keyword.control.conditional.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'then'), 'keyword.control.conditional.nix'));
    assert.equal(tokenOf(doc, line, 'then').type, TokenType.Other);
    assert.ok(hasScope(tokenOf(doc, line, 'none'), 'string.quoted.double.nix'));
    assert.equal(tokenOf(doc, line, 'none').type, TokenType.String);
    const length = tokenOf(doc, line, 'length');
    assert.equal(length.scopes.filter((s) => s.startsWith('meta.embedded')).length, 2, 'two interpolations deep');
    assert.equal(length.type, TokenType.Other);
  });

  test('an attribute set inside an interpolation', () => {
    const line = 'description = "Container ${ { n = name; }.n }";';
    const n = tokenOf(doc, line, 'n', '${ { ');
    assert.ok(hasScope(n, 'entity.other.attribute-name.nix'));
    assert.ok(hasScope(n, 'meta.embedded'));
    assert.ok(hasScope(tokenOf(doc, line, '}', 'name; '), 'punctuation.section.braces.end.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'n', '}.'), 'variable.other.member.nix'));
    assert.ok(hasScope(tokenOf(doc, line, '}', '}.n '), 'punctuation.section.embedded.end.nix'));
    assert.ok(hasScope(tokenOf(doc, 'meta = { inherit label;', 'inherit'), 'keyword.other.inherit.nix'));
  });

  test('builtins are recognised, but not as attributes of another set', () => {
    const line = 'ok = builtins.hasAttr "name" args';
    assert.ok(hasScope(tokenOf(doc, line, 'builtins'), 'support.function.builtin.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'hasAttr'), 'support.function.builtin.nix'));
    assert.ok(hasScope(tokenOf(doc, line, '?'), 'keyword.operator.nix'));
    assert.ok(hasScope(tokenOf(doc, 'lib-map = lib.map', 'lib-map'), 'entity.other.attribute-name.nix'));
    const map = tokenOf(doc, 'lib-map = lib.map', 'map', 1);
    assert.ok(!hasScope(map, 'support.function.builtin.nix'));
    assert.ok(hasScope(map, 'variable.other.member.nix'));
    assert.ok(hasScope(tokenOf(doc, 'check = x: if x == null then throw', 'throw'), 'support.function.builtin.nix'));
    assert.ok(hasScope(tokenOf(doc, 'check = x: if x == null then throw', 'abort'), 'support.function.builtin.nix'));
  });

  test('update, implication and comparison operators', () => {
    assert.ok(hasScope(tokenOf(doc, 'merged = { a = 1; } // { b = 2; };', '//'), 'keyword.operator.nix'));
    assert.ok(hasScope(tokenOf(doc, 'merged = { a = 1; } // { b = 2; };', 'b'), 'entity.other.attribute-name.nix'));
    assert.ok(hasScope(tokenOf(doc, 'implies = true -> false;', '->'), 'keyword.operator.nix'));
    const cmp = 'cmp = [ (1 < 2) (2 > 1) (1 <= 1) (2 >= 2) (1 != 2) ];';
    for (const op of ['<', '>', '<=', '>=', '!=']) assert.ok(hasScope(tokenOf(doc, cmp, op), 'keyword.operator.nix'), op);
  });

  test('absolute, relative and interpolated paths', () => {
    assertScope(doc, 'root = /etc/nixos;', '/etc/nixos', 'string.unquoted.path.nix');
    assertScope(doc, 'rel = ../lib/default.nix;', '../lib/default.nix', 'string.unquoted.path.nix');
    const src = 'src = ./src/${version}/main.nix;';
    assertScope(doc, src, './src/${version}/main.nix', 'string.unquoted.path.nix');
    assert.ok(hasScope(tokenOf(doc, src, 'version'), 'meta.embedded'));
    assert.ok(hasScope(tokenOf(doc, src, 'version'), 'variable.other.nix'));
    assert.ok(hasScope(tokenOf(doc, src, '#'), 'comment.line.number-sign.nix'));
    assertNoScope(doc, src, ';', 'string.unquoted.path.nix');
  });

  test('indented string with nested strings in interpolation, then code', () => {
    const env = 'Environment="GREETING=${"hello ${"nested"}"}"';
    assert.equal(tokenOf(doc, env, 'nested').scopes.filter((s) => s.startsWith('string')).length, 3);
    assertScope(doc, env, 'Environment="GREETING=', 'string.quoted.other.nix');
    const after = "'' + \"\\n\";";
    assert.ok(hasScope(tokenOf(doc, after, "''"), 'punctuation.definition.string.end.nix'));
    const plus = tokenOf(doc, after, '+');
    assert.ok(hasScope(plus, 'keyword.operator.nix'));
    assert.ok(!hasScope(plus, 'string'));
    assert.ok(hasScope(tokenOf(doc, after, '\\n'), 'constant.character.escape.nix'));
  });

  test('region markers and the block doc comment are comments', () => {
    assertScope(doc, '# region builders', '# region builders', 'comment.line.number-sign.nix');
    assertScope(doc, '# endregion', '# endregion', 'comment.line.number-sign.nix');
    assertScope(doc, 'Check with: nix-instantiate', 'Check with: nix-instantiate --parse ./container-lib.nix', 'comment.block.nix');
    assertNoScope(doc, 'Check with: nix-instantiate', './container-lib.nix', 'string.unquoted.path.nix');
  });
});

describe('edge cases the lexer of Nix decides', () => {
  const scopeOf = (text, needle, nth = 0) => tokenOf(tokenize(text), text.split('\n').find((l) => l.includes(needle)), needle, nth);

  test('`a//b` is an update, `a/b` a path, `a / b` a division', () => {
    assert.ok(hasScope(scopeOf('x: x//y', '//'), 'keyword.operator.nix'));
    assert.ok(hasScope(scopeOf('x: x//y', 'y'), 'variable.other.nix'));
    assertScope(tokenize('a/b'), 'a/b', 'a/b', 'string.unquoted.path.nix');
    assert.ok(hasScope(scopeOf('x: x / 2', '/'), 'keyword.operator.nix'));
  });

  test('`x:x` is a URI, `x: x` a lambda', () => {
    assert.ok(hasScope(scopeOf('x:x', 'x:x'), 'string.unquoted.url.nix'));
    assert.ok(hasScope(scopeOf('x: x', 'x'), 'variable.parameter.nix'));
  });

  test("an empty indented string closes, and $${ stays literal in one", () => {
    const doc = tokenize("{ a = ''''; b = ''$${x} '''' ''; }");
    const line = doc.lines[0].text;
    assert.ok(hasScope(tokenOf(doc, line, 'b'), 'entity.other.attribute-name.nix'));
    assertNoScope(doc, line, '$${x}', 'meta.embedded');
    assert.ok(hasScope(tokenOf(doc, line, "''", 'a = '), 'punctuation.definition.string.begin.nix'));
    assert.ok(hasScope(tokenOf(doc, line, "''", "a = ''"), 'punctuation.definition.string.end.nix'));
    assert.ok(hasScope(tokenOf(doc, line, "'''", '{x} '), 'constant.character.escape.nix'));
    assert.ok(doc.finalStack.equals(grammar.tokenizeLine('', textmate.INITIAL).ruleStack));
  });

  test('leading-comma formals over several lines', () => {
    const doc = tokenize('{ config\n, lib ? null\n, ...\n}: config');
    assert.ok(hasScope(tokenOf(doc, '{ config', 'config'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, ', lib ? null', 'lib'), 'variable.parameter.nix'));
    assert.ok(hasScope(tokenOf(doc, ', lib ? null', 'null'), 'constant.language.nix'));
    assert.ok(hasScope(tokenOf(doc, '}: config', 'config'), 'variable.other.nix'));
  });

  test('`with pkgs;` inside a binding does not end the attribute set', () => {
    const doc = tokenize('{ xs = with pkgs; [ vim git ]; ys = 1; }');
    const line = doc.lines[0].text;
    assert.ok(hasScope(tokenOf(doc, line, 'with'), 'keyword.other.with.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'vim'), 'variable.other.nix'));
    assert.ok(hasScope(tokenOf(doc, line, 'ys'), 'entity.other.attribute-name.nix'));
  });

  test('doc comments and a missing semicolon recover at the closing brace', () => {
    assertScope(tokenize('/** Docs. */ 1'), 'Docs.', 'Docs.', 'comment.block.documentation.nix');
    assert.ok(hasScope(scopeOf('/** Docs. */ 1', '1'), 'constant.numeric.nix'));
    const doc = tokenize('{ a = 1 }\nx');
    assert.ok(hasScope(tokenOf(doc, '{ a = 1 }', '}'), 'punctuation.section.braces.end.nix'));
    assert.ok(doc.finalStack.equals(grammar.tokenizeLine('', textmate.INITIAL).ruleStack));
  });
});

describe('language configuration', () => {
  const config = languageConfiguration;

  test('comments, brackets and auto-closing pairs', () => {
    assert.deepEqual(config.comments, { lineComment: '#', blockComment: ['/*', '*/'] });
    assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    const pairs = Object.fromEntries(config.autoClosingPairs.map((p) => [p.open, p]));
    for (const open of ['{', '[', '(']) assert.ok(pairs[open], open);
    assert.deepEqual(pairs['"'].notIn, ['string', 'comment']);
    assert.equal(pairs["''"].close, "''");
    assert.ok(pairs["''"].notIn.includes('string'));
    assert.ok(config.surroundingPairs.some(([o, c]) => o === '"' && c === '"'));
  });

  test('folding markers match # region / # endregion lines only', () => {
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    assert.ok(start.test('  # region builders'));
    assert.ok(end.test('# endregion'));
    assert.ok(!start.test('x = 1; # region'));
    assert.ok(!start.test('# regional settings'));
    assert.ok(!end.test('  # region'));
  });

  test('indentation rules', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const line of ['foo = {', '  let', 'bar =', 'xs = [ # list', 'f (', "script = ''", 'config = mkIf cfg.enable {']) {
      assert.ok(increase.test(line), `should indent after ${JSON.stringify(line)}`);
    }
    for (const line of ['a = 1;', 'x == y', '# let', 'a = { b = 1; };', 'inlet', 'x <=', "echo '''"]) {
      assert.ok(!increase.test(line), `should not indent after ${JSON.stringify(line)}`);
    }
    for (const line of ['}', '  };', '];', ')', 'in', '  in {', "  '';"]) {
      assert.ok(decrease.test(line), `should outdent ${JSON.stringify(line)}`);
    }
    for (const line of ['inherit x;', 'input = 1;', "''$HOME", 'x = { }']) {
      assert.ok(!decrease.test(line), `should not outdent ${JSON.stringify(line)}`);
    }
  });

  test('wordPattern keeps Nix identifiers with - and \' whole', () => {
    const words = "foo-bar' = x.y-z 1.5 42;".match(new RegExp(config.wordPattern, 'g'));
    assert.deepEqual(words, ["foo-bar'", 'x', 'y-z', '1.5', '42']);
  });
});
