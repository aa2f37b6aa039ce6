// The E2E scenarios of test/e2e/extension.test.mjs through the `vscode` API, run inside
// the extension host against the extension under development and a temp copy of
// examples/homelab (the first workspace folder). Each scenario returns a short note.
// What the API cannot see is left to the UI suite: the status bar text and the
// HWC Containers view's rows (VS Code has no API to read another extension's UI).
'use strict';
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'hwc.hwc-orchestrator';
const POSTGRES = 'domains/server/containers/postgres/index.nix';
const EARLY = 'domains/server/containers/caddy/index.nix';
const CATEGORIES = ['media', 'services', 'databases', 'monitoring', 'business'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns something truthy; throws naming `what` after `timeout` ms. */
async function waitFor(fn, what, timeout = 60000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(100);
  }
}

function root() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}
const fileUri = (relative) => vscode.Uri.joinPath(root(), relative);

/** A diagnostic's rule id: `code` is `{ value, target }` when the server links the docs. */
const ruleOf = (d) => (d.code && typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/** Every hwc finding in the workspace as "<relative path> <rule>". */
function allFindings() {
  return vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === 'hwc')
    .map((d) => `${vscode.workspace.asRelativePath(uri, false)} ${ruleOf(d)}`));
}

function findings(uri, rule) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'hwc' && (!rule || ruleOf(d) === rule));
}

