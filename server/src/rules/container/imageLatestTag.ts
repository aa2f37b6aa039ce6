import type { Rule } from '../types';
import { siteOf } from '../types';
import { images } from '../facts';

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
  },
};
