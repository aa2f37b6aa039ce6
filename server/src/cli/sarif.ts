// `hwc lint --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//
// - Paths: artifact URIs are relative to `%SRCROOT%`, which is the git repository around
//   the workspace root when there is one (GitHub resolves result paths against the
//   repository root, and a flake may live in a sub-folder of it), else the workspace root.
//   `originalUriBaseIds` records the absolute folder for other consumers.
// - Columns are UTF-16 code units (`columnKind`), 1-based; `endColumn` is exclusive, as
//   SARIF defines it (the LSP's exclusive end character + 1).
// - Rules carry the docs page twice: `help` (text and markdown, which GitHub shows inside
//   the alert) and `helpUri`, the page on the web (SARIF requires an absolute URI, and a
//   file URI is a broken link on GitHub): the project's repository from package.json, or
//   `HWC_RULE_DOCS_URL` (a fork's pages; `{id}` is replaced, else the id and `.md` are appended).
// - `partialFingerprints["hwc/v1"]` does not depend on line numbers (rule, file, the
//   flagged text, its occurrence), so alerts survive edits above them; upload-sarif adds
//   its own `primaryLocationLineHash` beside it.
// - `fixes`: the quick fixes the editor offers for the finding that are plain edits (no
//   prompt, no suppression comment), as SARIF replacements.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Severity } from '../config/schema';
import { actionsFor } from '../fixes/registry';
import type { FixAction } from '../fixes/types';
import type { Range } from '../model/source';
import type { LintDiagnostic } from '../rules/engine';
import { RULES, ruleDocsFolder } from '../rules/registry';
import type { Rule } from '../rules/types';
import type { Workspace } from '../workspace/workspace';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifOptions {
  workspace: Workspace;
  diagnostics: LintDiagnostic[];
  /** The tool's version (package.json), if known. */
  version?: string;
  /** Include `fixes` (default true). */
  fixes?: boolean;
}

/** The folder SARIF paths are relative to: the enclosing git checkout, else the workspace root. */
export function sourceRoot(workspaceRoot: string): string {
  for (let dir = path.resolve(workspaceRoot); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(workspaceRoot);
  }
}

function region(range: Range): SarifRegion {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

/** Offsets into `text` (UTF-16) as a 1-based SARIF region. */
function regionOfOffsets(text: string, start: number, end: number): SarifRegion {
  const at = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column };
  };
  const s = at(start);
  const e = at(end);
  return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
}

