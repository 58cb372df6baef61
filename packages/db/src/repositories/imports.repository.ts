import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { OutboxRepository } from './outbox.repository';

/** Where an import stands. */
export type SalesImportStatus = 'PREVIEWED' | 'COMMITTED' | 'FAILED';

/** A sales import as the apps see it. */
export interface SalesImportRecord {
  id: string;
  fileName: string;
  fileSha256: string;
  format: string;
  status: SalesImportStatus;
  rowCount: number;
  errorCount: number;
  /** The stored report (whatever the API saved; it validates it on the way out). */
  report: unknown;
  createdAt: Date;
  committedAt: Date | null;
}

/** Fields written when an import is previewed, refused or committed. */
export interface SalesImportWrite {
  vendorId: string;
  fileName: string;
  fileSha256: string;
  format: string;
  rowCount: number;
  errorCount: number;
  report: Record<string, unknown>;
  createdByUserId: string | null;
}

/** One aggregated CSV sale: a product's sales at a market on a date. */
export interface ImportedSaleLine {
  marketId: string;
  productId: string;
  /** `YYYY-MM-DD`, market-local. */
  date: string;
  /** Stable id of this (market, product, date) among CSV sales: a later import replaces it. */
  providerLineId: string;
  /** Decimal strings with up to 3 places. */
  quantity: string;
  refundedQuantity: string;
  unitPriceMinor: number | null;
  grossMinor: number;
}

/** A market or product id and name. */
export interface NamedRecord {
  id: string;
  name: string;
}

const CHUNK = 5_000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const IMPORT_SELECT = {
  id: true,
  fileName: true,
  fileSha256: true,
  format: true,
  status: true,
  rowCount: true,
  errorCount: true,
  report: true,
  createdAt: true,
  committedAt: true,
} as const;

/**
 * Sales imports and the writes a CSV import makes (markets, products, sales, daily sales, brought
 * quantities, the retrain request). Takes a tenant-scoped transaction (see withTenant). Bulk writes
 * use parameterized `unnest` arrays in chunks, so 100k-row files commit in seconds.
 */
