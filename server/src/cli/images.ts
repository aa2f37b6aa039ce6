// `hwc images` (every container image, its newest stable tag on the same track, its digest)
// and `hwc pin` (rewrite an image literal to a tag, the newest stable one, and/or a digest).
// Both ask the registry only when `.hwc-lint.json` turns lookups on: each lookup tells the
// registry which images this repository uses.
import * as fs from 'fs';
import * as path from 'path';
import { initParser } from '../parse/parser';
import { RegistryClient, RegistryError, remoteRepository } from '../registry/client';
import { loadCredentials } from '../registry/credentials';
import { type ImageSite, imageSites, imageStatuses, pinnedImage } from '../registry/images';
import { newestOnTrack, newestStable } from '../registry/tags';
import { commitFiles } from '../workspace/fileTransaction';
import { WriteRefused } from '../workspace/rootPaths';
import { Workspace } from '../workspace/workspace';
import type { RegistryFacts } from '../rules/types';
import { ParsedArgs, UsageError, flag } from './args';
import { escapeForTerminal } from './terminal';
import { findRoot } from './root';

const LOOKUPS_OFF =
  'registry lookups are off: add "registry": { "lookups": true } to .hwc-lint.json to let hwc ask image registries for tags and digests (each lookup tells the registry which images you use)';

async function loadWorkspace(args: ParsedArgs): Promise<Workspace> {
  await initParser();
  const configFile = flag(args, 'config');
  const root = findRoot(flag(args, 'root'), args.positionals[0] && fs.existsSync(args.positionals[0]) ? args.positionals[0] : undefined);
  const workspace = new Workspace(root, { configFile, editorFacts: false });
  await workspace.loadAllInParallel();
  if (workspace.configProblems.length > 0) throw new UsageError(`${workspace.configProblems[0].message} (${workspace.configFileRelative}:${workspace.configProblems[0].range.start.line + 1})`);
  return workspace;
}

function clientFor(workspace: Workspace): RegistryClient {
  const { registry } = workspace.config;
  if (!registry.lookups) throw new UsageError(LOOKUPS_OFF);
  // Environment knobs for slow links and for tests: the request timeout and the tags page size.
  const timeout = Number(process.env.HWC_REGISTRY_TIMEOUT_MS);
  const pageSize = Number(process.env.HWC_REGISTRY_PAGE_SIZE);
  return new RegistryClient({
    insecureHosts: registry.insecureHosts,
    credentials: loadCredentials(),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
    pageSize: Number.isInteger(pageSize) && pageSize > 0 ? pageSize : undefined,
  });
}

/**
 * What `image-outdated` needs, asked before a lint: only with `registry.lookups` on and the
 * rule not off. A registry that cannot be asked leaves the rule silent for its images (and
 * says so in one log line); the lint never fails because of the network.
 */
export async function registryFactsFor(workspace: Workspace, overrides: Record<string, string> | undefined, log?: (line: string) => void): Promise<RegistryFacts | undefined> {
  const { registry } = workspace.config;
  const severity = overrides?.['image-outdated'] ?? workspace.config.rules['image-outdated'] ?? 'info';
  if (!registry.lookups || severity === 'off') return undefined;
  const client = clientFor(workspace);
  const statuses = await imageStatuses(imageSites(workspace.index), client, { crossMajor: registry.crossMajor });
  const failed = statuses.filter((s) => s.error);
  if (failed.length > 0) log?.(`image-outdated: ${failed.length} image${failed.length === 1 ? '' : 's'} not looked up (${failed[0].error})`);
  const newer = new Map(statuses.filter((s) => s.outdated && s.newest).map((s) => [s.image, s.newest!]));
  return { newerTag: (image) => newer.get(image) };
}

