// The category pick of Move state to another category… (client/src/stateCategory.ts): what
// the quick pick lists as the user types, and why a typed category cannot be taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTs } from '../helpers/loadTs.mjs';

const { categoryItems, categoryProblem } = loadTs('client/src/stateCategory.ts');

const offer = { categories: ['media', 'services', 'databases', 'monitoring', 'business'], current: 'services', stateRoot: '/opt', name: 'n8n' };

test('the workspace\'s categories but the current one, each with the directory it would become', () => {
  assert.deepEqual(categoryItems(offer, ''), [
    { label: 'media', description: '/opt/media/n8n' },
    { label: 'databases', description: '/opt/databases/n8n' },
    { label: 'monitoring', description: '/opt/monitoring/n8n' },
    { label: 'business', description: '/opt/business/n8n' },
  ]);
  assert.equal(categoryItems(offer, 'monitoring').length, 4, 'typing an offered category adds nothing');
});

test('a typed category is listed with its problem: not one folder name, the current one, or not configured', () => {
  const typed = (value) => categoryItems(offer, value).find((i) => i.typed);
  assert.match(typed('Media Two').problem, /one folder name: lower-case letters, digits/);
  assert.match(typed('../etc').problem, /one folder name/);
  assert.match(typed('media/x').problem, /one folder name/);
  assert.equal(typed('services').problem, "n8n's state is already in /opt/services");
  assert.match(typed('apps').problem, /`apps` is not a state category of this workspace \(media, services, databases, monitoring, business\); add it to "categories" in \.hwc-lint\.json first/);
  assert.equal(typed('apps').description, typed('apps').problem, 'the pick shows the problem in place of the target');
});

test('a configured category typed with spaces around is taken; an empty entry is not', () => {
  assert.equal(categoryProblem(' business ', offer), undefined);
  assert.equal(categoryProblem('', offer), 'Type a category');
  const withApps = { ...offer, categories: [...offer.categories, 'apps'] };
  assert.equal(categoryProblem('apps', withApps), undefined, 'a category added to .hwc-lint.json is taken');
  assert.equal(categoryItems({ ...offer, current: null }, '').length, 5, 'no current category: all are offered');
});
