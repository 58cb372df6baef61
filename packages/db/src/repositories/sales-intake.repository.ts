import type { TenantTransaction } from '../tenant';

/** One sale line a point-of-sale system posted (POST /v1/sales), validated. */
export interface ApiSaleLine {
  marketId: string;
  productId: string;
  /** `<source>:<the system's line id>`: the line's identity across batches. */
  providerLineId: string;
  /** The system's order id, or the line's own id when it sent none. */
  providerOrderId: string;
  /** `YYYY-MM-DD`, market-local. */
  date: string;
  /** Decimal strings with at most 3 decimals. */
  quantity: string;
  refundedQuantity: string;
  unitPriceMinor: number | null;
  grossMinor: number;
}

/** Ids of one vendor's markets and products (RLS: the transaction's vendor only). */
export interface KnownCatalog {
  marketIds: Set<string>;
  productIds: Set<string>;
}

const CHUNK = 500;

/** Sales that arrive as JSON from other point-of-sale systems (source API). */
export class SalesIntakeRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The ids among `marketIds` / `productIds` that are this vendor's. */
  async findKnown(input: { marketIds: string[]; productIds: string[] }): Promise<KnownCatalog> {
    const markets = await this.tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM markets WHERE id = ANY(${input.marketIds}::uuid[])`;
    const products = await this.tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM products WHERE id = ANY(${input.productIds}::uuid[])`;
    return {
      marketIds: new Set(markets.map((r) => r.id)),
      productIds: new Set(products.map((r) => r.id)),
    };
  }

  /**
   * Inserts or replaces each line by (vendor, API, providerLineId); returns how many were new
   * and how many replaced a line sent before. Lines must be sorted by providerLineId (one lock
   * order for concurrent batches).
   */
  async upsertLines(
    vendorId: string,
    lines: ApiSaleLine[],
  ): Promise<{ created: number; updated: number }> {
    let created = 0;
    let updated = 0;
    for (let i = 0; i < lines.length; i += CHUNK) {
      const part = lines.slice(i, i + CHUNK);
      const rows = await this.tx.$queryRaw<{ inserted: boolean }[]>`
        INSERT INTO sales (vendor_id, market_id, product_id, source, provider_order_id,
                           provider_line_id, sold_at, market_date, quantity,
                           refunded_quantity, unit_price_minor, gross_minor, state, updated_at)
        SELECT ${vendorId}::uuid, t.market_id, t.product_id, 'API'::sales_source, t.order_id,
               t.line_id, (t.market_date + time '12:00') AT TIME ZONE 'UTC',
               t.market_date, t.quantity, t.refunded, t.unit_price, t.gross,
               (CASE WHEN t.refunded > 0 AND t.refunded >= t.quantity THEN 'REFUNDED'
                     ELSE 'COMPLETED' END)::sale_state,
               now()
        FROM unnest(${part.map((l) => l.marketId)}::uuid[],
                    ${part.map((l) => l.productId)}::uuid[],
                    ${part.map((l) => l.providerLineId)}::text[],
                    ${part.map((l) => l.providerOrderId)}::text[],
                    ${part.map((l) => l.date)}::date[],
                    ${part.map((l) => l.quantity)}::numeric[],
                    ${part.map((l) => l.refundedQuantity)}::numeric[],
                    ${part.map((l) => (l.unitPriceMinor === null ? null : String(l.unitPriceMinor)))}::int[],
                    ${part.map((l) => String(l.grossMinor))}::bigint[])
             AS t(market_id, product_id, line_id, order_id, market_date, quantity, refunded,
                  unit_price, gross)
        ON CONFLICT (vendor_id, source, provider_line_id) DO UPDATE
          SET market_id = EXCLUDED.market_id, product_id = EXCLUDED.product_id,
              provider_order_id = EXCLUDED.provider_order_id,
              sold_at = EXCLUDED.sold_at, market_date = EXCLUDED.market_date,
              quantity = EXCLUDED.quantity, refunded_quantity = EXCLUDED.refunded_quantity,
              unit_price_minor = EXCLUDED.unit_price_minor, gross_minor = EXCLUDED.gross_minor,
              state = EXCLUDED.state, updated_at = now()
        RETURNING (xmax = 0) AS inserted`;
      for (const row of rows) {
        if (row.inserted) created += 1;
        else updated += 1;
      }
    }
    return { created, updated };
  }

  /**
   * The (market, product, date) keys the lines with these provider ids had before this batch:
   * a line moved to another day must have its old day recomputed too.
   */
  async findPreviousKeys(
    providerLineIds: string[],
  ): Promise<{ marketId: string; productId: string; date: string }[]> {
    return this.tx.$queryRaw<{ marketId: string; productId: string; date: string }[]>`
      SELECT DISTINCT market_id::text AS "marketId", product_id::text AS "productId",
             to_char(market_date, 'YYYY-MM-DD') AS date
        FROM sales
       WHERE source = 'API' AND provider_line_id = ANY(${providerLineIds}::text[])`;
  }

  /**
   * Deletes the daily totals of these days that no sale backs any more (every line of the day
   * moved to another date or product); the days that still have sales are recomputed elsewhere.
   */
  async clearEmptyDays(
    keys: { marketId: string; productId: string; date: string }[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    return this.tx.$executeRaw`
      DELETE FROM daily_sales d
       USING unnest(${keys.map((k) => k.marketId)}::uuid[], ${keys.map((k) => k.productId)}::uuid[],
                    ${keys.map((k) => k.date)}::date[]) AS k(market_id, product_id, date)
       WHERE d.market_id = k.market_id AND d.product_id = k.product_id AND d.date = k.date
         AND NOT EXISTS (SELECT 1 FROM sales s
                          WHERE s.market_id = d.market_id AND s.product_id = d.product_id
                            AND s.market_date = d.date AND s.state <> 'CANCELED')`;
  }
}
