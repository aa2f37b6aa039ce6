import type { Rule } from '../types';
import { siteOf } from '../types';

/** Levenshtein distance, capped: enough to suggest a container name for a typo. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function closest(name: string, names: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of names) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

export const dependsOnUnknown: Rule = {
  id: 'depends-on-unknown',
  severity: 'error',
  summary: 'A `dependsOn` entry names a container that no module defines.',
  checkWorkspace(ctx) {
    const names = new Set(ctx.index.containers().map((c) => c.name));
    for (const container of ctx.index.containers()) {
      for (const dependency of ctx.resolver.strings(container.fields.dependsOn)) {
        if (dependency.text === null || names.has(dependency.text)) continue;
        const suggestion = closest(dependency.text, names);
        ctx.report({
          ...siteOf(dependency),
          message: `${container.name} depends on \`${dependency.text}\`, but no container of that name is defined${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; podman-${container.name}.service would wait for a unit that does not exist`,
          data: { name: dependency.text, known: [...names], suggestion },
        });
      }
    }
  },
};
