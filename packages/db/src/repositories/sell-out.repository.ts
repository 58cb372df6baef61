import type { PrismaClient } from '../generated/prisma/client';
import { tenantSql, withTenant } from '../tenant';

/** Sale lines of one market day with their instants (point-of-sale sources only). */
export interface MarketDaySaleTimes {
  /** Market-local `YYYY-MM-DD`. */
  date: string;
  /** The stored market day's hours, when it has a row (else the caller uses the schedule). */
  opensAt: Date | null;
  closesAt: Date | null;
  sales: { productId: string; soldAt: Date; quantity: number; source: 'SQUARE' | 'API' }[];
}

interface Row {
  date: string;
  product_id: string;
  sold_at: Date;
  quantity: number;
  source: 'SQUARE' | 'API';
  opens_at: Date | null;
  closes_at: Date | null;
}

// Square and POST /v1/sales lines carry the instant of the sale; CSV rows carry a date only.
const SQL = `
WITH past AS (
  SELECT DISTINCT market_date FROM sales
   WHERE market_id = $1::uuid AND source IN ('SQUARE', 'API') AND state <> 'CANCELED'
     AND market_date < $2::date
   ORDER BY market_date DESC LIMIT $3)
SELECT to_char(s.market_date, 'YYYY-MM-DD') AS date, s.product_id, s.sold_at,
       (s.quantity - s.refunded_quantity)::float8 AS quantity, s.source::text AS source,
       md.opens_at, md.closes_at
  FROM sales s
  LEFT JOIN market_days md ON md.market_id = s.market_id AND md.date = s.market_date
 WHERE s.market_id = $1::uuid AND s.source IN ('SQUARE', 'API') AND s.state <> 'CANCELED'
   AND (s.market_date = $2::date OR s.market_date IN (SELECT market_date FROM past))
 ORDER BY s.market_date, s.sold_at`;

/**
 * The timed sale lines of `marketId` on `date` and on its `pastDays` previous market days with
 * point-of-sale sales (for each product's usual curve through the day). One statement, RLS-scoped.
 */
export function readMarketSaleTimes(
  prisma: PrismaClient,
  input: { vendorId: string; marketId: string; date: string; pastDays: number },
): Promise<{ day: MarketDaySaleTimes | null; past: MarketDaySaleTimes[] }> {
  return withTenant(
    prisma,
    input.vendorId,
    async (tx) => {
      const rows = await tenantSql(tx).query<Row>(
        SQL,
        [input.marketId, input.date, input.pastDays],
        'mp-market-sale-times',
      );
      const days = new Map<string, MarketDaySaleTimes>();
      for (const row of rows) {
        let day = days.get(row.date);
        if (!day) {
          day = { date: row.date, opensAt: row.opens_at, closesAt: row.closes_at, sales: [] };
          days.set(row.date, day);
        }
        if (row.quantity > 0) {
          day.sales.push({
            productId: row.product_id,
            soldAt: row.sold_at,
            quantity: row.quantity,
            source: row.source,
          });
        }
      }
      const day = days.get(input.date) ?? null;
      days.delete(input.date);
      return { day, past: [...days.values()] };
    },
    { readOnly: true },
  );
}
