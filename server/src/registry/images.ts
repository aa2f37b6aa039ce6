// The images of the workspace as the registry sees them: for each container's image, where
// its literal is written, the current tag, the newest stable tag on the same track, the
// digest of the current tag, and whether it is behind. Repositories are asked once each.
import { parseImage, type ImageRef } from '../rules/docker';
import { images } from '../rules/facts';
import { siteOf } from '../rules/types';
import type { Src } from '../model/source';
import type { ContainerModel } from '../model/summary';
import type { WorkspaceIndex } from '../workspace/index';
import type { Resolver } from '../workspace/resolve';
import { RegistryClient, RegistryError, remoteRepository } from './client';
import { compareVersions, newestOnTrack, newestStable, parseTag } from './tags';

export interface ImageSite {
  container: string;
  image: string;
  ref: ImageRef;
  /** The string literal that writes the image (an option default when it comes from one). */
  src: Src;
}

export interface ImageStatus {
  container: string;
  image: string;
  file: string;
  /** 1-based line of the literal. */
  line: number;
  /** The tag written (null: none, so `latest`). */
  current: string | null;
  /** Newest stable tag on the current tag's track (any stable tag for `latest`); null when the registry could not be asked. */
  newest: string | null;
  /** Digest of the current tag (of `latest` when there is none). */
  digest: string | null;
  outdated: boolean;
  /** Why the registry could not be asked. */
  error?: string;
}

/** Every container image whose text is known, in file and line order. */
export function imageSites(index: WorkspaceIndex): ImageSite[] {
  return imageSitesOf(index.containers(), index.resolver());
}

/** The image sites of some containers only (the editor's hover asks about the ones near the cursor). */
export function imageSitesOf(containers: readonly ContainerModel[], resolver: Resolver): ImageSite[] {
  const sites: ImageSite[] = [];
  for (const container of containers) {
    for (const { value, ref } of images(container, resolver)) {
      sites.push({ container: container.name, image: value.text!, ref, src: siteOf(value).src });
    }
  }
  return sites.sort((a, b) => a.src.file.localeCompare(b.src.file) || a.src.range.start.line - b.src.range.start.line || a.container.localeCompare(b.container));
}

export interface LookupOptions {
  /** Allow the newest tag to cross the major version. */
  crossMajor?: boolean;
}

export async function imageStatuses(sites: readonly ImageSite[], client: RegistryClient, options: LookupOptions = {}): Promise<ImageStatus[]> {
  const tagLists = new Map<string, Promise<string[]>>();
  const out: ImageStatus[] = [];
  for (const site of sites) {
    const base: ImageStatus = { container: site.container, image: site.image, file: site.src.file, line: site.src.range.start.line + 1, current: site.ref.tag, newest: null, digest: null, outdated: false };
    const remote = remoteRepository(site.ref.registry, site.ref.repository);
    const key = `${remote.endpoint}/${remote.repository}`;
    if (!tagLists.has(key)) tagLists.set(key, client.listTags(remote));
    try {
      const tags = await tagLists.get(key)!;
      const current = site.ref.tag && site.ref.tag !== 'latest' ? site.ref.tag : null;
      base.newest = current ? (newestOnTrack(current, tags, options.crossMajor) ?? null) : newestStable(tags);
      base.outdated = current !== null && base.newest !== null && base.newest !== current;
      base.digest = site.ref.digest ?? (await client.digest(remote, site.ref.tag ?? 'latest'));
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      base.error = error.message;
    }
    out.push(base);
  }
  return out;
}

/** Which stable version `latest` is today (the newest stable tag with the same digest), if the registry says. */
export async function versionOfLatest(client: RegistryClient, ref: ImageRef, tags: readonly string[], limit = 8): Promise<string | null> {
  const remote = remoteRepository(ref.registry, ref.repository);
  if (!tags.includes('latest')) return null;
  const latest = await client.digest(remote, 'latest');
  const newestFirst = tags
    .map(parseTag)
    .filter((t) => t.kind === 'stable' && t.variant === '')
    .sort((a, b) => compareVersions(b, a));
  for (const candidate of newestFirst.slice(0, limit)) {
    if ((await client.digest(remote, candidate.tag)) === latest) return candidate.tag;
  }
  return null;
}

/** The image text with another tag and/or a digest, keeping registry and repository as written. */
export function pinnedImage(image: string, tag: string, digest: string | null): string {
  const ref = parseImage(image);
  const head = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
  return `${head}:${tag}${digest ? `@${digest}` : ''}`;
}
