import { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { rethrowUniqueViolation } from './markets.repository';

/** Connection status, as stored. */
export type ConnectionStatus = 'ACTIVE' | 'REFRESH_FAILED' | 'ERROR' | 'REVOKED';

/** A Square connection as the API and worker see it (tokens still sealed). */
export interface SquareConnectionRecord {
  id: string;
  vendorId: string;
  status: ConnectionStatus;
  externalAccountId: string;
  scopes: string[];
  accessTokenEncrypted: Uint8Array | null;
  refreshTokenEncrypted: Uint8Array | null;
  encryptionKeyId: string | null;
  tokenExpiresAt: Date | null;
  lastRefreshedAt: Date | null;
  syncCursor: unknown;
  backfillCompletedAt: Date | null;
  lastSyncedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

/** Tokens and account of a freshly authorized connection. */
export interface SquareConnectionWrite {
  vendorId: string;
  externalAccountId: string;
  scopes: string[];
  accessTokenEncrypted: Uint8Array;
  refreshTokenEncrypted: Uint8Array | null;
  encryptionKeyId: string;
  tokenExpiresAt: Date | null;
  now: Date;
}

/** One Square order line, mapped to a market and product. */
export interface SquareSaleLine {
  marketId: string;
  productId: string;
  orderId: string;
  lineUid: string;
  /** The order's closed_at; the market-local date is derived from the market's zone. */
  soldAt: Date;
  quantity: string;
  unitPriceMinor: number | null;
  grossMinor: number;
  state: 'COMPLETED' | 'CANCELED';
  providerUpdatedAt: Date | null;
}

/** One returned line (from a return order), pointing at the line it refunds. */
export interface SquareReturnLine {
  returnOrderId: string;
  returnLineUid: string;
  sourceLineUid: string;
  returnedAt: Date;
  quantity: string;
  grossMinor: number;
}

/** A (market, product, local date) whose daily total must be recomputed. */
export interface DailyKey {
  marketId: string;
  productId: string;
  date: string;
}

const connectionSelect = {
  id: true,
  vendorId: true,
  status: true,
  externalAccountId: true,
  scopes: true,
  accessTokenEncrypted: true,
  refreshTokenEncrypted: true,
  encryptionKeyId: true,
  tokenExpiresAt: true,
  lastRefreshedAt: true,
  syncCursor: true,
  backfillCompletedAt: true,
  lastSyncedAt: true,
  lastError: true,
  createdAt: true,
} as const;

function chunks<T>(items: T[], size = 2_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Square connection, mapping and sync writes, in the caller's (tenant-scoped) transaction.
 * Sale lines are upserted by (vendor, SQUARE, line uid), so a re-sync never counts a line twice;
 * a page's rows, its daily totals and its checkpoint are written in one transaction.
 */
export class SquareSyncRepository {
  constructor(private readonly tx: TenantTransaction) {}

  // --- connection --------------------------------------------------------------------------

  /** The vendor's Square connection (any status), or null. */
  async findConnection(): Promise<SquareConnectionRecord | null> {
    const row = await this.tx.providerConnection.findFirst({
      where: { provider: 'SQUARE' },
      select: connectionSelect,
    });
    return row;
  }

  /**
   * The live (not REVOKED) connection of a Square merchant (webhook intake): visible only through
   * the `external_account_lookup` policy when the scope names that merchant. Businesses that
   * disconnected the merchant keep a REVOKED row with its id; at most one live row exists.
   */
  async findConnectionByMerchant(
    merchantId: string,
  ): Promise<{ id: string; vendorId: string; status: ConnectionStatus } | null> {
    return this.tx.providerConnection.findFirst({
      where: { provider: 'SQUARE', externalAccountId: merchantId, status: { not: 'REVOKED' } },
      select: { id: true, vendorId: true, status: true },
    });
  }

  /**
   * Stores a newly authorized connection (or re-authorizes the vendor's existing one): sealed
   * tokens, ACTIVE, sync checkpoint cleared. A merchant connected to another vendor (any status
   * but REVOKED) raises UniqueViolationError and changes nothing.
   */
  async saveAuthorizedConnection(input: SquareConnectionWrite): Promise<{ id: string }> {
    const data = {
      status: 'ACTIVE' as const,
      externalAccountId: input.externalAccountId,
      scopes: input.scopes,
      accessTokenEncrypted: new Uint8Array(input.accessTokenEncrypted),
      refreshTokenEncrypted: input.refreshTokenEncrypted
        ? new Uint8Array(input.refreshTokenEncrypted)
        : null,
      encryptionKeyId: input.encryptionKeyId,
      tokenExpiresAt: input.tokenExpiresAt,
      lastRefreshedAt: input.now,
      syncCursor: Prisma.DbNull,
      backfillCompletedAt: null,
      lastError: null,
    };
    return rethrowUniqueViolation('provider_connections.external_account_id', () =>
      this.tx.providerConnection.upsert({
        where: { vendorId_provider: { vendorId: input.vendorId, provider: 'SQUARE' } },
        create: { vendorId: input.vendorId, provider: 'SQUARE', ...data },
        update: data,
        select: { id: true },
      }),
    );
  }

  /** Replaces the sealed tokens (refresh or key rotation). */
  async updateTokens(
    connectionId: string,
    input: {
      accessTokenEncrypted: Uint8Array;
      refreshTokenEncrypted: Uint8Array | null;
      encryptionKeyId: string;
      tokenExpiresAt?: Date | null;
      refreshedAt?: Date;
    },
  ): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: {
        accessTokenEncrypted: new Uint8Array(input.accessTokenEncrypted),
        refreshTokenEncrypted: input.refreshTokenEncrypted
          ? new Uint8Array(input.refreshTokenEncrypted)
          : null,
        encryptionKeyId: input.encryptionKeyId,
        ...(input.tokenExpiresAt !== undefined ? { tokenExpiresAt: input.tokenExpiresAt } : {}),
        ...(input.refreshedAt ? { lastRefreshedAt: input.refreshedAt, status: 'ACTIVE' } : {}),
      },
    });
  }

  /** A token refresh failed: status REFRESH_FAILED with the reason (tokens kept for a retry). */
  async markRefreshFailed(connectionId: string, error: string): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: { status: 'REFRESH_FAILED', lastError: error.slice(0, 500) },
    });
  }

  /** Clears the reason of an earlier refresh failure (after a refresh succeeded). */
  async clearRefreshError(connectionId: string): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: { lastError: null },
    });
  }

  /** Disconnect: tokens deleted, status REVOKED, checkpoint cleared (sales stay). */
  async revokeConnection(connectionId: string): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: {
        status: 'REVOKED',
        accessTokenEncrypted: null,
        refreshTokenEncrypted: null,
        encryptionKeyId: null,
        tokenExpiresAt: null,
        syncCursor: Prisma.DbNull,
      },
    });
  }

  /** Saves the sync checkpoint (in the same transaction as the page it follows). */
  async saveCheckpoint(connectionId: string, checkpoint: object): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: { syncCursor: checkpoint },
    });
  }

  /** Records the end of a sync run (success clears the error; failure keeps the checkpoint). */
  async recordSyncOutcome(
    connectionId: string,
    outcome: {
      at: Date;
      error: string | null;
      backfillCompleted?: boolean;
      status?: ConnectionStatus;
    },
  ): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: {
        lastError: outcome.error,
        ...(outcome.error === null ? { lastSyncedAt: outcome.at } : {}),
        ...(outcome.backfillCompleted ? { backfillCompletedAt: outcome.at } : {}),
        ...(outcome.status ? { status: outcome.status } : {}),
      },
    });
  }

  // --- mapping -----------------------------------------------------------------------------

  /** Markets with their Square location (null when unmapped). */
  listMarkets(): Promise<
    { id: string; name: string; squareLocationId: string | null; timezone: string }[]
  > {
    return this.tx.market.findMany({
      where: { archivedAt: null },
      select: { id: true, name: true, squareLocationId: true, timezone: true },
      orderBy: { name: 'asc' },
    });
  }

  /** Products with their Square variation (null when unmapped). */
  listProducts(): Promise<
    { id: string; name: string; squareVariationId: string | null; priceMinor: number }[]
  > {
    return this.tx.product.findMany({
      select: { id: true, name: true, squareVariationId: true, priceMinor: true },
      orderBy: { name: 'asc' },
    });
  }

  /** Points a market at a Square location (null unmaps); false when the market is not found. */
  async setMarketLocation(marketId: string, locationId: string | null): Promise<boolean> {
    const result = await rethrowUniqueViolation('markets.square_location_id', () =>
      this.tx.market.updateMany({
        where: { id: marketId },
        data: { squareLocationId: locationId },
      }),
    );
    return result.count === 1;
  }

  /** Points a product at a Square variation (null unmaps); false when the product is not found. */
  async setProductVariation(productId: string, variationId: string | null): Promise<boolean> {
    const result = await rethrowUniqueViolation('products.square_variation_id', () =>
      this.tx.product.updateMany({
        where: { id: productId },
        data: { squareVariationId: variationId },
      }),
    );
    return result.count === 1;
  }

  /** Clears a location / variation from whatever row holds it (before moving it elsewhere). */
  async releaseSquareIds(input: { locationIds: string[]; variationIds: string[] }): Promise<void> {
    if (input.locationIds.length > 0) {
      await this.tx.market.updateMany({
        where: { squareLocationId: { in: input.locationIds } },
        data: { squareLocationId: null },
      });
    }
    if (input.variationIds.length > 0) {
      await this.tx.product.updateMany({
        where: { squareVariationId: { in: input.variationIds } },
        data: { squareVariationId: null },
      });
    }
  }

  /** Location and variation ids the owner chose to ignore ("not a market", "don't track"). */
  async ignoredSquareIds(
    connectionId: string,
  ): Promise<{ locationIds: string[]; variationIds: string[] }> {
    const row = await this.tx.providerConnection.findFirst({
      where: { id: connectionId },
      select: { ignoredSquareLocationIds: true, ignoredSquareVariationIds: true },
    });
    return {
      locationIds: row?.ignoredSquareLocationIds ?? [],
      variationIds: row?.ignoredSquareVariationIds ?? [],
    };
  }

  /** Replaces the ignored location and variation ids of the connection. */
  async setIgnoredSquareIds(
    connectionId: string,
    input: { locationIds: string[]; variationIds: string[] },
  ): Promise<void> {
    await this.tx.providerConnection.update({
      where: { id: connectionId },
      data: {
        ignoredSquareLocationIds: [...new Set(input.locationIds)].sort(),
        ignoredSquareVariationIds: [...new Set(input.variationIds)].sort(),
      },
    });
  }

  /** Creates a market for a Square location (raises UniqueViolationError on a taken name). */
  createMarket(input: {
    vendorId: string;
    name: string;
    timezone: string;
    countryCode: string;
    latitude: number;
    longitude: number;
    squareLocationId: string;
  }): Promise<{ id: string }> {
    return rethrowUniqueViolation('markets.name', () =>
      this.tx.market.create({ data: input, select: { id: true } }),
    );
  }

  /** Creates a product for a Square variation (raises UniqueViolationError on a taken name). */
  createProduct(input: {
    vendorId: string;
    name: string;
    priceMinor: number;
    squareItemId: string | null;
    squareVariationId: string;
  }): Promise<{ id: string }> {
    return rethrowUniqueViolation('products.name', () =>
      this.tx.product.create({ data: input, select: { id: true } }),
    );
  }

  // --- sync --------------------------------------------------------------------------------

  /** Location id → market (id, zone) for mapped markets. */
  async mappedLocations(): Promise<Map<string, { marketId: string; timezone: string }>> {
    const rows = await this.tx.market.findMany({
      where: { squareLocationId: { not: null }, archivedAt: null },
      select: { id: true, squareLocationId: true, timezone: true },
    });
    return new Map(
      rows.map((r) => [r.squareLocationId!, { marketId: r.id, timezone: r.timezone }]),
    );
  }

  /** Variation id → product id for mapped products. */
  async mappedVariations(): Promise<Map<string, string>> {
    const rows = await this.tx.product.findMany({
      where: { squareVariationId: { not: null } },
      select: { id: true, squareVariationId: true },
    });
    return new Map(rows.map((r) => [r.squareVariationId!, r.id]));
  }

  /**
   * Upserts sale lines by (vendor, SQUARE, line uid); the market-local date comes from the
   * market's zone. Returns the daily keys touched (old and new, if a line moved).
   */
  async upsertSaleLines(vendorId: string, lines: SquareSaleLine[]): Promise<DailyKey[]> {
    const keys: DailyKey[] = [];
    for (const part of chunks(lines)) {
      const rows = await this.tx.$queryRaw<{ market_id: string; product_id: string; d: string }[]>`
        WITH input AS (
          SELECT t.*, (t.sold_at AT TIME ZONE m.timezone)::date AS market_date
          FROM unnest(${part.map((l) => l.marketId)}::uuid[],
                      ${part.map((l) => l.productId)}::uuid[],
                      ${part.map((l) => l.orderId)}::text[],
                      ${part.map((l) => l.lineUid)}::text[],
                      ${part.map((l) => l.soldAt)}::timestamptz[],
                      ${part.map((l) => l.quantity)}::numeric[],
                      ${part.map((l) => (l.unitPriceMinor === null ? null : String(l.unitPriceMinor)))}::int[],
                      ${part.map((l) => String(l.grossMinor))}::bigint[],
                      ${part.map((l) => l.state)}::text[],
                      ${part.map((l) => l.providerUpdatedAt)}::timestamptz[])
               AS t(market_id, product_id, order_id, line_uid, sold_at, quantity, unit_price,
                    gross, state, provider_updated_at)
          JOIN markets m ON m.id = t.market_id
        ),
        previous AS (
          SELECT s.market_id, s.product_id, s.market_date
          FROM sales s JOIN input i ON s.provider_line_id = i.line_uid
          WHERE s.vendor_id = ${vendorId}::uuid AND s.source = 'SQUARE'
        ),
        written AS (
          INSERT INTO sales (vendor_id, market_id, product_id, source, provider_order_id,
                             provider_line_id, sold_at, market_date, quantity, unit_price_minor,
                             gross_minor, state, provider_updated_at, updated_at)
          SELECT ${vendorId}::uuid, i.market_id, i.product_id, 'SQUARE'::sales_source, i.order_id,
                 i.line_uid, i.sold_at, i.market_date, i.quantity, i.unit_price, i.gross,
                 i.state::sale_state, i.provider_updated_at, now()
          FROM input i
          ON CONFLICT (vendor_id, source, provider_line_id) DO UPDATE
            SET market_id = EXCLUDED.market_id, product_id = EXCLUDED.product_id,
                provider_order_id = EXCLUDED.provider_order_id, sold_at = EXCLUDED.sold_at,
                market_date = EXCLUDED.market_date, quantity = EXCLUDED.quantity,
                unit_price_minor = EXCLUDED.unit_price_minor, gross_minor = EXCLUDED.gross_minor,
                state = EXCLUDED.state,
                provider_updated_at = EXCLUDED.provider_updated_at, updated_at = now()
          RETURNING market_id, product_id, market_date
        )
        SELECT market_id::text, product_id::text, market_date::text AS d FROM written
        UNION
        SELECT market_id::text, product_id::text, market_date::text FROM previous`;
      keys.push(
        ...rows.map((r) => ({ marketId: r.market_id, productId: r.product_id, date: r.d })),
      );
    }
    return keys;
  }

  /**
   * Applies returned lines. Each return line is its own row (keyed by its uid, so a replay changes
   * nothing and several partial returns add up): quantity 0, refunded quantity = units returned,
   * state REFUNDED, on the original sale's market, product and date, so the day's total is
   * `sum(quantity - refunded_quantity)` over the original and its returns. The original line is
   * left as sold (a re-sync of it cannot undo a refund). Returns of lines we never synced
   * (unmapped, or older than the backfill) are skipped; the count of applied lines comes back.
   */
  async applyReturns(
    vendorId: string,
    lines: SquareReturnLine[],
  ): Promise<{ applied: number; keys: DailyKey[] }> {
    const keys: DailyKey[] = [];
    let applied = 0;
    for (const part of chunks(lines)) {
      const rows = await this.tx.$queryRaw<{ market_id: string; product_id: string; d: string }[]>`
        INSERT INTO sales (vendor_id, market_id, product_id, source, provider_order_id,
                           provider_line_id, sold_at, market_date, quantity, refunded_quantity,
                           unit_price_minor, gross_minor, state, updated_at)
        SELECT ${vendorId}::uuid, s.market_id, s.product_id, 'SQUARE'::sales_source, t.order_id,
               'return:' || t.line_uid, t.returned_at, s.market_date, 0, t.quantity,
               s.unit_price_minor, -t.gross, 'REFUNDED'::sale_state, now()
        FROM unnest(${part.map((l) => l.returnOrderId)}::text[],
                    ${part.map((l) => l.returnLineUid)}::text[],
                    ${part.map((l) => l.sourceLineUid)}::text[],
                    ${part.map((l) => l.returnedAt)}::timestamptz[],
                    ${part.map((l) => l.quantity)}::numeric[],
                    ${part.map((l) => String(l.grossMinor))}::bigint[])
             AS t(order_id, line_uid, source_uid, returned_at, quantity, gross)
        JOIN sales s ON s.vendor_id = ${vendorId}::uuid AND s.source = 'SQUARE'
                    AND s.provider_line_id = t.source_uid
        ON CONFLICT (vendor_id, source, provider_line_id) DO UPDATE
          SET refunded_quantity = EXCLUDED.refunded_quantity, gross_minor = EXCLUDED.gross_minor,
              market_id = EXCLUDED.market_id, product_id = EXCLUDED.product_id,
              market_date = EXCLUDED.market_date, updated_at = now()
        RETURNING market_id::text, product_id::text, market_date::text AS d`;
      applied += rows.length;
      keys.push(
        ...rows.map((r) => ({ marketId: r.market_id, productId: r.product_id, date: r.d })),
      );
    }
    return { applied, keys };
  }

  /**
   * Recomputes `daily_sales` for the keys from every sale of that day (all sources; canceled
   * lines excluded; returns deducted through their return rows; never below zero). Keys whose
   * sales are all gone are deleted.
   */
  async recomputeDailySales(vendorId: string, keys: DailyKey[]): Promise<number> {
    const unique = [
      ...new Map(keys.map((k) => [`${k.marketId}|${k.productId}|${k.date}`, k])).values(),
    ];
    let count = 0;
    for (const part of chunks(unique)) {
      const markets = part.map((k) => k.marketId);
      const products = part.map((k) => k.productId);
      const dates = part.map((k) => k.date);
      count += await this.tx.$executeRaw`
        INSERT INTO daily_sales (vendor_id, market_id, product_id, date, quantity, revenue_minor,
                                 line_count, updated_at)
        SELECT s.vendor_id, s.market_id, s.product_id, s.market_date,
               greatest(sum(s.quantity - s.refunded_quantity), 0), greatest(sum(s.gross_minor), 0),
               (count(*) FILTER (WHERE s.quantity > 0))::int, now()
        FROM sales s
        JOIN unnest(${markets}::uuid[], ${products}::uuid[], ${dates}::date[])
             AS k(market_id, product_id, date)
          ON s.market_id = k.market_id AND s.product_id = k.product_id AND s.market_date = k.date
        WHERE s.vendor_id = ${vendorId}::uuid AND s.state <> 'CANCELED'
        GROUP BY s.vendor_id, s.market_id, s.product_id, s.market_date
        ON CONFLICT (market_id, product_id, date) DO UPDATE
          SET quantity = EXCLUDED.quantity, revenue_minor = EXCLUDED.revenue_minor,
              line_count = EXCLUDED.line_count, updated_at = now()`;
      await this.tx.$executeRaw`
        DELETE FROM daily_sales d
        USING unnest(${markets}::uuid[], ${products}::uuid[], ${dates}::date[])
              AS k(market_id, product_id, date)
        WHERE d.vendor_id = ${vendorId}::uuid AND d.market_id = k.market_id
          AND d.product_id = k.product_id AND d.date = k.date
          AND NOT EXISTS (SELECT 1 FROM sales s
                          WHERE s.vendor_id = d.vendor_id AND s.market_id = d.market_id
                            AND s.product_id = d.product_id AND s.market_date = d.date
                            AND s.state <> 'CANCELED')`;
    }
    return count;
  }
}
