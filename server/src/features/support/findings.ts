// Which container each published finding is about, for badges and code lenses. A finding
// belongs to a container when it sits on a literal the container's fields resolve to
// (even an option default in options.nix), inside the container's definition, or on
// a related site inside it; failing that, module-level findings (a module's index.nix or
// options.nix) belong to the containers of that module.
import type { Src } from '../../model/source';
import { rangeContains } from '../../model/source';
import { moduleFolderOf } from '../../model/extract';
import type { ContainerModel } from '../../model/summary';
import type { Session } from '../../lsp/session';
import type { LintDiagnostic } from '../../rules/engine';
import type { Workspace } from '../../workspace/workspace';
import type { ContainerFacts, WorkspaceFacts } from './facts';
import { srcKey } from './ranges';

export interface FindingCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function emptyCounts(): FindingCounts {
  return { errors: 0, warnings: 0, infos: 0 };
}

export function countsLabel(counts: FindingCounts): string {
  const parts: string[] = [];
  if (counts.errors) parts.push(`${counts.errors} error${counts.errors === 1 ? '' : 's'}`);
  if (counts.warnings) parts.push(`${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`);
  if (counts.infos) parts.push(`${counts.infos} info${counts.infos === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'no problems';
}

interface Attribution {
  diagnosticsGeneration: number;
  counts: Map<ContainerModel, FindingCounts>;
  lists: Map<ContainerModel, LintDiagnostic[]>;
}
const cache = new WeakMap<WorkspaceFacts, Attribution>();

/** Findings per container of one workspace, from the diagnostics the session last published. */
export function findingsByContainer(session: Session, workspace: Workspace, facts: WorkspaceFacts): Map<ContainerModel, FindingCounts> {
  return attribution(session, workspace, facts).counts;
}

/** The findings themselves, per container (for Show findings). */
export function findingListsByContainer(session: Session, workspace: Workspace, facts: WorkspaceFacts): Map<ContainerModel, LintDiagnostic[]> {
  return attribution(session, workspace, facts).lists;
}

function attribution(session: Session, workspace: Workspace, facts: WorkspaceFacts): Attribution {
  const cached = cache.get(facts);
  if (cached && cached.diagnosticsGeneration === session.diagnosticsGeneration) return cached;
  const lists = attribute(session, workspace, facts);
  const counts = new Map<ContainerModel, FindingCounts>();
  for (const [container, findings] of lists) {
    const c = emptyCounts();
    for (const finding of findings) count(c, finding);
    counts.set(container, c);
  }
  const result = { diagnosticsGeneration: session.diagnosticsGeneration, counts, lists };
  cache.set(facts, result);
  return result;
}

function attribute(session: Session, workspace: Workspace, facts: WorkspaceFacts): Map<ContainerModel, LintDiagnostic[]> {
  const containers = facts.index.containers();
  const byLiteral = new Map<string, ContainerFacts[]>();
  const byFile = new Map<string, ContainerFacts[]>();
  for (const container of containers) {
    const cf = facts.container(container);
    for (const key of cf.literals) add(byLiteral, key, cf);
    for (const file of new Set(cf.sites.map((s) => s.file))) add(byFile, file, cf);
  }
  const owners = (src: Src): ContainerFacts[] => {
    const exact = byLiteral.get(srcKey(src));
    if (exact) return exact;
    return (byFile.get(src.file) ?? []).filter((cf) => cf.sites.some((site) => site.file === src.file && rangeContains(site.range, src.range)));
  };
  const result = new Map<ContainerModel, LintDiagnostic[]>();
  for (const container of containers) result.set(container, []);
  const modules = facts.index.modules();
  const single = session.workspaces.length === 1;
  for (const [uri, published] of session.current) {
    if (!single && session.locate(uri)?.workspace !== workspace) continue;
    for (const finding of published.lint) {
      let found: ContainerModel[] = owners(finding.src).map((cf) => cf.container);
      for (const related of finding.related ?? []) if (found.length === 0) found = owners(related.src).map((cf) => cf.container);
      if (found.length === 0) {
        const folder = moduleFolderOf(finding.src.file, workspace.config);
        found = folder ? modules.get(folder)?.containers ?? [] : [];
      }
      for (const container of new Set(found)) result.get(container)!.push(finding);
    }
  }
  return result;
}

function count(counts: FindingCounts, finding: LintDiagnostic): void {
  if (finding.severity === 'error') counts.errors++;
  else if (finding.severity === 'warning') counts.warnings++;
  else counts.infos++;
}

function add<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
