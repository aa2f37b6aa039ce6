// The "messy" benchmark workspace (`node bench/generate.mjs --messy`, `ws-<n>-messy`): the
// same layout and module shapes as the clean one, but every module carries several of the
// mistakes people really make, so the linter works on a workspace with findings from most
// rules (issue 18 measures lint time there: a rule that only costs when it fires shows up
// here and not on the clean workspace). Which mistakes a module gets is drawn from a seeded
// PRNG, so the same size always gives the same files.
//
// Each mistake names the rules it is written to trigger (rules.md, docs/rules/). Counts of
// findings per mistake are not fixed: mistakes combine (a wrong category and a missing
// tmpfiles entry on the same volume; two modules mounting one downloads folder).

/** id → which modules can have it, how often relative to the others, the rules it triggers. */
export const MESSY_MISTAKES = [
  { id: 'latest', applies: () => true, rules: ['image-latest-tag'] },
  { id: 'exposed-port', applies: () => true, rules: ['port-all-interfaces', 'database-port-exposed'] },
  { id: 'hardcoded-secret', applies: () => true, rules: ['hardcoded-secret'] },
  { id: 'credential-url', applies: () => true, rules: ['hardcoded-secret'] },
  { id: 'writable-media', applies: (m) => m.category === 'media', rules: ['media-mount-writable'] },
  { id: 'bad-category', applies: () => true, rules: ['state-path-category'] },
  { id: 'no-tmpfiles', applies: () => true, rules: ['state-dir-missing-tmpfiles'] },
  { id: 'no-assertion', applies: (m) => m.secret && m.shape !== 'helper' && m.shape !== 'leaf', rules: ['secret-missing-assertion'] },
  { id: 'undeclared-secret', applies: (m) => m.shape !== 'helper' && m.shape !== 'leaf', rules: ['secret-undeclared', 'secret-missing-assertion'] },
  { id: 'secret-file-missing', applies: (m) => m.secret, rules: ['secret-file-missing'] },
  { id: 'unknown-dep', applies: () => true, rules: ['depends-on-unknown'] },
  { id: 'root-user', applies: (m) => m.kind === 'lsio' || m.shape !== 'helper', rules: ['container-runs-as-root'] },
  { id: 'no-puid', applies: (m) => m.kind === 'lsio' && m.shape !== 'helper', rules: ['missing-puid-pgid'] },
  { id: 'shared-downloads', applies: (m) => m.category === 'media', rules: ['state-path-shared', 'state-path-owner', 'state-dir-missing-tmpfiles'] },
  { id: 'foreign-state', applies: (m) => m.category !== 'media', rules: ['state-path-owner'] },
  { id: 'port-conflict', applies: (m) => !m.probePort, rules: ['host-port-conflict'] },
  { id: 'invalid-port', applies: () => true, rules: ['invalid-port-mapping'] },
  { id: 'invalid-volume', applies: () => true, rules: ['invalid-volume'] },
  { id: 'podman-run', applies: () => true, rules: ['imperative-podman-run'] },
  { id: 'undefined-network', applies: (m) => m.kind !== 'db', rules: ['custom-network-undefined'] },
  { id: 'no-route', applies: (m) => m.domain, rules: ['proxy-route-missing'] },
  { id: 'no-guard', applies: (m) => m.shape !== 'helper', rules: ['module-missing-enable-guard'] },
  { id: 'no-options-import', applies: () => true, weight: 0.5, rules: ['module-missing-options'] },
  { id: 'not-enabled', applies: (m) => !m.probePort, weight: 0.3, rules: ['module-not-enabled'] },
  { id: 'bad-suppression', applies: () => true, weight: 0.5, rules: ['suppression-unknown-rule'] },
  { id: 'unused-suppression', applies: () => true, weight: 0.5, rules: ['suppression-unused'] },
];

/** Mistakes that cannot both be in one module (they write the same line differently). */
const EXCLUSIVE = [['root-user', 'no-puid']];

/** The host ports of the two modules the LSP benchmark's cross-file edit makes conflict. */
export const PROBE_PORTS = [30010, 30011];

/**
 * Picks 4–6 mistakes for module m (weighted sampling without replacement, Efraimidis–Spirakis:
 * each candidate gets key u^(1/weight) and the largest keys win).
 */
export function pickMistakes(m, random) {
  const wanted = 4 + Math.floor(random() * 3);
  const keyed = MESSY_MISTAKES.filter((k) => k.applies(m)).map((k) => ({ id: k.id, key: random() ** (1 / (k.weight ?? 1)) }));
  keyed.sort((a, b) => b.key - a.key);
  const chosen = new Set();
  for (const { id } of keyed) {
    if (chosen.size === wanted) break;
    if (EXCLUSIVE.some((pair) => pair.includes(id) && pair.some((other) => chosen.has(other)))) continue;
    chosen.add(id);
  }
  return chosen;
}

/**
 * Plans every module of a messy workspace: the clean plan (template, shape, features), two
 * modules given the probe ports, then each module's mistakes. `planModule` is the clean
 * generator's planner; its own single mistake is dropped.
 */
export function planMessyModules(n, random, planModule) {
  const modules = [];
  let probes = 0;
  for (let i = 0; i < n; i++) {
    const m = planModule(i, n, random);
    m.messy = true;
    // Two modules in the nested-attrset shape publish a metrics port each, one apart, so
    // the LSP benchmark can make them conflict (and stop) with a one-character edit.
    if (probes < PROBE_PORTS.length && m.shape === 'attrs' && m.kind !== 'db') m.probePort = PROBE_PORTS[probes++];
    m.mistakes = pickMistakes(m, random);
    // Copy-pasted host port: module i + 30 (same image, so the same template) already has it.
    if (m.mistakes.has('port-conflict')) m.conflictPort = 10000 + ((i + 30) % n);
    m.partner = (i + 30) % n;
    modules.push(m);
  }
  return modules;
}

/** Where the cross-file probe edit goes: the last digit of the first probe port. */
export function probePortSite(text) {
  const lines = text.split('\n');
  const port = String(PROBE_PORTS[0]);
  const line = lines.findIndex((l) => l.includes(`"127.0.0.1:${port}:9100"`));
  if (line < 0) return null;
  return { line, character: lines[line].indexOf(port) + port.length - 1, from: port.slice(-1), to: String(PROBE_PORTS[1]).slice(-1) };
}