export async function runImages(args: ParsedArgs): Promise<number> {
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const workspace = await loadWorkspace(args);
  const client = clientFor(workspace);
  const scope = args.positionals.map((p) => path.relative(workspace.root, path.resolve(p)).split(path.sep).join('/'));
  const sites = imageSites(workspace.index).filter((s) => scope.length === 0 || scope.some((p) => p === '' || s.src.file === p || s.src.file.startsWith(`${p.replace(/\/+$/, '')}/`)));
  let statuses = await imageStatuses(sites, client, { crossMajor: workspace.config.registry.crossMajor });
  if (flag(args, 'outdated')) statuses = statuses.filter((s) => s.outdated);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(statuses.map((s) => ({ container: s.container, image: s.image, file: s.file, line: s.line, current: s.current, newest: s.newest, digest: s.digest, outdated: s.outdated, ...(s.error ? { error: s.error } : {}) })), null, 2)}\n`);
  } else {
    for (const s of statuses) {
      const state = s.error ? `unknown: ${s.error}` : s.outdated ? `behind: ${s.newest} is out` : s.current === null || s.current === 'latest' ? `latest (newest stable ${s.newest ?? 'unknown'})` : 'up to date';
      process.stdout.write(`${escapeForTerminal(s.file)}:${s.line}: ${escapeForTerminal(s.container)}: ${escapeForTerminal(s.image)} — ${escapeForTerminal(state)}\n`);
    }
    const behind = statuses.filter((s) => s.outdated).length;
    const failed = statuses.filter((s) => s.error).length;
    process.stdout.write(`\n${statuses.length} image${statuses.length === 1 ? '' : 's'}, ${behind} behind${failed ? `, ${failed} not looked up` : ''}\n`);
  }
  return statuses.some((s) => s.error) ? 2 : 0;
}

/** `hwc pin NAME --to TAG | --latest-stable [--digest] [--dry-run]`: exit 0 edited, 1 nothing to do, 2 error. */
export async function runPin(args: ParsedArgs): Promise<number> {
  const name = args.positionals[0];
  if (!name) throw new UsageError('pin needs a container name or an image: hwc pin sonarr --to 4.0.14');
  const to = flag(args, 'to');
  const latestStable = flag(args, 'latest-stable') !== undefined;
  const withDigest = flag(args, 'digest') !== undefined;
  if (to !== undefined && latestStable) throw new UsageError('--to and --latest-stable exclude each other');
  if (to === undefined && !latestStable && !withDigest) throw new UsageError('pin needs --to TAG, --latest-stable or --digest (the current tag by digest)');
  if (to !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(to)) throw new UsageError(`--to ${escapeForTerminal(to)}: not a tag (letters, digits, '_', '.', '-'; at most 128)`);
  if (to === 'latest') throw new UsageError('--to latest pins nothing; choose a version');

  const workspace = await loadWorkspace({ ...args, positionals: [] });
  const sites = imageSites(workspace.index).filter((s) => s.container === name || s.image === name || s.ref.repository === name);
  if (sites.length === 0) throw new UsageError(`no container or image named ${escapeForTerminal(name)} (hwc containers lists them)`);
  const needsRegistry = latestStable || withDigest;
  const client = needsRegistry ? clientFor(workspace) : null;

  // One edit per literal: two containers sharing an option default are pinned once.
  const byLiteral = new Map<string, ImageSite>();
  for (const site of sites) byLiteral.set(`${site.src.file}:${site.src.range.start.line}:${site.src.range.start.character}`, site);
  const texts = new Map<string, string>();
  const edits = new Map<string, Array<{ start: number; end: number; text: string }>>();
  const notes: string[] = [];
  for (const site of byLiteral.values()) {
    let tag = to ?? null;
    let digest: string | null = null;
    try {
      if (client) {
        const remote = remoteRepository(site.ref.registry, site.ref.repository);
        if (latestStable) {
          const tags = await client.listTags(remote);
          const current = site.ref.tag && site.ref.tag !== 'latest' ? site.ref.tag : null;
          tag = (current ? newestOnTrack(current, tags, workspace.config.registry.crossMajor) : newestStable(tags)) ?? null;
          if (tag === null) throw new RegistryError(`${remote.host}: ${remote.repository} has no stable version tag`, 'not-found');
        }
        tag ??= site.ref.tag && site.ref.tag !== 'latest' ? site.ref.tag : null;
        if (tag === null) throw new UsageError(`${escapeForTerminal(site.image)} has no version to pin by digest: add --to TAG or --latest-stable`);
        if (withDigest) digest = await client.digest(remote, tag);
      }
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      process.stderr.write(`hwc pin: ${escapeForTerminal(error.message)}; nothing was written\n`);
      return 2;
    }
    const next = pinnedImage(site.image, tag!, digest);
    if (next === site.image) continue;
    const file = site.src.file;
    if (!texts.has(file)) texts.set(file, fs.readFileSync(path.join(workspace.root, file), 'utf8'));
    const edit = literalEdit(texts.get(file)!, site, next);
    if (!edit) {
      process.stderr.write(`hwc pin: ${escapeForTerminal(file)}:${site.src.range.start.line + 1}: the image is not written as one literal here; edit it by hand; nothing was written\n`);
      return 2;
    }
    edits.set(file, [...(edits.get(file) ?? []), edit]);
    notes.push(`${escapeForTerminal(file)}:${site.src.range.start.line + 1}: ${escapeForTerminal(site.image)} → ${escapeForTerminal(next)}`);
  }
  if (edits.size === 0) {
    process.stdout.write(`hwc pin: ${escapeForTerminal(name)} is already ${escapeForTerminal(sites[0].image)}; nothing to do\n`);
    return 1;
  }
  const writes = [...edits].map(([file, list]) => {
    const before = texts.get(file)!;
    let text = before;
    for (const e of [...list].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    return { path: file, action: 'replace' as const, text, before };
  });
  if (flag(args, 'dry-run')) {
    for (const note of notes) process.stdout.write(`would pin ${note}\n`);
    return 0;
  }
  try {
    commitFiles(workspace.root, writes);
  } catch (error) {
    if (!(error instanceof WriteRefused)) throw error;
    process.stderr.write(`hwc pin: ${escapeForTerminal(error.message)}\n`);
    return 2;
  }
  for (const note of notes) process.stdout.write(`pinned ${note}\n`);
  return 0;
}

/** The edit that makes the literal at `site` say `next`: the whole content when it is the image, else its written tail. */
function literalEdit(text: string, site: ImageSite, next: string): { start: number; end: number; text: string } | null {
  const lines = text.split('\n');
  const offset = (line: number, character: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
  const start = offset(site.src.range.start.line, site.src.range.start.character);
  const end = offset(site.src.range.end.line, site.src.range.end.character);
  const literal = text.slice(start, end);
  if (!/^".*"$/s.test(literal)) return null;
  const content = literal.slice(1, -1);
  if (content === site.image) return { start: start + 1, end: end - 1, text: next };
  // `"${cfg.registry}/app:1.2"`: rewrite what follows the last interpolation, if the tag is there.
  const tail = content.slice(content.lastIndexOf('}') + 1);
  const oldTail = site.image.slice(site.image.length - tail.length);
  if (tail.length === 0 || oldTail !== tail || !/^[^$]*$/.test(tail)) return null;
  const prefixLength = site.image.length - tail.length;
  if (next.slice(0, prefixLength) !== site.image.slice(0, prefixLength)) return null;
  return { start: end - 1 - tail.length, end: end - 1, text: next.slice(prefixLength) };
}
