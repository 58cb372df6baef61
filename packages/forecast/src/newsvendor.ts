import { median } from './quantiles/empirical-quantile';
import { interpolateQuantile, QUANTILE_LEVELS } from './quantiles/quantile-grid';

/** Critical ratios are kept inside this range: no product is worth P100 or P0. */
export const CRITICAL_RATIO_RANGE = { min: 0.05, max: 0.95 } as const;

/** Critical ratio used when a product's economics are unknown: the median. */
export const DEFAULT_CRITICAL_RATIO = 0.5;

/**
 * The newsvendor critical ratio `(price - cost) / (price - salvage)`: the cost of a missed sale
 * against the cost of a leftover. Clamped to [0.05, 0.95]; the default when inputs are missing or
 * make no sense (price <= salvage).
 */
export function computeCriticalRatio(economics: {
  readonly price?: number;
  readonly unitCost?: number;
  readonly salvageValue?: number;
}): number {
  const { price, unitCost } = economics;
  const salvage = economics.salvageValue ?? 0;
  if (price === undefined || unitCost === undefined) return DEFAULT_CRITICAL_RATIO;
  if (![price, unitCost, salvage].every(Number.isFinite) || price <= salvage) {
    return DEFAULT_CRITICAL_RATIO;
  }
  return clampCriticalRatio((price - unitCost) / (price - salvage));
}

/** Whether a product's price and cost are known, so that its own critical ratio can be computed. */
export function hasEconomics(economics: { readonly price?: number; readonly unitCost?: number }) {
  return economics.price !== undefined && economics.unitCost !== undefined;
}

/**
 * The critical ratio for a product whose price or cost is not known: the median of the vendor's
 * products whose economics are, so a new pie is packed like the vendor's other products rather
 * than like one that costs nothing to make; `DEFAULT_CRITICAL_RATIO` when none is known.
 */
export function typicalCriticalRatio(
  products: readonly {
    readonly price?: number;
    readonly unitCost?: number;
    readonly salvageValue?: number;
  }[],
): number {
  const ratios = products.filter(hasEconomics).map(computeCriticalRatio);
  return ratios.length > 0 ? median(ratios) : DEFAULT_CRITICAL_RATIO;
}

/** Keeps a critical ratio inside `CRITICAL_RATIO_RANGE`. */
export function clampCriticalRatio(ratio: number): number {
  if (!Number.isFinite(ratio)) return DEFAULT_CRITICAL_RATIO;
  return Math.min(Math.max(ratio, CRITICAL_RATIO_RANGE.min), CRITICAL_RATIO_RANGE.max);
}

/** Whole units to bring for a critical quantile: rounded up, never negative. */
export function recommendQuantity(criticalQuantile: number): number {
  if (!Number.isFinite(criticalQuantile) || criticalQuantile <= 0) return 0;
  // A hair of tolerance so 12.0000000001 from floating point stays 12.
  return Math.max(0, Math.ceil(criticalQuantile - 1e-9));
}

const EXPECTATION_STEPS = 400;

/**
 * Expected units sold when bringing `quantity`: E[min(demand, quantity)] under the predictive
 * distribution given by its quantile function (midpoint rule over probability).
 */
export function expectedSales(quantileAt: (level: number) => number, quantity: number): number {
  let total = 0;
  for (let step = 0; step < EXPECTATION_STEPS; step++) {
    const level = (step + 0.5) / EXPECTATION_STEPS;
    total += Math.min(Math.max(quantileAt(level), 0), quantity);
  }
  return total / EXPECTATION_STEPS;
}

/**
 * Expected units sold when bringing `quantity`, from the stored predictive distribution (demand at
 * each of `QUANTILE_LEVELS`, as `PrepForecast.demandQuantiles`): used for a quantity the engine did
 * not choose, such as the vendor's override.
 */
export function expectedSalesFromQuantiles(
  demandQuantiles: readonly number[],
  quantity: number,
): number {
  if (demandQuantiles.length !== QUANTILE_LEVELS.length) {
    throw new RangeError(`expected ${QUANTILE_LEVELS.length} demand quantiles`);
  }
  return expectedSales((level) => interpolateQuantile(demandQuantiles, level), quantity);
}
