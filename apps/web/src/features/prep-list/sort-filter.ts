/** Sorting and filtering of prep-list lines (pure, so the table and its tests agree). */
import type { PrepListLine } from '@marketprep/contracts';

/** How the list can be ordered. */
export type PrepListSort = 'name' | 'quantity' | 'revenue';

/** The sort options in the order the select shows them. */
export const SORT_OPTIONS: readonly { value: PrepListSort; label: string }[] = [
  { value: 'name', label: 'Name (A–Z)' },
  { value: 'quantity', label: 'Quantity to bring (most first)' },
  { value: 'revenue', label: 'Expected revenue (most first)' },
];

/** Whether `value` is a sort this page knows. */
export function isPrepListSort(value: string): value is PrepListSort {
  return SORT_OPTIONS.some((option) => option.value === value);
}

/** What the vendor narrowed the list to. */
export interface PrepListFilter {
  /** Part of the product name, any case; blank shows all. */
  search: string;
  /** Exact category; `''` shows all. */
  category: string;
}

const collator = new Intl.Collator('en-US', { sensitivity: 'base', numeric: true });

/**
 * The lines to show: filtered by name and category (`categories` maps product id to category;
 * lines of an unknown category only show under "all"), then sorted; ties fall back to the name.
 */
export function sortAndFilterLines(
  lines: readonly PrepListLine[],
  {
    sort,
    filter,
    categories,
  }: { sort: PrepListSort; filter: PrepListFilter; categories: ReadonlyMap<string, string | null> },
): PrepListLine[] {
  const search = filter.search.trim().toLocaleLowerCase('en-US');
  const byName = (a: PrepListLine, b: PrepListLine) =>
    collator.compare(a.productName, b.productName);
  const compare: Record<PrepListSort, (a: PrepListLine, b: PrepListLine) => number> = {
    name: byName,
    quantity: (a, b) => b.effectiveQuantity - a.effectiveQuantity || byName(a, b),
    revenue: (a, b) => b.expectedRevenueMinor - a.expectedRevenueMinor || byName(a, b),
  };
  return lines
    .filter((line) => search === '' || line.productName.toLocaleLowerCase('en-US').includes(search))
    .filter((line) => filter.category === '' || categories.get(line.productId) === filter.category)
    .sort(compare[sort]);
}

/** The distinct categories of the products on the list, sorted. */
export function categoriesOnList(
  lines: readonly PrepListLine[],
  categories: ReadonlyMap<string, string | null>,
): string[] {
  const found = new Set<string>();
  for (const line of lines) {
    const category = categories.get(line.productId);
    if (category) found.add(category);
  }
  return [...found].sort(collator.compare);
}

/** `"26–46"`: the likely range P10–P90, in whole units (a range is never read to the decimal). */
export function formatRange(q10: number, q90: number): string {
  return `${Math.floor(q10)}–${Math.ceil(q90)}`;
}
