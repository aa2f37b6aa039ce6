// The effective configuration: explicit `.hwc-lint.json` settings win, discovered
// conventions fill the settings the file leaves out, defaults the rest. Every value
// remembers where it came from (`hwc config --show`).
import type { LintConfig } from '../config/schema';
import { defaultLintConfig, lintConfigSchema } from '../config/schema';
import { Conventions, DISCOVERABLE_KEYS, DiscoverableKey } from './discover';

export type Origin = { source: 'file' } | { source: 'discovered'; reason: string } | { source: 'default' };

export interface EffectiveConfig {
  config: LintConfig;
  origins: Record<string, Origin>;
}

/** Settings that belong together: when the file sets one, discovery leaves the others alone. */
const GROUPS: Partial<Record<DiscoverableKey, DiscoverableKey[]>> = {
  routesFolder: ['routesFolder', 'routesFile'],
  routesFile: ['routesFolder', 'routesFile'],
};

export function effectiveConfig(fileConfig: LintConfig, explicit: readonly string[], conventions: Conventions | undefined): EffectiveConfig {
  const config: Record<string, unknown> = { ...fileConfig };
  const origins: Record<string, Origin> = {};
  const isExplicit = new Set(explicit);
  for (const key of Object.keys(defaultLintConfig).concat('routesFile', 'modulesImportFile')) {
    origins[key] = isExplicit.has(key) ? { source: 'file' } : { source: 'default' };
  }
  if (conventions && fileConfig.discover !== false) {
    for (const key of DISCOVERABLE_KEYS) {
      const found = conventions.values[key];
      if (!found || (GROUPS[key] ?? [key]).some((k) => isExplicit.has(k))) continue;
      // Discovered values come from repository text: they pass the same checks as the file's
      // (a relative path without `..`, a dotted namespace…) or are left out.
      const checked = lintConfigSchema.shape[key].safeParse(found.value);
      if (!checked.success) continue;
      config[key] = checked.data;
      origins[key] = { source: 'discovered', reason: found.reason };
    }
  }
  return { config: config as LintConfig, origins };
}

/** Settings whose change alters file summaries (what the index holds), not only findings. */
export function summaryAffectingChange(before: LintConfig, after: LintConfig): 'none' | 'routes' | 'all' {
  if (before.containersFolder !== after.containersFolder || before.namespace !== after.namespace || JSON.stringify(before.containerHelpers) !== JSON.stringify(after.containerHelpers)) return 'all';
  if (before.routesFile !== after.routesFile || before.routesFolder !== after.routesFolder) return 'routes';
  return 'none';
}
