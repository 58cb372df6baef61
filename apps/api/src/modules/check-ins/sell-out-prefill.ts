import { readMarketSaleTimes, type CheckInMarket, type DatabaseClient } from '@marketprep/db';
import {
  deriveSellOutTimes,
  usualSalesCurves,
  type TimedMarketDay,
} from '@marketprep/integrations';
import { scheduleOn } from '@marketprep/planning';
import { zonedInstant } from '@marketprep/planning';

/** Past market days with point-of-sale sales that shape each product's usual curve. */
const CURVE_DAYS = 12;

/** What a market day's point-of-sale sales prefill in its check-in. */
export interface DaySalePrefill {
  /** Derived sell-out (the last sale's instant) per product, with where its sales came from. */
  sellOuts: Map<string, { soldOutAt: Date; fromSquare: boolean }>;
  /** Products with Square sale lines that day: their sold count came from Square. */
  squareProducts: Set<string>;
}

/**
 * Sell-out times of a market day read from its Square (and POST /v1/sales) sale timestamps, per
 * product (docs/integrations.md, "Sell-out times"), to prefill the check-in, and which products'
 * sales came from Square (the check-in says so). Empty when the day has no timed sales (CSV-only
 * vendors); no sell-outs without hours.
 */
export async function deriveDaySellOuts(input: {
  db: DatabaseClient;
  vendorId: string;
  market: CheckInMarket;
  date: string;
  opensAt: Date | null;
  closesAt: Date | null;
}): Promise<DaySalePrefill> {
  const { market } = input;
  const prefill: DaySalePrefill = { sellOuts: new Map(), squareProducts: new Set() };
  const times = await readMarketSaleTimes(input.db.prisma, {
    vendorId: input.vendorId,
    marketId: market.id,
    date: input.date,
    pastDays: CURVE_DAYS,
  });
  if (!times.day || times.day.sales.length === 0) return prefill;
  for (const sale of times.day.sales) {
    if (sale.source === 'SQUARE') prefill.squareProducts.add(sale.productId);
  }
  const hours = hoursOf(market, input.date, input.opensAt, input.closesAt);
  if (!hours) return prefill;
  const past: TimedMarketDay[] = [];
  for (const day of times.past) {
    const dayHours = hoursOf(market, day.date, day.opensAt, day.closesAt);
    if (dayHours) past.push({ ...dayHours, sales: day.sales });
  }
  for (const sellOut of deriveSellOutTimes({
    day: { ...hours, sales: times.day.sales },
    curves: usualSalesCurves(past),
  })) {
    prefill.sellOuts.set(sellOut.productId, {
      soldOutAt: sellOut.soldOutAt,
      fromSquare: prefill.squareProducts.has(sellOut.productId),
    });
  }
  return prefill;
}

/** A day's stored hours, else those of its weekly schedule entry; null when neither is known. */
function hoursOf(
  market: CheckInMarket,
  date: string,
  opensAt: Date | null,
  closesAt: Date | null,
): { opensAt: Date; closesAt: Date } | null {
  if (opensAt && closesAt) return { opensAt, closesAt };
  const slot = scheduleOn(market, date);
  if (!slot) return null;
  return {
    opensAt: zonedInstant(date, slot.opensAt, market.timezone),
    closesAt: zonedInstant(date, slot.closesAt, market.timezone),
  };
}
