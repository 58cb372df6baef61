/**
 * Sell-out times from Square order timestamps (issue 22): a product whose last sale of a market
 * day came well before close, at a time by which it usually has sold only part of its day, sold
 * out then. Pure: sale instants and opening hours in, instants out.
 */

/** One sale line: when it closed and how many units. */
export interface TimedSale {
  productId: string;
  soldAt: Date;
  quantity: number;
}

/** A past market day of one market with its sale lines (for the usual curve). */
export interface TimedMarketDay {
  opensAt: Date;
  closesAt: Date;
  sales: readonly TimedSale[];
}

/** Share of a product's day sold by each tenth of the opening hours (index 0 = 10%, 9 = 100%). */
export type SalesCurve = readonly number[];

/** When a sell-out is read from the timestamps (docs/input-health.md, "Sell-out times"). */
export const SELL_OUT_RULES = {
  /** The last sale must be at least this long before close... */
  minGapMinutes: 45,
  /** ...and at least this share of the opening hours before close. */
  minGapShare: 0.15,
  /** By the last sale's time the product usually has sold less than this share of its day. */
  maxUsualShareSold: 0.85,
  /** Usual curves need this many past days of the product at the market; else a flat curve. */
  minCurveDays: 3,
  /** A product needs at least this many units sold on the day to be read as sold out. */
  minUnits: 3,
} as const;

const BINS = 10;
/** Selling evenly through the day: the curve of a product without enough history. */
export const FLAT_CURVE: SalesCurve = Array.from({ length: BINS }, (_, i) => (i + 1) / BINS);

const fractionOf = (at: Date, opensAt: Date, closesAt: Date) => {
  const span = closesAt.getTime() - opensAt.getTime();
  return span > 0 ? Math.min(1, Math.max(0, (at.getTime() - opensAt.getTime()) / span)) : 1;
};

/**
 * Each product's usual sales curve at a market: per past day the cumulative share of its units by
 * each tenth of the hours, averaged over its days (days it did not sell out only would be ideal;
 * a sell-out day flattens nothing that matters: its curve reaches 1 early, which makes later
 * sell-outs look less unusual, so the estimate errs on the side of "not sold out").
 */
export function usualSalesCurves(days: readonly TimedMarketDay[]): Map<string, SalesCurve> {
  const sums = new Map<string, { days: number; curve: number[] }>();
  for (const day of days) {
    const byProduct = new Map<string, TimedSale[]>();
    for (const sale of day.sales) {
      if (sale.quantity <= 0) continue;
      const list = byProduct.get(sale.productId) ?? [];
      list.push(sale);
      byProduct.set(sale.productId, list);
    }
    for (const [productId, sales] of byProduct) {
      const total = sales.reduce((sum, s) => sum + s.quantity, 0);
      const bins = new Array<number>(BINS).fill(0);
      for (const sale of sales) {
        const f = fractionOf(sale.soldAt, day.opensAt, day.closesAt);
        bins[Math.min(BINS - 1, Math.floor(f * BINS))]! += sale.quantity / total;
      }
      let running = 0;
      const curve = bins.map((share) => (running += share));
      const entry = sums.get(productId) ?? { days: 0, curve: new Array<number>(BINS).fill(0) };
      entry.days += 1;
      curve.forEach((value, i) => (entry.curve[i]! += value));
      sums.set(productId, entry);
    }
  }
  const curves = new Map<string, SalesCurve>();
  for (const [productId, { days: count, curve }] of sums) {
    curves.set(
      productId,
      count >= SELL_OUT_RULES.minCurveDays ? curve.map((v) => v / count) : FLAT_CURVE,
    );
  }
  return curves;
}

/** The usual share sold by `fraction` of the day, read off the curve (linear between tenths). */
export function usualShareBy(curve: SalesCurve, fraction: number): number {
  const x = Math.min(1, Math.max(0, fraction)) * BINS;
  const i = Math.floor(x);
  const before = i === 0 ? 0 : (curve[i - 1] ?? 1);
  const after = curve[i] ?? 1;
  return before + (after - before) * (x - i);
}

/** A product's derived sell-out on one market day. */
export interface DerivedSellOut {
  productId: string;
  /** The last sale's instant: when it ran out. */
  soldOutAt: Date;
  /** Share of the opening hours gone by then (0..1). */
  fractionOfDay: number;
  /** Share of its day the product usually has sold by then. */
  usualShareSold: number;
  unitsSold: number;
}

/**
 * Products of one market day that sold out, from their sale timestamps: the last sale well before
 * close (at least `minGapMinutes` and `minGapShare` of the hours), at a time by which the product
 * usually has sold less than `maxUsualShareSold` of its day. A product that simply sells early
 * (coffee at opening) is not read as sold out: its usual curve is already near 1 by then.
 */
export function deriveSellOutTimes(input: {
  day: TimedMarketDay;
  curves: ReadonlyMap<string, SalesCurve>;
}): DerivedSellOut[] {
  const { day } = input;
  const span = day.closesAt.getTime() - day.opensAt.getTime();
  if (!(span > 0)) return [];
  const last = new Map<string, { at: Date; units: number }>();
  for (const sale of day.sales) {
    if (sale.quantity <= 0) continue;
    const entry = last.get(sale.productId) ?? { at: sale.soldAt, units: 0 };
    if (sale.soldAt > entry.at) entry.at = sale.soldAt;
    entry.units += sale.quantity;
    last.set(sale.productId, entry);
  }
  const found: DerivedSellOut[] = [];
  for (const [productId, { at, units }] of last) {
    if (units < SELL_OUT_RULES.minUnits) continue;
    const gapMs = day.closesAt.getTime() - at.getTime();
    if (gapMs < SELL_OUT_RULES.minGapMinutes * 60_000) continue;
    if (gapMs < SELL_OUT_RULES.minGapShare * span) continue;
    const fraction = fractionOf(at, day.opensAt, day.closesAt);
    const usual = usualShareBy(input.curves.get(productId) ?? FLAT_CURVE, fraction);
    if (usual >= SELL_OUT_RULES.maxUsualShareSold) continue;
    found.push({
      productId,
      soldOutAt: at,
      fractionOfDay: fraction,
      usualShareSold: usual,
      unitsSold: units,
    });
  }
  return found.sort((a, b) => a.productId.localeCompare(b.productId));
}
