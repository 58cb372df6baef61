import {
  ImportReportSchema,
  type ImportEncoding,
  type ImportReport,
  type ImportScheduleSuggestion,
  type ImportUploadQuery,
} from '@marketprep/contracts';
import {
  AuditRepository,
  ImportsRepository,
  withTenant,
  type DatabaseClient,
  type ImportedSaleLine,
  type NamedRecord,
  type SalesImportRecord,
  type SalesImportWrite,
} from '@marketprep/db';
import { inferWeeklySchedule } from '@marketprep/planning';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitCheck } from '../billing/plan-limits';
import { BodyTooLargeError, ByteMeter } from './byte-meter';
import { latestAcceptedDate } from './csv-fields';
import { sniffCsv } from './csv-sniff';
import {
  canonicalName,
  readSalesCsv,
  SalesFileError,
  type ParsedSalesFile,
} from './read-sales-csv';

/** Default largest CSV accepted (bytes). */
export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Country given to markets an import creates when the caller names none. */
const DEFAULT_MARKET_COUNTRY = 'US';
/** A 100k-row commit takes a few seconds; leave generous room on a slow machine. */
const COMMIT_TIMEOUT_MS = 120_000;
/** Attempts of a commit that PostgreSQL aborted as a deadlock or serialization failure. */
const COMMIT_ATTEMPTS = 3;

/**
 * Whether PostgreSQL aborted the transaction to break a deadlock (40P01) or a serialization
 * conflict (40001): nothing was written and the same transaction may simply run again.
 */
export function isRetryableConflict(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, originalCode, meta, message, cause } = error as Record<string, unknown>;
  const metaCode = (meta as { code?: unknown } | undefined)?.code;
  if ([code, originalCode, metaCode].some((c) => c === '40P01' || c === '40001')) return true;
  if (typeof message === 'string' && /deadlock detected|could not serialize access/i.test(message))
    return true;
  return isRetryableConflict(cause, depth + 1);
}

/** One uploaded file as the service receives it. */
export interface ImportUpload {
  tenant: TenantContext;
  /** The raw request body (streamed, never buffered whole). */
  body: AsyncIterable<unknown>;
  /** From the `Content-Length` header, when sent: refused early when over the limit. */
  contentLength?: number;
  /** From `Content-Type: ...; charset=`. */
  charsetHint?: ImportEncoding;
  query: ImportUploadQuery;
  requestId: string;
}

/** Result of a commit: applied (or already applied), or refused with the per-row report. */
export type CommitResult =
  { outcome: 'committed'; report: ImportReport } | { outcome: 'refused'; report: ImportReport };

interface ReadFile {
  parsed: ParsedSalesFile;
  sha256: string;
  encoding: ImportEncoding;
  delimiter: ImportReport['delimiter'];
}

/** Code-unit order: the same on every process, unlike a locale's. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function milliToDecimal(milli: number): string {
  return (milli / 1000).toFixed(3);
}

/**
 * Each market's weekly schedule as its sale dates in the file suggest it (weekdays over the last
 * year, season months), in the order of the market names; markets whose file has no usable date
 * are left out.
 */
export function suggestSchedules(
  parsed: Pick<ParsedSalesFile, 'aggregates' | 'markets'>,
): ImportScheduleSuggestion[] {
  const datesByMarket = new Map<string, Set<string>>();
  for (const a of parsed.aggregates.values()) {
    const dates = datesByMarket.get(a.market) ?? new Set<string>();
    dates.add(a.date);
    datesByMarket.set(a.market, dates);
  }
  const suggestions: ImportScheduleSuggestion[] = [];
  for (const [canonical, name] of parsed.markets) {
    const inferred = inferWeeklySchedule({ saleDates: datesByMarket.get(canonical) ?? [] });
    if (inferred === null || inferred.weekdays.length === 0) continue;
    suggestions.push({
      market: name,
      weekdays: inferred.weekdays,
      seasonFrom: inferred.seasonFrom,
      seasonTo: inferred.seasonTo,
      openings: inferred.openings,
      saleDays: inferred.saleDays,
      matchedDays: inferred.matchedDays,
      strayDays: inferred.strayDates.length,
    });
  }
  return suggestions.sort((a, b) => a.market.localeCompare(b.market));
}

/**
 * Sales import from CSV (plain layout or Square's Item Sales export): a preview that writes no
 * sales, and a commit that applies a file in one transaction, once (same SHA-256 = no change).
 */
export class ImportsService {
  private readonly maxBytes: number;

