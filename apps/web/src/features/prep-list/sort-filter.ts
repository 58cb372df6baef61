/** Sorting and filtering of prep-list lines (pure, so the table and its tests agree). */
import type { PrepListLine } from '@marketprep/contracts';

/** How the list can be ordered. */
export type PrepListSort = 'name' | 'quantity' | 'revenue';

/** The sort options in the order the select shows them (short: half a phone's width). */
export const SORT_OPTIONS: readonly { value: PrepListSort; label: string }[] = [
  { value: 'name', label: 'Name (A–Z)' },
  { value: 'quantity', label: 'Most to bring' },
  { value: 'revenue', label: 'Most revenue' },
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

// Names are ordered as `Intl.Collator('en-US', { sensitivity: 'base', numeric: true })` orders them
// (the tests hold the two together), without building a collator: the first one a page creates
// costs a phone tens of milliseconds of start-up, and this list sorts by name as it opens.
// Case and accents do not count, numbers compare by value, and spaces and punctuation (in ICU's
// order) come before digits, digits before letters.
const PUNCTUATION = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  þ: 'th',
  ı: 'i',
};

/** A name as compared: lower case, accents dropped, ligatures spelled out. */
function foldName(name: string): string {
  const lower = name.toLowerCase();
  if (!/[^\u0020-\u007e]/.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæœøłđþı]/g, (letter) => LETTER_FOLDS[letter] ?? letter);
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isPunctuation = (code: number) => PUNCTUATION.includes(String.fromCharCode(code));

/** Order of one non-digit character: spaces and punctuation, then letters, then the rest. */
function characterRank(code: number): number {
  const punctuation = PUNCTUATION.indexOf(String.fromCharCode(code));
  if (punctuation >= 0) return punctuation;
  return code >= 97 && code <= 122 ? 100 + code : 1000 + code;
}

/** Compares product names the way a person reads them ("Jam 2" before "Jam 10"). */
export function compareNames(a: string, b: string): number {
  const x = foldName(a);
  const y = foldName(b);
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (isDigit(cx) && isDigit(cy)) {
      let endX = i;
      while (endX < x.length && isDigit(x.charCodeAt(endX))) endX += 1;
      let endY = j;
      while (endY < y.length && isDigit(y.charCodeAt(endY))) endY += 1;
      const nx = x.slice(i, endX).replace(/^0+(?=\d)/, '');
      const ny = y.slice(j, endY).replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      i = endX;
      j = endY;
    } else if (isDigit(cx) || isDigit(cy)) {
      // A digit against a non-digit: after spaces and punctuation, before everything else.
      const other = isDigit(cx) ? cy : cx;
      const digitFirst = !isPunctuation(other);
      return isDigit(cx) === digitFirst ? -1 : 1;
    } else {
      if (cx !== cy) return characterRank(cx) - characterRank(cy);
      i += 1;
      j += 1;
    }
  }
  return x.length - i - (y.length - j);
}

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
  const search = filter.search.trim().toLowerCase();
  const byName = (a: PrepListLine, b: PrepListLine) => compareNames(a.productName, b.productName);
  const compare: Record<PrepListSort, (a: PrepListLine, b: PrepListLine) => number> = {
    name: byName,
    quantity: (a, b) => b.effectiveQuantity - a.effectiveQuantity || byName(a, b),
    revenue: (a, b) => b.expectedRevenueMinor - a.expectedRevenueMinor || byName(a, b),
  };
  return lines
    .filter((line) => search === '' || line.productName.toLowerCase().includes(search))
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
  return [...found].sort(compareNames);
}

/**
 * `"26–46"`: the likely range P10–P90, in whole units (a range is never read to the decimal);
 * one number when both ends are the same (`"Likely 0"`, not "0–0", for a crop not in yet).
 */
export function formatRange(q10: number, q90: number): string {
  const low = Math.floor(q10);
  const high = Math.ceil(q90);
  return low === high ? String(low) : `${low}–${high}`;
}
