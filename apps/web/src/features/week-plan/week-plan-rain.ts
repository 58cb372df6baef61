import type { WeekPlanDay, WeekPlanProduct } from '@marketprep/contracts';

import { formatMoney, pluralizeUnit } from '../../lib/format';

/** "+$4.00" / "−$12.50": a difference of money, its sign always shown. */
export function formatMoneyChange(amountMinor: number): string {
  if (amountMinor === 0) return '±$0.00';
  return `${amountMinor > 0 ? '+' : '−'}${formatMoney(Math.abs(amountMinor))}`;
}

/** "60% chance of rain, 4 mm" / "rain, 3 mm" / "60% chance of rain". */
export function formatRainForecast(rain: {
  precipProb: number | null;
  precipMm: number | null;
}): string {
  const chance =
    rain.precipProb !== null ? `${Math.round(rain.precipProb * 100)}% chance of rain` : 'rain';
  return rain.precipMm !== null && rain.precipMm > 0 ? `${chance}, ${rain.precipMm} mm` : chance;
}

/**
 * The rain plan of one product's market day in words, or null when no rain is forecast: what to
 * bring if it comes, and what it does to the expected takings and profit (and what bringing the
 * plan's quantity anyway would give up). A product without a price gets no money in it; one
 * without a cost, takings only (its profit would count what it makes as free).
 */
export function rainPlanNote(
  day: WeekPlanDay,
  product: Pick<WeekPlanProduct, 'unit' | 'priced' | 'costed'>,
): string | null {
  const { unit } = product;
  const rain = day.rain;
  if (!rain) return null;
  const what =
    rain.bring === day.bring
      ? `bring the same ${day.bring}`
      : `bring ${rain.bring} ${pluralizeUnit(unit, rain.bring)} instead of ${day.bring}`;
  // A product without a price (sales imported without): no money to speak of, not "±$0.00".
  if (!product.priced) return `If it rains: ${what}.`;
  // `=== false`: a plan kept offline from before the flag reads as before.
  if (product.costed === false) {
    return `If it rains: ${what}; takings ${formatMoneyChange(rain.revenueDifferenceMinor)}.`;
  }
  const money = `takings ${formatMoneyChange(rain.revenueDifferenceMinor)}, profit ${formatMoneyChange(rain.profitDifferenceMinor)}`;
  const anyway =
    rain.bring === day.bring
      ? ''
      : ` (${formatMoneyChange(rain.planProfitIfRainMinor - day.expectedProfitMinor)} if you bring ${day.bring} anyway)`;
  return `If it rains: ${what}; ${money}${anyway}.`;
}