/** The rule's docs page, and its "What fires it" section as the full description. */
function ruleDocs(rule: Rule): { markdown: string | undefined; fullDescription: string; fullMarkdown: string | undefined } {
  let markdown: string | undefined;
  try {
    markdown = fs.readFileSync(path.join(ruleDocsFolder(), `${rule.id}.md`), 'utf8');
  } catch {
    markdown = undefined;
  }
  const section = markdown?.split(/^## What fires it[ \t]*$/m)[1]?.split(/^## /m)[0]?.trim();
  if (!section) return { markdown, fullDescription: rule.summary, fullMarkdown: undefined };
  let text = section.replace(/^```\w*$/gm, '').replace(/\s+/g, ' ').trim();
  if (text.length > 1000) {
    const cut = text.lastIndexOf('. ', 1000);
    text = cut > 200 ? text.slice(0, cut + 1) : `${text.slice(0, 999)}…`;
  }
  return { markdown, fullDescription: text, fullMarkdown: section };
}

function reportingDescriptor(rule: Rule) {
  const docs = ruleDocs(rule);
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: docs.fullDescription, ...(docs.fullMarkdown ? { markdown: docs.fullMarkdown } : {}) },
    help: { text: docs.markdown ?? rule.summary, ...(docs.markdown ? { markdown: docs.markdown } : {}) },
    helpUri: ruleDocsWebUrl(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['nix', 'nixos', 'hwc'] },
  };
}

/** The project's own package.json (beside out/ when bundled, three folders up from the sources). */
function ownPackage(): { version?: unknown; repository?: { url?: unknown } } | undefined {
  for (const candidate of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      if (pkg.name === 'hwc-orchestrator') return pkg;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

export function toolVersion(): string | undefined {
  const version = ownPackage()?.version;
  return typeof version === 'string' ? version : undefined;
}

/** The rule's page as an https URL: `HWC_RULE_DOCS_URL`, else docs/rules/ on the main branch of package.json's repository. */
export function ruleDocsWebUrl(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const template = env.HWC_RULE_DOCS_URL;
  if (template && /^https?:\/\//.test(template)) return template.includes('{id}') ? template.replace(/\{id\}/g, id) : `${template.replace(/\/?$/, '/')}${id}.md`;
  const url = ownPackage()?.repository?.url;
  const repository = typeof url === 'string' ? url.replace(/^git\+/, '').replace(/\.git$/, '') : '';
  if (/^https:\/\//.test(repository)) return `${repository}/blob/main/docs/rules/${id}.md`;
  return pathToFileURL(path.join(ruleDocsFolder(), `${id}.md`)).href;
}

/** The SARIF log for one lint run. */
export function toSarif(options: SarifOptions) {
  const { workspace } = options;
  const base = sourceRoot(workspace.root);
  const uriOf = (file: string) => path.relative(base, path.join(workspace.root, file)).split(path.sep).join('/');
  const location = (file: string, range: Range) => ({ physicalLocation: { artifactLocation: { uri: uriOf(file), uriBaseId: SRCROOT }, region: region(range) } });
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));

  const texts = new Map<string, string | undefined>();
  const read = (file: string) => {
    if (!texts.has(file)) {
      texts.set(file, workspace.readText(file));
    }
    return texts.get(file);
  };

  const fixesFor = (diagnostic: LintDiagnostic) => {
    if (options.fixes === false) return undefined;
    let actions: FixAction[];
    try {
      actions = actionsFor({ diagnostic, config: workspace.config, index: workspace.index, text: read }, { autoOnly: true });
    } catch {
      return undefined;
    }
    const fixes = actions
      .filter((a) => !a.prompt && a.edits.size > 0)
      .map((a) => ({
        description: { text: a.note ? `${a.title}. ${a.note}` : a.title },
        artifactChanges: [...a.edits].map(([file, edits]) => {
          const text = read(file) ?? '';
          return {
            artifactLocation: { uri: uriOf(file), uriBaseId: SRCROOT },
            replacements: [...edits]
              .sort((x, y) => x.start - y.start)
              .map((e) => ({ deletedRegion: regionOfOffsets(text, e.start, e.end), ...(e.newText ? { insertedContent: { text: e.newText } } : {}) })),
          };
        }),
      }));
    return fixes.length ? fixes : undefined;
  };

  const sorted = [...options.diagnostics].sort(
    (a, b) => (a.src.file < b.src.file ? -1 : a.src.file > b.src.file ? 1 : 0) || a.src.range.start.line - b.src.range.start.line || a.src.range.start.character - b.src.range.start.character || a.rule.localeCompare(b.rule),
  );
  const occurrences = new Map<string, number>();
  const results = sorted.map((d) => {
    const flagged = read(d.src.file)?.split('\n').slice(d.src.range.start.line, d.src.range.end.line + 1).join('\n').trim() ?? '';
    const key = `${d.rule}\u0000${uriOf(d.src.file)}\u0000${flagged}`;
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    const fingerprint = createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
    const fixes = fixesFor(d);
    return {
      ruleId: d.rule,
      ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [location(d.src.file, d.src.range)],
      ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...location(r.src.file, r.src.range), message: { text: r.message } })) } : {}),
      partialFingerprints: { 'hwc/v1': fingerprint },
      ...(fixes ? { fixes } : {}),
    };
  });

  const baseUri = pathToFileURL(base).href.replace(/\/?$/, '/');
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'hwc',
            fullName: 'hwc lint (hwc-orchestrator)',
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            rules: RULES.map(reportingDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri } },
        columnKind: 'utf16CodeUnits' as const,
        results,
        invocations: [{ executionSuccessful: true, workingDirectory: { uri: pathToFileURL(process.cwd()).href.replace(/\/?$/, '/') } }],
      },
    ],
  };
}
