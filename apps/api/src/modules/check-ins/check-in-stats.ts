import type { CheckInStatsFigures } from '@marketprep/contracts';

/** One product on one market day, as the stats read it. */
export interface StatsObservation {
  marketDayId: string;
  brought: number;
  /** Checked-in sold, else sales data, else brought - leftOver. */
  sold: number;
  wasted: number;
  donated: number;
  /** Sold out: demand was at least `sold` (censored). */
  soldOut: boolean;
  /** The prep list's quantity (override if any), when there was a prep list. */
  recommended: number | null;
  /** The forecast median of that prep list. */
  q50: number | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/**
 * Accuracy, waste, sell-outs and money figures of a group of observations (a product at a market,
 * or a whole market). Pure: the same observations always give the same figures.
 *
 * - Error and bias compare the prep-list quantity with `sold` on days that did NOT sell out;
 *   sell-out days are censored (true demand unknown, at least `sold`) and only counted.
 * - Money left on the table: on each sell-out day, max(0, P50 - sold) missed units x
 *   max(0, price - unit cost); waste cost: wasted x max(0, unit cost - salvage value). Summed
 *   exactly, rounded once to minor units.
 */
export function computeStatsFigures(observations: StatsObservation[]): CheckInStatsFigures {
  const n = observations.length;
  const censored = observations.filter((o) => o.soldOut);
  const comparable = observations.filter((o) => !o.soldOut && o.recommended !== null);
  const sum = (pick: (o: StatsObservation) => number, of = observations) =>
    of.reduce((acc, o) => acc + pick(o), 0);
  const brought = sum((o) => o.brought);
  const wasted = sum((o) => o.wasted);
  const errors = comparable.map((o) => (o.recommended ?? 0) - o.sold);
  const moneyLeft = sum(
    (o) => Math.max(0, (o.q50 ?? 0) - o.sold) * Math.max(0, o.priceMinor - o.unitCostMinor),
    censored.filter((o) => o.q50 !== null),
  );
  const wasteCost = sum((o) => o.wasted * Math.max(0, o.unitCostMinor - o.salvageValueMinor));
  return {
    marketDays: new Set(observations.map((o) => o.marketDayId)).size,
    accuracyDays: comparable.length,
    censoredDays: censored.length,
    meanAbsoluteError:
      errors.length === 0
        ? null
        : round(errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length, 3),
    bias: errors.length === 0 ? null : round(errors.reduce((a, e) => a + e, 0) / errors.length, 3),
    wasteRate: brought > 0 ? round(wasted / brought, 4) : null,
    sellOutRate: n > 0 ? round(censored.length / n, 4) : null,
    brought: round(brought, 3),
    sold: round(
      sum((o) => o.sold),
      3,
    ),
    wasted: round(wasted, 3),
    donated: round(
      sum((o) => o.donated),
      3,
    ),
    moneyLeftOnTableMinor: Math.round(moneyLeft),
    wasteCostMinor: Math.round(wasteCost),
  };
}
