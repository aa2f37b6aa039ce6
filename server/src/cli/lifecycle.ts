// `hwc rename OLD NEW`, `hwc move NAME CATEGORY` and `hwc remove NAME`: the lifecycle refactors of `refactor/`, written
// all or nothing through workspace/fileTransaction (`--dry-run` prints the change instead).
import { initParser } from '../parse/parser';
import { unifiedDiff } from '../fixes/diff';
import { editedTexts, planRemove, planRename, RefactorRefused, type RefactorPlan } from '../refactor/plan';
import { planMove } from '../refactor/move';
import { placeSourceFor } from '../refactor/source';
import { planWrites } from '../refactor/writes';
import { commitFiles } from '../workspace/fileTransaction';
import { WriteRefused } from '../workspace/rootPaths';
import { Workspace } from '../workspace/workspace';
import { ParsedArgs, UsageError, flag } from './args';
import { findRoot } from './lint';
import { escapeForTerminal as printable } from './terminal';


async function loadWorkspace(args: ParsedArgs): Promise<Workspace> {
  await initParser();
  const root = findRoot(flag(args, 'root'), undefined);
  const workspace = new Workspace(root, { configFile: flag(args, 'config'), editorFacts: false });
  await workspace.loadAllInParallel();
  if (workspace.configProblems.length > 0) throw new UsageError(`${workspace.configProblems[0].message} (${workspace.configFileRelative}:${workspace.configProblems[0].range.start.line + 1})`);
  return workspace;
}

export async function runRename(args: ParsedArgs): Promise<number> {
  const [oldName, newName] = args.positionals;
  if (!oldName || !newName || args.positionals.length > 2) throw new UsageError('rename needs the current and the new name: hwc rename sonarr sonarr-tv');
  const workspace = await loadWorkspace(args);
  const source = placeSourceFor(workspace, [oldName, newName]);
  return carryOut('rename', workspace, source.files, () => planRename(source, oldName, newName, { state: flag(args, 'state') !== undefined }), flag(args, 'dry-run') !== undefined);
}

export async function runRemove(args: ParsedArgs): Promise<number> {
  const [name] = args.positionals;
  if (!name || args.positionals.length > 1) throw new UsageError('remove needs one container name: hwc remove sonarr');
  const workspace = await loadWorkspace(args);
  const source = placeSourceFor(workspace, [name]);
  const plan = () => planRemove(source, name, { force: flag(args, 'force') !== undefined, keepSecret: flag(args, 'keep-secret') !== undefined });
  return carryOut('remove', workspace, source.files, plan, flag(args, 'dry-run') !== undefined);
}

export async function runMove(args: ParsedArgs): Promise<number> {
  const [name, category] = args.positionals;
  if (!name || !category || args.positionals.length > 2) throw new UsageError('move needs a container and a category: hwc move sonarr services');
  const workspace = await loadWorkspace(args);
  const source = placeSourceFor(workspace, [name]);
  return carryOut('move', workspace, source.files, () => planMove(source, name, category), flag(args, 'dry-run') !== undefined);
}

function carryOut(command: string, workspace: Workspace, files: string[], make: () => RefactorPlan, dryRun: boolean): number {
  let plan: RefactorPlan;
  try {
    plan = make();
  } catch (error) {
    if (!(error instanceof RefactorRefused)) throw error;
    process.stderr.write(`hwc ${command}: ${printable(error.message)}; nothing was written\n`);
    return 2;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (dryRun) {
    const after = editedTexts(plan);
    for (const [file, text] of after) for (const line of unifiedDiff(file, plan.texts.get(file)!, text).split('\n')) if (line !== '') out(printable(line));
  } else {
    try {
      commitFiles(workspace.root, planWrites(workspace.root, plan, files));
    } catch (error) {
      if (!(error instanceof WriteRefused)) throw error;
      process.stderr.write(`hwc ${command}: ${printable(error.message)}\n`);
      return 2;
    }
  }
  const verb = dryRun ? 'would ' : '';
  for (const move of plan.moves) out(`${verb}${dryRun ? 'move' : 'moved'} ${printable(move.from)}${move.folder ? '/' : ''} → ${printable(move.to)}${move.folder ? '/' : ''}`);
  for (const file of plan.deletes) out(`${verb}${dryRun ? 'delete' : 'deleted'} ${printable(file)}`);
  for (const file of plan.edits.keys()) out(`${verb}${dryRun ? 'edit' : 'edited'} ${printable(file)}`);
  for (const note of plan.notes) out(`note: ${printable(note)}`);
  if (plan.unresolved.length > 0) {
    out(`left as they are (check them yourself):`);
    const seen = new Set<string>();
    for (const m of plan.unresolved) if (!seen.has(`${m.file}:${m.line}:${m.reason}`) && seen.add(`${m.file}:${m.line}:${m.reason}`)) out(`  ${printable(m.file)}:${m.line}: ${printable(m.reason)}: ${printable(m.text)}`);
  }
  if (dryRun) out('dry run: nothing was written');
  return 0;
}
