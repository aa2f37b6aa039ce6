import type { Rule } from '../types';
import { siteOf } from '../types';
import { parseImage } from '../docker';
import { images } from '../facts';
import type { ResolvedString } from '../../workspace/resolve';

/** `${cfg.registry}/app:1.2`: the last path segment decides the tag even when the registry is unknown. */
function knownLastSegment(value: ResolvedString): string | null {
  if (value.text !== null) return null;
  const last = value.parts[value.parts.length - 1];
  if (typeof last !== 'string') return null;
  const slash = last.lastIndexOf('/');
  return slash >= 0 && slash < last.length - 1 ? last.slice(slash + 1) : null;
}

export const imageLatestTag: Rule = {
  id: 'image-latest-tag',
  severity: 'warning',
  summary: 'Image tag is `latest` or missing: pin a version so rebuilds are reproducible and rollbacks work.',
  checkContainer(container, ctx) {
    for (const { value, ref } of images(container, ctx.resolver)) {
      if (ref.digest) continue;
      if (ref.tag !== null && ref.tag !== 'latest' && ref.tag !== '') continue;
      const what = ref.tag === 'latest' ? 'uses the `latest` tag' : 'has no tag (implicitly `latest`)';
      ctx.report({
        ...siteOf(value),
        message: `${container.name}: image \`${value.text}\` ${what}; pin a version (e.g. \`${ref.registry ? ref.registry + '/' : ''}${ref.repository}:1.2.3\`) or a digest (\`@sha256:…\`)`,
        data: { image: value.text, tagStart: ref.tagStart, repository: ref.repository, registry: ref.registry },
      });
    }
    for (const value of ctx.resolver.strings(container.fields.image)) {
      const segment = knownLastSegment(value);
      if (segment === null) continue;
      const ref = parseImage(segment);
      if (ref.digest || (ref.tag !== null && ref.tag !== 'latest' && ref.tag !== '')) continue;
      const shown = value.parts.map((p) => (typeof p === 'string' ? p : '…')).join('');
      const what = ref.tag === 'latest' ? 'uses the `latest` tag' : 'has no tag (implicitly `latest`)';
      ctx.report({ ...siteOf(value), message: `${container.name}: image \`${shown}\` ${what}; pin a version (\`…/${ref.repository}:1.2.3\`) or a digest (\`@sha256:…\`)` });
    }
  },
};
