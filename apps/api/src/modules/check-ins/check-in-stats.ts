import type { CheckInStatsFigures } from '@marketprep/contracts';
import type { CheckInStatsSums } from '@marketprep/db';

/**
 * What the stats of a group (a product at a market, or a whole market) are computed from: sums
 * over its check-in lines, each line a product on a market day with
 * - sold: checked-in sold, else sales data, else brought - left over;
 * - sold out: demand was at least `sold` (censored);
 * - recommended / P50: the quantity (override if any) and median of the day's prep list.
 * The repository sums them in PostgreSQL (FeedbackRepository.sumCheckInStats).
 */
export type StatsSums = CheckInStatsSums;

export const NO_STATS: StatsSums = {
  lines: 0,
  marketDays: 0,
  censored: 0,
  compared: 0,
  absoluteError: 0,
  error: 0,
  brought: 0,
  sold: 0,
  wasted: 0,
  donated: 0,
  moneyLeftOnTable: 0,
  wasteCost: 0,
};

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/**
 * Accuracy, waste, sell-outs and money figures of a group from its sums. Pure.
 *
 * - Error and bias compare the prep-list quantity with `sold` on days that did NOT sell out;
 *   sell-out days are censored (true demand unknown, at least `sold`) and only counted.
 * - Money left on the table and waste cost are summed exactly, rounded once to minor units.
 */
export function computeStatsFigures(sums: StatsSums): CheckInStatsFigures {
  const { compared } = sums;
  return {
    marketDays: sums.marketDays,
    accuracyDays: compared,
    censoredDays: sums.censored,
    meanAbsoluteError: compared === 0 ? null : round(sums.absoluteError / compared, 3),
    bias: compared === 0 ? null : round(sums.error / compared, 3),
    wasteRate: sums.brought > 0 ? round(sums.wasted / sums.brought, 4) : null,
    sellOutRate: sums.lines > 0 ? round(sums.censored / sums.lines, 4) : null,
    brought: round(sums.brought, 3),
    sold: round(sums.sold, 3),
    wasted: round(sums.wasted, 3),
    donated: round(sums.donated, 3),
    moneyLeftOnTableMinor: Math.round(sums.moneyLeftOnTable),
    wasteCostMinor: Math.round(sums.wasteCost),
  };
}