export class ImportsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The vendor's own time zone (default for markets an import creates). */
  async findVendorTimezone(vendorId: string): Promise<string | null> {
    const vendor = await this.tx.vendor.findUnique({
      where: { id: vendorId },
      select: { timezone: true },
    });
    return vendor?.timezone ?? null;
  }

  /** An import by id (RLS: only the current vendor's). */
  findImport(id: string): Promise<SalesImportRecord | null> {
    return this.tx.salesImport.findUnique({ where: { id }, select: IMPORT_SELECT });
  }

  /** The import of the file with this SHA-256, if any. */
  findImportBySha(vendorId: string, fileSha256: string): Promise<SalesImportRecord | null> {
    return this.tx.salesImport.findUnique({
      where: { vendorId_fileSha256: { vendorId, fileSha256 } },
      select: IMPORT_SELECT,
    });
  }

  /** Newest imports first. */
  listImports(
    limit: number,
    /** Keyset: only imports after this one in the list's order (newest first). */
    after?: { createdAt: Date; id: string },
  ): Promise<SalesImportRecord[]> {
    return this.tx.salesImport.findMany({
      ...(after
        ? {
            where: {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            },
          }
        : {}),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: IMPORT_SELECT,
    });
  }

  /**
   * Records a previewed or refused file (status PREVIEWED or FAILED), keyed by (vendor, SHA-256).
   * A committed import is never touched: returns null then.
   */
  async saveUncommitted(
    write: SalesImportWrite,
    status: 'PREVIEWED' | 'FAILED',
  ): Promise<SalesImportRecord | null> {
    const rows = await this.tx.$queryRaw<{ id: string }[]>`
      INSERT INTO sales_imports (vendor_id, file_name, file_sha256, format, status, row_count,
                                 error_count, report, created_by_user_id)
      VALUES (${write.vendorId}::uuid, ${write.fileName}, ${write.fileSha256}, ${write.format},
              ${status}::import_status, ${write.rowCount}, ${write.errorCount},
              ${JSON.stringify(write.report)}::jsonb, ${write.createdByUserId}::uuid)
      ON CONFLICT (vendor_id, file_sha256) DO UPDATE
        SET file_name = EXCLUDED.file_name, format = EXCLUDED.format, status = EXCLUDED.status,
            row_count = EXCLUDED.row_count, error_count = EXCLUDED.error_count,
            report = EXCLUDED.report
        WHERE sales_imports.status <> 'COMMITTED'
      RETURNING id`;
    const id = rows[0]?.id;
    return id ? this.findImport(id) : null;
  }

  /**
   * Claims the file for a commit: creates or takes over its import row, unless it is already
   * COMMITTED (returns null). A concurrent commit of the same file waits on the row lock here and
   * then sees COMMITTED, so a file is applied once.
   */
  async claimForCommit(write: SalesImportWrite): Promise<string | null> {
    const rows = await this.tx.$queryRaw<{ id: string }[]>`
      INSERT INTO sales_imports (vendor_id, file_name, file_sha256, format, status, row_count,
                                 error_count, report, created_by_user_id)
      VALUES (${write.vendorId}::uuid, ${write.fileName}, ${write.fileSha256}, ${write.format},
              'PREVIEWED', ${write.rowCount}, ${write.errorCount},
              ${JSON.stringify(write.report)}::jsonb, ${write.createdByUserId}::uuid)
      ON CONFLICT (vendor_id, file_sha256) DO UPDATE
        SET file_name = EXCLUDED.file_name
        WHERE sales_imports.status <> 'COMMITTED'
      RETURNING id`;
    return rows[0]?.id ?? null;
  }

  /** Marks a claimed import COMMITTED with its final report. */
  async markCommitted(
    id: string,
    values: { rowCount: number; report: Record<string, unknown>; committedAt: Date },
  ): Promise<SalesImportRecord> {
    return this.tx.salesImport.update({
      where: { id },
      data: {
        status: 'COMMITTED',
        rowCount: values.rowCount,
        errorCount: 0,
        report: values.report as Prisma.InputJsonValue,
        committedAt: values.committedAt,
      },
      select: IMPORT_SELECT,
    });
  }

  /** The vendor's markets (id and name). */
  listMarkets(): Promise<NamedRecord[]> {
    return this.tx.market.findMany({ select: { id: true, name: true } });
  }

  /** The vendor's products (id and name). */
  listProducts(): Promise<NamedRecord[]> {
    return this.tx.product.findMany({ select: { id: true, name: true } });
  }

  /**
   * Creates markets named in an import. Their location is unknown (latitude/longitude 0, address
   * null) until the vendor sets it.
   */
  async createMarkets(
    vendorId: string,
    names: string[],
    defaults: { timezone: string; countryCode: string },
  ): Promise<number> {
    if (names.length === 0) return 0;
    const result = await this.tx.market.createMany({
      data: names.map((name) => ({
        vendorId,
        name,
        address: null,
        latitude: 0,
        longitude: 0,
        timezone: defaults.timezone,
        countryCode: defaults.countryCode,
      })),
      skipDuplicates: true,
    });
    return result.count;
  }

  /** Creates products named in an import, priced from the file (0 when it has no prices). */
  async createProducts(
    vendorId: string,
    products: { name: string; priceMinor: number; category: string | null }[],
  ): Promise<number> {
    if (products.length === 0) return 0;
    let count = 0;
    for (const part of chunks(products)) {
      const result = await this.tx.product.createMany({
        data: part.map((p) => ({
          vendorId,
          name: p.name,
          priceMinor: p.priceMinor,
          category: p.category,
        })),
        skipDuplicates: true,
      });
      count += result.count;
    }
    return count;
  }

  /**
   * Upserts CSV sale lines keyed by (vendor, CSV, providerLineId): a line already imported by an
   * earlier file is replaced, never added twice.
   */
  async upsertSaleLines(
    vendorId: string,
    importId: string,
    lines: ImportedSaleLine[],
  ): Promise<number> {
    let count = 0;
    for (const part of chunks(lines)) {
      count += await this.tx.$executeRaw`
        INSERT INTO sales (vendor_id, market_id, product_id, source, provider_order_id,
                           provider_line_id, import_id, sold_at, market_date, quantity,
                           refunded_quantity, unit_price_minor, gross_minor, state, updated_at)
        SELECT ${vendorId}::uuid, t.market_id, t.product_id, 'CSV'::sales_source, ${importId},
               t.line_id, ${importId}::uuid, (t.market_date + time '12:00') AT TIME ZONE 'UTC',
               t.market_date, t.quantity, t.refunded, t.unit_price, t.gross,
               (CASE WHEN t.refunded > 0 AND t.refunded >= t.quantity THEN 'REFUNDED'
                     ELSE 'COMPLETED' END)::sale_state,
               now()
        FROM unnest(${part.map((l) => l.marketId)}::uuid[],
                    ${part.map((l) => l.productId)}::uuid[],
                    ${part.map((l) => l.providerLineId)}::text[],
                    ${part.map((l) => l.date)}::date[],
                    ${part.map((l) => l.quantity)}::numeric[],
                    ${part.map((l) => l.refundedQuantity)}::numeric[],
                    ${part.map((l) => (l.unitPriceMinor === null ? null : String(l.unitPriceMinor)))}::int[],
                    ${part.map((l) => String(l.grossMinor))}::bigint[])
             AS t(market_id, product_id, line_id, market_date, quantity, refunded, unit_price, gross)
        ON CONFLICT (vendor_id, source, provider_line_id) DO UPDATE
          SET market_id = EXCLUDED.market_id, product_id = EXCLUDED.product_id,
              provider_order_id = EXCLUDED.provider_order_id, import_id = EXCLUDED.import_id,
              sold_at = EXCLUDED.sold_at, market_date = EXCLUDED.market_date,
              quantity = EXCLUDED.quantity, refunded_quantity = EXCLUDED.refunded_quantity,
              unit_price_minor = EXCLUDED.unit_price_minor, gross_minor = EXCLUDED.gross_minor,
              state = EXCLUDED.state, updated_at = now()`;
    }
    return count;
  }

  /**
   * Recomputes `daily_sales` for the given (market, product, date) keys from every sale of that day
   * (all sources: Square and CSV add up; refunds are deducted, never below zero).
   */
  async recomputeDailySales(
    vendorId: string,
    keys: { marketId: string; productId: string; date: string }[],
  ): Promise<number> {
    let count = 0;
    for (const part of chunks(keys)) {
      count += await this.tx.$executeRaw`
        INSERT INTO daily_sales (vendor_id, market_id, product_id, date, quantity, revenue_minor,
                                 line_count, updated_at)
        SELECT s.vendor_id, s.market_id, s.product_id, s.market_date,
               greatest(sum(s.quantity - s.refunded_quantity), 0), sum(s.gross_minor),
               count(*)::int, now()
        FROM sales s
        JOIN unnest(${part.map((k) => k.marketId)}::uuid[],
                    ${part.map((k) => k.productId)}::uuid[],
                    ${part.map((k) => k.date)}::date[]) AS k(market_id, product_id, date)
          ON s.market_id = k.market_id AND s.product_id = k.product_id AND s.market_date = k.date
        WHERE s.vendor_id = ${vendorId}::uuid AND s.state <> 'CANCELED'
        GROUP BY s.vendor_id, s.market_id, s.product_id, s.market_date
        ON CONFLICT (market_id, product_id, date) DO UPDATE
          SET quantity = EXCLUDED.quantity, revenue_minor = EXCLUDED.revenue_minor,
              line_count = EXCLUDED.line_count, updated_at = now()`;
    }
    return count;
  }

  /**
   * Stores "brought" quantities as pack-up check-ins (creating the market days they need), so sold-
   * out days are known to be censored demand: left over = brought - sold (0 = sold out), sold
   * capped at brought as check-ins require (the full figure is in the sales). A check-in that
   * already exists is never overwritten.
   */
  async recordBrought(
    vendorId: string,
    lines: { marketId: string; productId: string; date: string; brought: string; sold: string }[],
  ): Promise<number> {
    let count = 0;
    for (const part of chunks(lines)) {
      await this.tx.$executeRaw`
        INSERT INTO market_days (vendor_id, market_id, date)
        SELECT DISTINCT ${vendorId}::uuid, t.market_id, t.date
        FROM unnest(${part.map((l) => l.marketId)}::uuid[], ${part.map((l) => l.date)}::date[])
             AS t(market_id, date)
        ON CONFLICT (market_id, date) DO NOTHING`;
      count += await this.tx.$executeRaw`
        INSERT INTO feedback (vendor_id, market_day_id, product_id, brought, sold, left_over)
        SELECT ${vendorId}::uuid, md.id, t.product_id, t.brought, least(t.sold, t.brought),
               greatest(t.brought - t.sold, 0)
        FROM unnest(${part.map((l) => l.marketId)}::uuid[],
                    ${part.map((l) => l.productId)}::uuid[],
                    ${part.map((l) => l.date)}::date[],
                    ${part.map((l) => l.brought)}::numeric[],
                    ${part.map((l) => l.sold)}::numeric[]) AS t(market_id, product_id, date, brought, sold)
        JOIN market_days md
          ON md.vendor_id = ${vendorId}::uuid AND md.market_id = t.market_id AND md.date = t.date
        ON CONFLICT (market_day_id, product_id) DO NOTHING`;
    }
    return count;
  }

  /**
   * Asks the worker to retrain the vendor's model (outbox `retrain-vendor`), unless such a request
   * is already pending (dedupe key `retrain:<vendorId>`). Returns whether a row was written. Goes
   * through the outbox's one enqueue: a concurrent writer's pending retrain (a check-in, another
   * import) is waited for and joined, never a unique-index violation.
   */
  async requestRetrain(vendorId: string, requestId: string): Promise<boolean> {
    const { deduplicated } = await new OutboxRepository(this.tx).enqueue({
      jobName: 'retrain-vendor',
      payload: { vendorId, requestId },
      dedupeKey: `retrain:${vendorId}`,
      requestId,
    });
    return !deduplicated;
  }
}