  constructor(
    private readonly deps: {
      db: DatabaseClient;
      now: () => Date;
      maxBytes?: number;
      /** The plan's market and product limits (billing); without it nothing is limited. */
      limits?: PlanLimitCheck;
    },
  ) {
    this.maxBytes = deps.maxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  }

  /** The largest file accepted, in bytes. */
  get maxFileBytes(): number {
    return this.maxBytes;
  }

  private async readUpload(upload: ImportUpload): Promise<ReadFile> {
    if (upload.contentLength !== undefined && upload.contentLength > this.maxBytes) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The file is larger than ${this.maxBytes} bytes; split it by date range.`,
      );
    }
    const meter = new ByteMeter(upload.body, this.maxBytes);
    try {
      const decoded = await sniffCsv(meter, { charsetHint: upload.charsetHint });
      if (meter.bytes === 0)
        throw new AppError('BAD_REQUEST', 'The request has no file: send the CSV as the body.');
      const parsed = await readSalesCsv(decoded, {
        latestDate: latestAcceptedDate(this.deps.now()),
        checkReplacementChars: decoded.encoding === 'utf-8',
      });
      await meter.drain();
      return {
        parsed,
        sha256: meter.digest(),
        encoding: decoded.encoding,
        delimiter: decoded.delimiter,
      };
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than ${this.maxBytes} bytes; split it by date range.`,
        );
      }
      if (error instanceof SalesFileError) {
        throw new AppError('BAD_REQUEST', error.message, error.details);
      }
      throw error;
    }
  }

  private buildReport(
    file: ReadFile,
    upload: ImportUpload,
    existing: { markets: NamedRecord[]; products: NamedRecord[] },
  ): ImportReport {
    const { parsed } = file;
    const classify = (names: Map<string, string>, known: NamedRecord[]) => {
      const byCanonical = new Map(known.map((r) => [canonicalName(r.name), r.name]));
      const result = { existing: [] as string[], new: [] as string[] };
      for (const [canonical, name] of names) {
        const match = byCanonical.get(canonical);
        if (match !== undefined) result.existing.push(match);
        else result.new.push(name);
      }
      result.existing.sort();
      result.new.sort();
      return result;
    };
    let quantityMilli = 0;
    let refundMilli = 0;
    let revenueMinor = 0;
    for (const a of parsed.aggregates.values()) {
      quantityMilli += a.quantityMilli;
      refundMilli += a.refundMilli;
      revenueMinor += a.revenueMinor;
    }
    return {
      importId: null,
      fileName: upload.query.fileName ?? 'upload.csv',
      fileSha256: file.sha256,
      status: 'PREVIEWED',
      alreadyImported: false,
      format: parsed.format,
      encoding: file.encoding,
      delimiter: file.delimiter,
      ignoredColumns: parsed.ignoredColumns,
      rowsRead: parsed.rowsRead,
      rowsValid: parsed.rowsValid,
      rowsSkipped: parsed.rowsSkipped,
      errorCount: parsed.errorCount,
      errors: parsed.errors,
      dateRange: parsed.dateRange,
      markets: classify(parsed.markets, existing.markets),
      products: classify(
        new Map([...parsed.products].map(([key, p]) => [key, p.name])),
        existing.products,
      ),
      totals: {
        salesLines: parsed.aggregates.size,
        quantity: quantityMilli / 1000,
        refundedQuantity: refundMilli / 1000,
        revenueMinor,
      },
      suggestedSchedules: suggestSchedules(parsed),
      committedAt: null,
      createdAt: null,
    };
  }

  /** The report of a stored import, with the row's current status. */
  private reportOf(record: SalesImportRecord, alreadyImported = false): ImportReport {
    const stored = ImportReportSchema.safeParse(record.report);
    if (!stored.success) throw new AppError('INTERNAL', 'Stored import report is unreadable.');
    return {
      ...stored.data,
      importId: record.id,
      status: record.status,
      alreadyImported,
      committedAt: record.committedAt?.toISOString() ?? null,
      createdAt: record.createdAt.toISOString(),
    };
  }

  private writeOf(report: ImportReport, tenant: TenantContext): SalesImportWrite {
    return {
      vendorId: tenant.vendorId,
      fileName: report.fileName,
      fileSha256: report.fileSha256,
      format: report.format,
      rowCount: report.rowsRead,
      errorCount: report.errorCount,
      report: report,
      createdByUserId: tenant.userId,
    };
  }

  /**
   * Reads the file and reports what a commit would do (format, encoding, rows, errors with line
   * numbers, new markets and products, totals). Writes no sales; records the import as PREVIEWED
   * so it appears in the history.
   */
  async preview(upload: ImportUpload): Promise<ImportReport> {
    const file = await this.readUpload(upload);
    const { tenant } = upload;
    const report = await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new ImportsRepository(tx);
      const previous = await repo.findImportBySha(tenant.vendorId, file.sha256);
      if (previous?.status === 'COMMITTED') return this.reportOf(previous, true);
      const report = this.buildReport(file, upload, {
        markets: await repo.listMarkets(),
        products: await repo.listProducts(),
      });
      const saved = await repo.saveUncommitted(this.writeOf(report, tenant), 'PREVIEWED');
      return saved ? this.reportOf(saved) : report;
    });
    if (report.alreadyImported) return report;
    // Warn now what the commit would be refused for (the same check, the same words), so the
    // owner can choose a plan or trim the file before uploading it again. Not stored: the plan
    // may change before the commit.
    const planLimits: NonNullable<ImportReport['planLimits']> = [];
    for (const [limit, adding] of [
      ['markets', report.markets.new.length],
      ['products', report.products.new.length],
    ] as const) {
      const exceeded = await this.deps.limits?.checkAdd(tenant.vendorId, limit, adding);
      if (exceeded) planLimits.push({ ...exceeded, limit });
    }
    return { ...report, planLimits };
  }

  /**
   * Applies a file in one transaction: creates missing markets and products, upserts one CSV sale
   * per (market, product, date), recomputes those days' `daily_sales` from all sales, stores
   * `brought` as check-ins, requests a retrain (outbox) and records the import and an audit entry.
   * A file with any row error is refused whole (nothing written); the same file twice is a no-op.
   */
  async commit(upload: ImportUpload): Promise<CommitResult> {
    const file = await this.readUpload(upload);
    const { tenant } = upload;
    const db = this.deps.db.prisma;

    const first = await withTenant(db, tenant.vendorId, async (tx) => {
      const repo = new ImportsRepository(tx);
      const previous = await repo.findImportBySha(tenant.vendorId, file.sha256);
      if (previous?.status === 'COMMITTED') {
        return {
          kind: 'done',
          result: { outcome: 'committed', report: this.reportOf(previous, true) },
        } as const;
      }
      const report = this.buildReport(file, upload, {
        markets: await repo.listMarkets(),
        products: await repo.listProducts(),
      });
      if (report.errorCount > 0) {
        const saved = await repo.saveUncommitted(this.writeOf(report, tenant), 'FAILED');
        return {
          kind: 'done',
          result: { outcome: 'refused', report: saved ? this.reportOf(saved) : report },
        } as const;
      }
      return {
        kind: 'go',
        report,
        timezone: await repo.findVendorTimezone(tenant.vendorId),
      } as const;
    });
    if (first.kind === 'done') return first.result;
    if (first.report.rowsValid === 0) {
      throw new AppError('BAD_REQUEST', 'The file has no sales rows to import.');
    }
    // The markets and products the file adds count against the plan, as one added by hand does
    // (403 naming the plan that unlocks them; nothing written).
    await this.deps.limits?.assertCanAdd(
      tenant.vendorId,
      'markets',
      first.report.markets.new.length,
    );
    await this.deps.limits?.assertCanAdd(
      tenant.vendorId,
      'products',
      first.report.products.new.length,
    );

    const defaults = {
      timezone: upload.query.marketTimezone ?? first.timezone ?? 'America/New_York',
      countryCode: upload.query.marketCountryCode ?? DEFAULT_MARKET_COUNTRY,
    };
    // Every write below goes in one canonical order (names, then sale keys sorted), so two imports
    // of one business take their row locks in the same order; a deadlock with another kind of
    // writer (a check-in, a Square sync) rolls the whole transaction back and it runs again.
    const apply = () =>
      withTenant(
        db,
        tenant.vendorId,
        async (tx) => {
          const repo = new ImportsRepository(tx);
          const importId = await repo.claimForCommit(this.writeOf(first.report, tenant));
          if (!importId) {
            // A concurrent commit of the same file won the race.
            const previous = await repo.findImportBySha(tenant.vendorId, file.sha256);
            return previous ? this.reportOf(previous, true) : first.report;
          }
          const { parsed } = file;

          const marketIds = await this.ensureNamed(
            () => repo.listMarkets(),
            parsed.markets,
            (missing) => repo.createMarkets(tenant.vendorId, missing, defaults),
          );
          const productIds = await this.ensureNamed(
            () => repo.listProducts(),
            new Map([...parsed.products].map(([k, p]) => [k, p.name])),
            (missing) =>
              repo.createProducts(
                tenant.vendorId,
                missing.map((name) => {
                  const product = parsed.products.get(canonicalName(name));
                  return {
                    name,
                    priceMinor: Math.max(0, product?.unitPriceMinor ?? 0),
                    category: product?.category ?? null,
                  };
                }),
              ),
          );

          const lines: ImportedSaleLine[] = [];
          const brought: Parameters<ImportsRepository['recordBrought']>[1] = [];
          for (const a of parsed.aggregates.values()) {
            const marketId = marketIds.get(a.market);
            const productId = productIds.get(a.product);
            if (!marketId || !productId) throw new Error('import: unresolved market or product');
            lines.push({
              marketId,
              productId,
              date: a.date,
              providerLineId: `csv:${marketId}:${productId}:${a.date}`,
              quantity: milliToDecimal(a.quantityMilli),
              refundedQuantity: milliToDecimal(a.refundMilli),
              unitPriceMinor: a.unitPriceMinor,
              grossMinor: a.revenueMinor,
            });
            if (a.broughtMilli !== null) {
              brought.push({
                marketId,
                productId,
                date: a.date,
                brought: milliToDecimal(a.broughtMilli),
                sold: milliToDecimal(Math.max(0, a.quantityMilli - a.refundMilli)),
              });
            }
          }
          lines.sort((a, b) => compareText(a.providerLineId, b.providerLineId));
          brought.sort((a, b) =>
            compareText(
              `${a.marketId}:${a.productId}:${a.date}`,
              `${b.marketId}:${b.productId}:${b.date}`,
            ),
          );
          await repo.upsertSaleLines(tenant.vendorId, importId, lines);
          await repo.recomputeDailySales(tenant.vendorId, lines);
          await repo.recordBrought(tenant.vendorId, brought);
          await repo.requestRetrain(tenant.vendorId, upload.requestId);
          await new AuditRepository(tx).record({
            vendorId: tenant.vendorId,
            actorUserId: tenant.userId,
            actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
            action: 'sales_import.committed',
            targetType: 'sales_import',
            targetId: importId,
            requestId: upload.requestId,
            metadata: {
              fileSha256: file.sha256,
              format: parsed.format,
              rows: parsed.rowsValid,
              salesLines: lines.length,
              newMarkets: first.report.markets.new,
              newProducts: first.report.products.new.length,
            },
          });
          const committed = await repo.markCommitted(importId, {
            rowCount: parsed.rowsRead,
            report: first.report,
            committedAt: this.deps.now(),
          });
          return this.reportOf(committed);
        },
        { timeoutMs: COMMIT_TIMEOUT_MS, maxWaitMs: 10_000 },
      );
    for (let attempt = 1; ; attempt += 1) {
      try {
        return { outcome: 'committed', report: await apply() };
      } catch (error) {
        if (!isRetryableConflict(error)) throw error;
        if (attempt >= COMMIT_ATTEMPTS) {
          throw new AppError(
            'UNAVAILABLE',
            'Other changes to these sales were being saved at the same moment. Send the file again.',
          );
        }
      }
    }
  }

  /** Resolves canonical names to ids, creating the missing ones first. */
  private async ensureNamed(
    list: () => Promise<NamedRecord[]>,
    wanted: Map<string, string>,
    create: (missing: string[]) => Promise<number>,
  ): Promise<Map<string, string>> {
    const index = (records: NamedRecord[]) => {
      const map = new Map<string, string>();
      // An exact-case name wins over a case-insensitive match.
      for (const r of records)
        if (!map.has(canonicalName(r.name))) map.set(canonicalName(r.name), r.id);
      return map;
    };
    let ids = index(await list());
    const missing = [...wanted]
      .filter(([key]) => !ids.has(key))
      .map(([, name]) => name)
      .sort(compareText);
    if (missing.length > 0) {
      await create(missing);
      ids = index(await list());
    }
    return ids;
  }

  /** The history, newest first. */
  async listImports(
    tenant: TenantContext,
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<SalesImportRecord[]> {
    return withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new ImportsRepository(tx).listImports(limit, after),
    );
  }

  /** One import's report; 404 for an unknown or another vendor's id. */
  async getImport(tenant: TenantContext, importId: string): Promise<ImportReport> {
    const record = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new ImportsRepository(tx).findImport(importId),
    );
    if (!record) throw new AppError('NOT_FOUND', 'No such import.');
    return this.reportOf(record);
  }
}
