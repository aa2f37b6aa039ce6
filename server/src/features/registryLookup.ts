// Registry lookups for the editor: `hwc.server.imageTags` (the tags Pin image tag… offers,
// which version `latest` is today, a tag's digest) and the newest stable tag in hovers on an
// image. Only with the user's `hwc.registry.lookups` on (an application-scope setting, so no
// workspace can turn it on) and in a trusted workspace. One client per server: its caches
// (tags for an hour, digests for a day) serve every request.
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Session } from '../lsp/session';
import type { Position } from '../model/source';
import { ServerCommands, type ImageTagsResult } from '../protocol';
import { RegistryClient, RegistryError, remoteRepository } from '../registry/client';
import { loadCredentials } from '../registry/credentials';
import { imageSitesOf, versionOfLatest, type ImageSite } from '../registry/images';
import { newestOnTrack, newestStable, sortTagsForPicking } from '../registry/tags';
import { parseImage } from '../rules/docker';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';
import { containsPosition } from './support/ranges';
import { locateDocument, type Located } from './support/target';
import type { WorkspaceFacts } from './support/facts';
import { isWorkspaceTrusted } from './support/trust';

const clients = new Map<string, RegistryClient>();

/** A client for the workspace's insecure (loopback) hosts, kept for its caches. */
function clientFor(workspace: Workspace): RegistryClient {
  const insecure = workspace.config.registry.insecureHosts;
  const key = insecure.join(',');
  let client = clients.get(key);
  if (!client) {
    client = new RegistryClient({ insecureHosts: insecure, credentials: loadCredentials(), timeoutMs: 8000 });
    clients.set(key, client);
  }
  return client;
}

function whyNot(session: Session): string | null {
  if (session.settings.registry.lookups !== 'on') return 'registry lookups are off (setting hwc.registry.lookups)';
  if (!isWorkspaceTrusted()) return 'registry lookups run only in trusted workspaces';
  return null;
}

export const registryLookup: Feature = {
  register({ session, commands }) {
    commands.set(ServerCommands.imageTags, async (args): Promise<ImageTagsResult> => {
      const request = args[0] as { image?: unknown; digestOf?: unknown; uri?: unknown } | undefined;
      if (typeof request?.image !== 'string' || request.image.length > 512) throw new ResponseError(LSPErrorCodes.RequestFailed, `${ServerCommands.imageTags} needs { image }`);
      const off = whyNot(session);
      if (off) return { enabled: false, reason: off, tags: [], latestIs: null, digest: null };
      const workspace = (typeof request.uri === 'string' && locateDocument(session, request.uri)?.workspace) || session.workspaces[0];
      if (!workspace) return { enabled: false, reason: 'no workspace folder is open', tags: [], latestIs: null, digest: null };
      const client = clientFor(workspace);
      const ref = parseImage(request.image);
      const remote = remoteRepository(ref.registry, ref.repository);
      try {
        const tags = await client.listTags(remote);
        const latestIs = await versionOfLatest(client, ref, tags).catch(() => null);
        const digest = typeof request.digestOf === 'string' ? await client.digest(remote, request.digestOf) : null;
        return { enabled: true, tags: sortTagsForPicking(tags).map((t) => ({ tag: t.tag, kind: t.kind })), latestIs, digest };
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        return { enabled: true, tags: [], latestIs: null, digest: null, error: error.message };
      }
    });
  },
};

/** A hover line about the image literal at `position`: the newest stable tag and whether this one is behind; null when lookups are off or it is unknown. */
export async function imageHoverNote(session: Session, uri: string, position: Position): Promise<string | null> {
  if (whyNot(session)) return null;
  const at = locateDocument(session, uri);
  if (!at) return null;
  const site = imageSiteAt(at, position);
  if (!site) return null;
  const client = clientFor(at.workspace);
  try {
    const tags = await client.listTags(remoteRepository(site.ref.registry, site.ref.repository));
    const current = site.ref.tag && site.ref.tag !== 'latest' ? site.ref.tag : null;
    const newest = current ? newestOnTrack(current, tags, at.workspace.config.registry.crossMajor) : newestStable(tags);
    if (!newest) return null;
    if (current === null) return `newest stable tag: \`${newest}\``;
    return newest === current ? `\`${current}\` is the newest stable tag on its track` : `newest stable tag: \`${newest}\` (this one, \`${current}\`, is behind)`;
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return `registry: ${error.message}`;
  }
}

/** Every container's image sites, for one index generation (WorkspaceFacts is replaced on each change). */
const allSites = new WeakMap<WorkspaceFacts, ImageSite[]>();

/**
 * The image literal under the cursor. A hover comes with every mouse rest, so only the containers that
 * can have their image written in this file are resolved: the file's own and its module folder's (an
 * image in `options.nix`). A file near no container (a shared list of images) is looked up among all
 * containers, once per index generation.
 */
function imageSiteAt(at: Located, position: Position): ImageSite | undefined {
  const { summary, facts, relative } = at;
  const folder = summary.moduleFolder ? facts.index.modules().get(summary.moduleFolder) : undefined;
  const near = folder && folder.containers.length > 0 ? folder.containers : summary.containers;
  let sites: ImageSite[];
  if (near.length > 0) sites = imageSitesOf(near, facts.resolver);
  else {
    sites = allSites.get(facts) ?? imageSitesOf(facts.index.containers(), facts.resolver);
    allSites.set(facts, sites);
  }
  return sites.find((s) => s.src.file === relative && containsPosition(s.src.range, position));
}
