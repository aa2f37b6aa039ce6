// The category step of Move state to another category… without VS Code: the items the quick
// pick shows (the workspace's categories, then what the user typed) and why a typed category
// cannot be taken. The server checks again (refactor/move.ts); this is the feedback while typing.

/** One folder name below the state root, as the rules read a state path. */
const CATEGORY = /^[a-z0-9][a-z0-9_-]*$/;

export interface CategoryOffer {
  categories: string[];
  /** The container's category today (null: none under the state root). */
  current: string | null;
  stateRoot: string;
  name: string;
}

export interface CategoryItem {
  label: string;
  description: string;
  /** Set on a typed entry that cannot be taken; the pick stays open and shows it. */
  problem?: string;
  /** The entry typed by the user (not one of the offered categories). */
  typed?: boolean;
}

/** Why `typed` is not a category this container's state can move to; undefined when it is. */
export function categoryProblem(typed: string, offer: CategoryOffer): string | undefined {
  const category = typed.trim();
  if (category === '') return 'Type a category';
  if (!CATEGORY.test(category)) return 'A category is one folder name: lower-case letters, digits, `-` and `_`';
  if (category === offer.current) return `${offer.name}'s state is already in ${offer.stateRoot}/${category}`;
  if (!offer.categories.includes(category)) {
    return `\`${category}\` is not a state category of this workspace (${offer.categories.join(', ')}); add it to "categories" in .hwc-lint.json first`;
  }
  return undefined;
}

/** The items for the current input: every category but the current one, and the typed text when it is none of them. */
export function categoryItems(offer: CategoryOffer, typed: string): CategoryItem[] {
  const target = (category: string) => `${offer.stateRoot}/${category}/${offer.name}`;
  const items: CategoryItem[] = offer.categories.filter((c) => c !== offer.current).map((c) => ({ label: c, description: target(c) }));
  const value = typed.trim();
  if (value !== '' && !items.some((i) => i.label === value)) {
    const problem = categoryProblem(value, offer);
    items.push({ label: value, description: problem ?? target(value), problem, typed: true });
  }
  return items;
}