async function openPostgres() {
  const document = await vscode.workspace.openTextDocument(fileUri(POSTGRES));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Plain text of hover contents (MarkdownString | MarkedString). */
function hoverText(hovers) {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** The first sentence under "## Why it matters" in the rule's docs page, as a hover shows it. */
function ruleWhySentence(extensionPath, id) {
  const page = fs.readFileSync(path.join(extensionPath, 'docs/rules', `${id}.md`), 'utf8');
  const section = page.split(/^## Why it matters\s*$/m)[1].trim();
  return section.split(/\n\s*\n/)[0].replace(/\s+/g, ' ').split(/(?<=\.) /)[0];
}

const scenarios = [
  {
    id: 'activates',
    title: '1. the extension activates and its server lints the workspace',
    async run() {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is loaded`);
      // Opened at once, while the server starts: onLanguage:nix (workspaceContains may have fired already).
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileUri(EARLY)));
      await waitFor(() => extension.isActive, 'activation');
      await waitFor(() => allFindings().includes('domains/server/containers/n8n/index.nix hardcoded-secret'),
        'hardcoded-secret on n8n/index.nix (a file that is not open): the workspace is indexed');
      return `extension ${extension.packageJSON.version} at ${extension.extensionPath}`;
    },
  },
  {
    id: 'open-during-indexing',
    title: '1b. a module opened while the server indexes ends up with the same findings as `hwc lint` (none)',
    async run() {
      // caddy/index.nix has an options.nix and no findings; seen before options.nix is
      // indexed it has module-missing-options, which must not stay.
      await waitFor(() => findings(fileUri(EARLY)).length === 0,
        `no findings on ${EARLY} (now: ${findings(fileUri(EARLY)).map(ruleOf).join(', ')})`, 15000);
    },
  },
  {
    id: 'problems',
    title: '2. a module with findings has them as diagnostics with rule ids',
    async run() {
      await openPostgres();
      const [exposed] = await waitFor(() => findings(fileUri(POSTGRES), 'database-port-exposed').length && findings(fileUri(POSTGRES), 'database-port-exposed'),
        'database-port-exposed on postgres/index.nix');
      assert.equal(exposed.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(exposed.range.start.line, 28);
      assert.match(exposed.message, /127\.0\.0\.1:5432:5432/);
      assert.deepEqual(findings(fileUri(POSTGRES)).map(ruleOf), ['database-port-exposed']);
      const all = allFindings();
      for (const expected of ['domains/server/containers/paperless/index.nix state-dir-missing-tmpfiles', 'domains/server/containers/uptime-kuma/options.nix image-latest-tag']) {
        assert.ok(all.includes(expected), `${expected} in ${all.join('; ')}`);
      }
      return `${all.length} hwc diagnostics in the workspace`;
    },
  },
  {
    id: 'disk-change',
    title: '2b. a file deleted and restored outside the editor updates an open module\'s findings',
    async run() {
      // domains/secrets/index.nix declares postgres-env with its .age file; without the
      // file the declaration gets secret-file-missing. The file changes on disk (not
      // through VS Code), as with `git pull` or `age -o`; the editor has index.nix open.
      const declaration = fileUri('domains/secrets/index.nix');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(declaration));
      await waitFor(() => allFindings().includes('domains/server/containers/postgres/index.nix database-port-exposed'), 'the workspace indexed');
      assert.deepEqual(findings(declaration).map(ruleOf), []);
      const age = fileUri('domains/secrets/parts/server/postgres-env.age').fsPath;
      const bytes = fs.readFileSync(age);
      fs.unlinkSync(age);
      try {
        await waitFor(() => findings(declaration, 'secret-file-missing').length === 1, 'secret-file-missing on the open domains/secrets/index.nix', 10000);
      } finally {
        fs.writeFileSync(age, bytes);
      }
      await waitFor(() => findings(declaration).length === 0, 'secret-file-missing to go once the file is back', 10000);
    },
  },
  {
    id: 'commands',
    title: '1c. every command in package.json is registered once the extension is active',
    async run() {
      const { contributes } = vscode.extensions.getExtension(EXTENSION_ID).packageJSON;
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
      assert.deepEqual(missing, [], 'contributed commands without a handler');
      return `${contributes.commands.length} commands (the New Container wizard itself is UI: test/e2e/extension.test.mjs)`;
    },
  },
  {
    id: 'hover',
    title: '5a. hover on a finding shows its message, why, the fixes and the rule page',
    async run() {
      const document = await openPostgres();
      const sentence = ruleWhySentence(vscode.extensions.getExtension(EXTENSION_ID).extensionPath, 'database-port-exposed');
      const text = await waitFor(async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, new vscode.Position(28, 10)));
        return t.replace(/\s+/g, ' ').includes(`*Why:* ${sentence}`) && t;
      }, `a hover containing "*Why:* ${sentence}"`, 30000);
      assert.match(text, /database-port-exposed/);
      assert.match(text, /\*Fixes:\* Bind loopback/);
      return text.split('\n')[0];
    },
  },
  {
    id: 'completion',
    title: '5b. completion in a volume string "/opt/ offers the state categories',
    async run() {
      const document = await openPostgres();
      const line = document.lineAt(31); // `volumes = [`
      assert.match(line.text, /volumes = \[$/);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, line.range.end, '\n        "/opt/"');
      assert.ok(await vscode.workspace.applyEdit(edit));
      try {
        const position = new vscode.Position(32, '        "/opt/'.length);
        const labels = await waitFor(async () => {
          const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, position);
          const l = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/\/$/, ''));
          return CATEGORIES.every((c) => l.includes(c)) && l;
        }, 'the categories among the completions', 30000);
        return labels.slice(0, 8).join(', ');
      } finally {
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    },
  },
  {
    id: 'codeActions',
    title: '3. "Bind to 127.0.0.1" on database-port-exposed fixes the file on disk',
    async run() {
      const document = await openPostgres();
      const [exposed] = await waitFor(() => findings(document.uri, 'database-port-exposed').length && findings(document.uri, 'database-port-exposed'), 'the finding');
      const actions = await waitFor(async () => {
        const a = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, exposed.range, vscode.CodeActionKind.QuickFix.value);
        return a && a.some((x) => x.title.startsWith('Bind to 127.0.0.1')) && a;
      }, 'a "Bind to 127.0.0.1" quick fix', 30000);
      const bind = actions.find((x) => x.title.startsWith('Bind to 127.0.0.1'));
      if (bind.edit) assert.ok(await vscode.workspace.applyEdit(bind.edit), 'the edit applies');
      if (bind.command) await vscode.commands.executeCommand(bind.command.command, ...(bind.command.arguments || []));
      await waitFor(() => findings(document.uri, 'database-port-exposed').length === 0, 'the finding to go away', 30000);
      assert.ok(await document.save(), 'saved');
      const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8');
      assert.match(onDisk, /"127\.0\.0\.1:5432:5432"/);
      assert.doesNotMatch(onDisk, /"5432:5432"/);
      return `offered: ${actions.map((a) => a.title).join(' | ')}`;
    },
  },
  {
    id: 'trustedLenses',
    title: '6. trusted workspace: the Show logs lens runs podman as a program with the container name as its own argument',
    async run() {
      assert.ok(vscode.workspace.isTrusted, 'the test workspace is trusted');
      const document = await openPostgres();
      const lenses = await waitFor(async () => {
        const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
        return l && l.some((x) => x.command && x.command.title === 'Show logs') && l;
      }, 'a Show logs lens (the client told the server the workspace is trusted)', 30000);
      const logs = lenses.find((x) => x.command.title === 'Show logs');
      assert.ok(lenses.some((x) => x.command && x.command.title === 'Status'), 'a Status lens too');
      assert.deepEqual(logs.command.arguments, ['postgres']);
      const started = new Promise((resolve) => {
        const sub = vscode.tasks.onDidStartTask((e) => {
          sub.dispose();
          resolve(e.execution);
        });
      });
      await vscode.commands.executeCommand(logs.command.command, ...logs.command.arguments);
      const execution = await Promise.race([started, new Promise((_, reject) => setTimeout(() => reject(new Error('no task started within 15 s')), 15000))]);
      try {
        const run = execution.task.execution;
        assert.ok(run instanceof vscode.ProcessExecution, 'a ProcessExecution: no shell reads the name');
        assert.deepEqual([run.process, ...run.args], ['sudo', 'podman', 'logs', '--follow', '--', 'postgres']);
        assert.deepEqual(execution.task.definition, { type: 'hwc', action: 'logs', target: 'postgres' });
        return `${execution.task.name}: ${[run.process, ...run.args].join(' ')}`;
      } finally {
        execution.terminate();
      }
    },
  },
];

module.exports = { scenarios, waitFor };
