/**
 * Products without a price on the prep list (sales imported without prices): the API says per line
 * whether its product has a price now (`priced`), and the list says "no price yet" / "no prices
 * yet" where money would read "$0.00". The words are the contracts' (`expectedRevenueWords`), so the
 * screen, the printed list and the API's PDF agree.
 */
import {
  NO_PRICE_YET,
  expectedRevenueWords,
  noneHasPrice,
  type PrepList,
  type PrepListLine,
} from '@marketprep/contracts';

import { formatMoney } from '../../lib/format';
import { splitBySeason } from './season';

/** A line's expected revenue: its money, or "no price yet" when its product has no price. */
export function lineRevenueWords(
  line: Pick<PrepListLine, 'priced' | 'expectedRevenueMinor'>,
  currency: string,
): string {
  return line.priced ? formatMoney(line.expectedRevenueMinor, currency) : NO_PRICE_YET;
}

/**
 * The list's expected revenue in words, from the lines its totals add up (in season, or set by
 * hand): `"$197.75"`, `"$48.00 (1 product has no price yet)"`; null when none of them has a price
 * (then the total is no revenue, and the page says "no prices yet").
 */
export function listRevenueWords(
  list: Pick<PrepList, 'lines' | 'totals' | 'currency'>,
): string | null {
  const counted = splitBySeason(list.lines).onList;
  if (noneHasPrice(counted)) return null;
  return expectedRevenueWords(
    formatMoney(list.totals.expectedRevenueMinor, list.currency),
    counted,
  );
}

/**
 * The printed list's total: `"Total 56 to bring · expected $197.75"` (or `"· no prices yet"`),
 * with the key to the quantities set by hand (`"· * set by hand"`) only when the list has one.
 */
export function printedTotalWords(list: Pick<PrepList, 'lines' | 'totals' | 'currency'>): string {
  const revenue = listRevenueWords(list);
  const byHand = list.lines.some((line) => line.overrideQuantity !== null);
  return `Total ${list.totals.effectiveQuantity} to bring · ${
    revenue === null ? 'no prices yet' : `expected ${revenue}`
  }${byHand ? ' · * set by hand' : ''}`;
}

/**
 * A list as this version of the page reads it. A copy kept offline from before the API said
 * whether a product has a price has no `priced`: for that copy only, a line expected to sell that
 * is worth nothing reads as unpriced (its revenue was computed with the price of the time), every
 * other line as priced. Lists from the API are returned as they are.
 */
export function withPricedDefaults(list: PrepList): PrepList {
  const lines = list.lines as (Omit<PrepListLine, 'priced'> & { priced?: boolean })[];
  if (lines.every((line) => line.priced !== undefined)) return list;
  return {
    ...list,
    lines: lines.map((line) => ({
      ...line,
      priced: line.priced ?? !(line.expectedSold > 0 && line.expectedRevenueMinor === 0),
    })),
  };
}

/**
 * How far a line's quantity covers demand, and why that far (under "Why N?"). The ratio weighs a
 * leftover's cost (cost - leftover value) against a missed sale's (price - cost); without a unit
 * cost (`costed` false: imports and new products start at 0) there is nothing to weigh, and the
 * API packs the product like the vendor's products that have one (docs/forecasting.md).
 */
export function coverageWords(
  line: Pick<PrepListLine, 'recommendedQuantity' | 'criticalRatio' | 'costed'>,
): string {
  const days = Math.round(line.criticalRatio * 100);
  const covers = `Bringing ${line.recommendedQuantity} covers demand on ${days} of 100 similar days`;
  // `=== false`: a copy kept offline from before the API said so has no flag; it reads as before.
  if (line.costed === false)
    return `No unit cost set yet: ${covers.toLowerCase()}, as your other products do.`;
  if (days > 50) return `${covers}: a leftover costs you less than a missed sale.`;
  if (days < 50) return `${covers}: a leftover costs you more than a missed sale.`;
  return `${covers}: a leftover costs you as much as a missed sale.`;
}
