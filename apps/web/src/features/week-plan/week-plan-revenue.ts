import { expectedRevenueWords, noneHasPrice, type WeekPlan } from '@marketprep/contracts';

import { formatMoney } from '../../lib/format';

/**
 * The week's expected sales in words, from the products it plans something for (to make, bring or
 * hand over): `"$284.00"`, `"$284.00 (1 product has no price yet)"`; null when none of them has a
 * price (sales imported without prices), so the page says "no prices yet" instead of "$0.00".
 * Reads each product's `priced` from the API, not its revenue.
 */
export function weekRevenueWords(plan: Pick<WeekPlan, 'products' | 'totals'>): string | null {
  const planned = plan.products.filter((product) =>
    product.days.some((d) => d.bring > 0 || d.make > 0 || d.preOrders > 0 || d.expectedSold > 0),
  );
  if (noneHasPrice(planned)) return null;
  return expectedRevenueWords(formatMoney(plan.totals.expectedRevenueMinor), planned);
}
