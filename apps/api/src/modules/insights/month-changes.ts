import type { ReplayMoney } from '@marketprep/contracts';
import {
  computeCriticalRatio,
  recommendQuantity,
  replayDemand,
  ruleOfThumbForecast,
  scoreReplayDay,
  sumReplayDays,
  type ReplayDay,
} from '@marketprep/forecast';

/** One line of a market day's prep list (the list as it stood: override or computed quantity). */
export interface MonthListLine {
  marketDayId: string;
  marketId: string;
  date: string;
  productId: string;
  quantity: number;
  q10: number;
  q50: number;
  q90: number;
}

/** One product's check-in on a market day. */
export interface MonthCheckIn {
  marketDayId: string;
  productId: string;
  brought: number;
  sold: number | null;
  leftOver: number;
  soldOut: boolean;
}

/** Units sold of a product at a market on a date (`daily_sales`). */
export interface MonthSale {
  marketId: string;
  productId: string;
  date: string;
  quantity: number;
}

/** A product's name and money per unit (minor units); null when not set. */
export interface MonthProduct {
  id: string;
  name: string;
  priceMinor: number | null;
  unitCostMinor: number | null;
  salvageValueMinor: number | null;
}

/** The month's figures (see MonthChangesSchema in @marketprep/contracts). */
export interface MonthChangesSummary {
  marketDays: number;
  total: ReplayMoney;
  vsBrought: ReplayMoney;
  vsRuleOnly: ReplayMoney;
  soldOutProductDays: number;
  productsLeftOut: string[];
}

/** Same-weekday sales a rule of thumb looks back over (its P-quantiles use the last 8). */
export const RULE_LOOKBACK_DAYS = 8 * 7;

const zero = (): ReplayMoney => ({
  wasteAvoidedMinor: 0,
  salesRecoveredMinor: 0,
  netMinor: 0,
  netLowMinor: 0,
  netHighMinor: 0,
  productDays: 0,
});

const add = (a: ReplayMoney, b: ReplayMoney): ReplayMoney => ({
  wasteAvoidedMinor: a.wasteAvoidedMinor + b.wasteAvoidedMinor,
  salesRecoveredMinor: a.salesRecoveredMinor + b.salesRecoveredMinor,
  netMinor: a.netMinor + b.netMinor,
  netLowMinor: a.netLowMinor + b.netLowMinor,
  netHighMinor: a.netHighMinor + b.netHighMinor,
  productDays: a.productDays + b.productDays,
});

