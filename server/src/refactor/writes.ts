// A refactor plan as the writes of one all-or-nothing transaction (workspace/fileTransaction):
// edited files replaced, moved files created at their new path and deleted at the old one,
// removed files deleted. Every write carries the bytes it was computed from, so a file
// changed on disk meanwhile makes the whole transaction refuse.
import * as fs from 'fs';
import * as path from 'path';
import type { FileWrite } from '../workspace/fileTransaction';
import { editedTexts, movedPath, type RefactorPlan } from './plan';

export function planWrites(root: string, plan: RefactorPlan, files: string[]): FileWrite[] {
  const texts = editedTexts(plan);
  const touched = new Set<string>([...texts.keys(), ...plan.deletes]);
  for (const move of plan.moves) for (const file of files) if (file === move.from || (move.folder && file.startsWith(`${move.from}/`))) touched.add(file);
  const writes: FileWrite[] = [];
  for (const file of [...touched].sort()) {
    const before = plan.texts.get(file) ?? fs.readFileSync(path.join(root, file));
    if (plan.deletes.includes(file)) {
      writes.push({ path: file, action: 'delete', text: '', before });
      continue;
    }
    const text = texts.get(file) ?? before;
    const target = movedPath(plan, file);
    if (target === file) {
      writes.push({ path: file, action: 'replace', text, before });
    } else {
      writes.push({ path: target, action: 'create', text });
      writes.push({ path: file, action: 'delete', text: '', before });
    }
  }
  return writes;
}
