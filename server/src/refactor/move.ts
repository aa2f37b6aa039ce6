// Move a container's state to another category (`/opt/media/x` → `/opt/services/x`): the
// category segment of every place the state directory is spelled — volumes, tmpfiles entries
// (in any file), option defaults the volumes read — changes together. The data on the host
// has to follow; the note prints the `mv`.
import * as path from 'path';
import { containerFacts } from '../features/support/facts';
import { suggestedCommand } from '../suggestedCommand';
import type { FileEdits } from '../fixes/types';
import type { PlaceSource } from './places';
import { checkParses, placesOrRefuse, RefactorRefused, type RefactorPlan } from './plan';

export function planMove(source: PlaceSource, name: string, category: string): RefactorPlan {
  const { config, index } = source;
  if (!config.categories.includes(category)) throw new RefactorRefused(`\`${category}\` is not a state category; use one of ${config.categories.map((c) => `\`${c}\``).join(', ')} (categories in .hwc-lint.json)`);
  const places = placesOrRefuse(source, name);
  const stateRoot = config.stateRoot.replace(/\/+$/, '');
  const target = `${stateRoot}/${category}/${name}`;
  if (places.stateDirs.length === 0) throw new RefactorRefused(`${name} mounts no state directory under ${stateRoot}/<category>/${name}`);
  if (places.stateDirs.every((dir) => dir === target)) throw new RefactorRefused(`${name}'s state is already in ${stateRoot}/${category}`);
  const resolver = index.resolver();
  const owner = index.containers().find((c) => c.name !== name && containerFacts(c, resolver, config.stateRoot).stateDirs.includes(target));
  if (owner) throw new RefactorRefused(`${target} is the state directory of ${owner.name}`);

  const edits: FileEdits = new Map();
  for (const place of places.places) {
    if (place.kind !== 'state-dir') continue;
    const text = places.texts.get(place.file)!;
    // The place is the name in `<stateRoot>/<category>/<name>`; the category is the segment before it.
    const categoryEnd = place.start - 1;
    const categoryStart = text.lastIndexOf('/', categoryEnd - 1) + 1;
    if (text.slice(categoryStart, categoryEnd) === category) continue;
    const list = edits.get(place.file) ?? [];
    list.push({ start: categoryStart, end: categoryEnd, newText: category });
    edits.set(place.file, list);
  }
  const notes: string[] = [];
  for (const dir of places.stateDirs) {
    if (dir === target) continue;
    const command = /^\/[a-z0-9/_-]+$/.test(dir) ? suggestedCommand(['mv', dir, path.posix.join(stateRoot, category, name)]) : undefined;
    notes.push(`the state directory is now ${target} in Nix: move the data on the host before the next switch${command ? `: ${command}` : ''}`);
  }
  // Only the state paths are this refactor's business: other mentions are not listed.
  const plan: RefactorPlan = { edits, texts: places.texts, moves: [], deletes: [], notes, unresolved: [] };
  checkParses(plan);
  return plan;
}