/** Rounded money of a market day's product-days (net as the sum of its rounded parts). */
function rounded(
  delta: { wasteAvoided: number; salesRecovered: number; netLow: number; netHigh: number },
  productDays: number,
): ReplayMoney {
  const wasteAvoidedMinor = Math.round(delta.wasteAvoided);
  const salesRecoveredMinor = Math.round(delta.salesRecovered);
  return {
    wasteAvoidedMinor,
    salesRecoveredMinor,
    netMinor: wasteAvoidedMinor + salesRecoveredMinor,
    netLowMinor: Math.round(delta.netLow),
    netHighMinor: Math.round(delta.netHigh),
    productDays,
  };
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * "What MarketPrep changed this month" from the month's prep lists and what happened: each
 * product-day with an outcome is scored as the replay scores a day (docs/replay.md), the list's
 * quantity against what was brought when a check-in says, else against the rule of thumb on the
 * sales before that day only. Sold-out days are censored demand (at least what sold, best guess
 * from the list's own P10-P90). Rounded per market day, so the month is the sum of its days.
 * `sales` must reach {@link RULE_LOOKBACK_DAYS} before the first list date.
 */
export function summarizeMonthChanges(input: {
  lines: readonly MonthListLine[];
  checkIns: readonly MonthCheckIn[];
  sales: readonly MonthSale[];
  products: readonly MonthProduct[];
}): MonthChangesSummary {
  const productOf = new Map(input.products.map((p) => [p.id, p]));
  const checkInOf = new Map(input.checkIns.map((c) => [`${c.marketDayId}|${c.productId}`, c]));
  const soldOn = new Map<string, number>();
  const series = new Map<string, MonthSale[]>();
  for (const sale of [...input.sales].sort((a, b) => a.date.localeCompare(b.date))) {
    const key = `${sale.marketId}|${sale.productId}`;
    soldOn.set(`${key}|${sale.date}`, (soldOn.get(`${key}|${sale.date}`) ?? 0) + sale.quantity);
    const list = series.get(key) ?? [];
    if (list.at(-1)?.date === sale.date) continue;
    list.push(sale);
    series.set(key, list);
  }
  const leftOut = new Set<string>();
  const byDay = new Map<string, { withCheckIn: ReplayDay[]; withoutCheckIn: ReplayDay[] }>();
  let soldOut = 0;
  for (const line of input.lines) {
    const product = productOf.get(line.productId);
    if (!product) continue;
    // A price or cost of 0 is one not entered yet (imports and new products start there), as
    // the prep list reads it (productEconomics): its money cannot be told either.
    if (
      !(product.priceMinor && product.priceMinor > 0) ||
      !(product.unitCostMinor && product.unitCostMinor > 0)
    ) {
      leftOut.add(product.name);
      continue;
    }
    const key = `${line.marketId}|${line.productId}`;
    const checkIn = checkInOf.get(`${line.marketDayId}|${line.productId}`);
    const sold =
      checkIn?.sold ??
      soldOn.get(`${key}|${line.date}`) ??
      (checkIn ? Math.max(0, checkIn.brought - checkIn.leftOver) : null);
    if (sold === null) continue;
    const economics = {
      price: product.priceMinor,
      unitCost: product.unitCostMinor,
      salvageValue: product.salvageValueMinor ?? 0,
    };
    const sameWeekday = (series.get(key) ?? [])
      .filter((s) => s.date < line.date && weekdayOf(s.date) === weekdayOf(line.date))
      .map((s) => soldOn.get(`${key}|${s.date}`) ?? 0);
    const rule = ruleOfThumbForecast(sameWeekday, computeCriticalRatio(economics));
    const demand = replayDemand(
      {
        date: line.date,
        market: line.marketId,
        product: line.productId,
        quantity: sold,
        // Without a check-in, selling all the list said most likely means a sell-out: read as
        // demand of at least that, which never credits the list with waste it did not avoid.
        ...(checkIn
          ? { brought: checkIn.brought, soldOut: checkIn.soldOut }
          : { soldOut: sold >= line.quantity && sold > 0 }),
      },
      { q10: line.q10, q50: line.q50, q90: line.q90 },
    );
    if (demand.censored) soldOut += 1;
    const day = scoreReplayDay({
      date: line.date,
      market: line.marketId,
      product: line.productId,
      engineQuantity: line.quantity,
      ruleQuantity: recommendQuantity(rule.critical),
      brought: checkIn ? checkIn.brought : null,
      sold,
      demand,
      economics,
    });
    const entry = byDay.get(line.marketDayId) ?? { withCheckIn: [], withoutCheckIn: [] };
    (checkIn ? entry.withCheckIn : entry.withoutCheckIn).push(day);
    byDay.set(line.marketDayId, entry);
  }
  let vsBrought = zero();
  let vsRuleOnly = zero();
  for (const { withCheckIn, withoutCheckIn } of byDay.values()) {
    vsBrought = add(vsBrought, rounded(sumReplayDays(withCheckIn).vsBrought, withCheckIn.length));
    vsRuleOnly = add(
      vsRuleOnly,
      rounded(sumReplayDays(withoutCheckIn).vsRule, withoutCheckIn.length),
    );
  }
  return {
    marketDays: byDay.size,
    total: add(vsBrought, vsRuleOnly),
    vsBrought,
    vsRuleOnly,
    soldOutProductDays: soldOut,
    productsLeftOut: [...leftOut].sort(),
  };
}
