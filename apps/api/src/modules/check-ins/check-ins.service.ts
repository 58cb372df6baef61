import type {
  CheckIn,
  CheckInLine,
  CheckInReceipt,
  CheckInStats,
  CheckInSubmitBody,
  CheckInSummary,
} from '@marketprep/contracts';
import {
  FeedbackRepository,
  advisoryLockKey,
  findCheckInContext,
  findCheckInContexts,
  readCheckInDayData,
  submitCheckIn,
  submitCheckIns,
  withTenant,
  type CheckInContext,
  type CheckInContextQuery,
  type CheckInDayData,
  type CheckInMarket,
  type CheckInMarketDay,
  type CheckInSubmission,
  type CheckInSubmissionInput,
  type DatabaseClient,
} from '@marketprep/db';
import { scheduleOn } from '@marketprep/planning';
import { AppError } from '../../errors';
import { GroupCommit } from '../../lib/group-commit';
import { notAMarketDayError } from '../market-days/not-a-market-day';
import type { TenantContext } from '../../plugins/auth';
import { NO_STATS, computeStatsFigures } from './check-in-stats';
import { resolveRange } from './date-range';
import { deriveDaySellOuts, type DaySalePrefill } from './sell-out-prefill';
import { addDays, localDate, zonedInstant } from '@marketprep/planning';

/** How far back a clientSubmissionId is remembered after its lines were replaced (offline queues). */
export const SUBMISSION_MEMORY_DAYS = 30;

const HH_MM = /^\d{2}:\d{2}$/;

/** A market day as a check-in sees it: a stored row, or a scheduled day not generated yet. */
interface ResolvedDay {
  row: CheckInMarketDay | null;
  opensAt: Date | null;
  closesAt: Date | null;
}

function encodeCursor(date: string, id: string): string {
  return Buffer.from(JSON.stringify([date, id])).toString('base64url');
}

function decodeCursor(cursor: string): { date: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(value[0]) &&
      !Number.isNaN(Date.parse(value[0])) &&
      value[0] >= '1970-01-01' &&
      value[0] <= '2999-12-31' &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return { date: value[0], id: value[1] };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new AppError(
    'BAD_REQUEST',
    'The cursor is not one this API handed out.',
    [{ path: 'cursor', message: 'Invalid cursor' }],
    { code: 'invalid-cursor' },
  );
}

/** Pack-up check-ins: the prefilled form, idempotent submission, the list and the statistics. */
export class CheckInsService {
  /**
   * Submissions, and the market lookups before them, go to the database in batches: everything
   * that arrives while this process's previous batch runs shares the next statement, its commit
   * and its WAL flush (see GroupCommit and migration 20261204000100). One batch of each kind at a
   * time: a batch's items then wait for no other batch of this process (no row-lock waits between
   * them), and a batch that fails or waits on a lock held elsewhere frees its turn at once while
   * each of its submissions is applied alone.
   */
  private readonly contexts: GroupCommit<CheckInContextQuery, CheckInContext | null>;
  private readonly submissions: GroupCommit<CheckInSubmissionInput, CheckInSubmission>;

  constructor(private readonly deps: { db: DatabaseClient; now: () => Date }) {
    const { pool } = deps.db;
    this.contexts = new GroupCommit((items) => findCheckInContexts(pool, items), {
      maxBatchSize: 64,
      maxInFlight: 1,
      runAlone: (item) => findCheckInContext(pool, item),
    });
    this.submissions = new GroupCommit((items) => submitCheckIns(pool, items), {
      maxBatchSize: 64,
      maxInFlight: 1,
      runAlone: (item) => submitCheckIn(pool, item),
    });
  }

  /** The check-in form of a market day: stored values, else the prep list and sales as prefill. */
  async getCheckIn(
    tenant: TenantContext,
    params: { marketId: string; date: string },
  ): Promise<CheckIn> {
    const context = await this.contexts.submit({
      vendorId: tenant.vendorId,
      marketId: params.marketId,
      date: params.date,
    });
    if (!context) throw new AppError('NOT_FOUND', `No market ${params.marketId} in this business.`);
    const { market } = context;
    const resolved = await this.resolveDay(tenant, context.day, market, params.date);
    if (resolved.row?.status === 'CANCELLED') throw cancelledDay(market, params.date);
    const data = await readCheckInDayData(this.deps.db.prisma, {
      vendorId: tenant.vendorId,
      marketId: market.id,
      date: params.date,
      dayId: resolved.row?.id ?? null,
    });
    const open = isCheckInOpen(market, params.date, this.deps.now());
    // Products not checked in yet get the sell-out time their Square sales show, if any.
    const storedIds = new Set(data.stored.map((f) => f.productId));
    const prefill = data.products.every((p) => storedIds.has(p.id))
      ? undefined
      : await deriveDaySellOuts({
          db: this.deps.db,
          vendorId: tenant.vendorId,
          market,
          date: params.date,
          opensAt: resolved.row?.opensAt ?? resolved.opensAt,
          closesAt: resolved.row?.closesAt ?? resolved.closesAt,
        });
    return composeCheckIn(market, params.date, resolved, resolved.row, data, open, prefill);
  }

  /**
   * Stores a check-in: one row per (market day, product), replaced by a newer submission. The
   * same `clientSubmissionId` delivered again writes nothing and answers the stored check-in with
   * `replayed: true`. Lines, the audit entry and the retrain request commit together or not at all.
   */
  async submitCheckIn(
    tenant: TenantContext,
    params: { marketId: string; date: string },
    body: CheckInSubmitBody,
    options: { requestId: string; minimal: boolean },
  ): Promise<CheckIn | CheckInReceipt> {
    const { requestId, minimal } = options;
    const now = this.deps.now();
    // Ids as the database spells them (lower case), in the keys and the unknown-product report.
    const ids = body.lines.map((l) => l.productId.toLowerCase());
    // The hottest write, in two batched statements (migrations 20261122009100, 20261204000100):
    // the market and its day, checked here; then one statement that does everything that must
    // hold under the submission's lock (replay, unknown products, a market day not stored yet,
    // the writes), committed or rolled back as a whole with the rest of its batch.
    const context = await this.contexts.submit({
      vendorId: tenant.vendorId,
      marketId: params.marketId,
      date: params.date,
    });
    if (!context) {
      throw new AppError('NOT_FOUND', `No market ${params.marketId} in this business.`);
    }
    const { market } = context;
    if (!isCheckInOpen(market, params.date, now)) {
      throw new AppError(
        'BAD_REQUEST',
        `${params.date} has not happened yet at ${market.name}: check in after the market.`,
        [{ path: 'date', message: 'Must not be after today' }],
      );
    }
    const resolved = await this.resolveDay(tenant, context.day, market, params.date);
    const cancelled = () => cancelledDay(market, params.date);
    if (resolved.row?.status === 'CANCELLED') throw cancelled();
    const soldOutAt = body.lines.map((line, index) =>
      this.parseSoldOutAt(line.soldOutAt ?? null, params.date, market, index),
    );

    const result = await this.submissions.submit({
      vendorId: tenant.vendorId,
      submittedByUserId: tenant.userId,
      lockKey: advisoryLockKey(`check-in-submission:${body.clientSubmissionId}`),
      market,
      date: params.date,
      day: resolved.row,
      opensAt: resolved.opensAt,
      closesAt: resolved.closesAt,
      clientSubmissionId: body.clientSubmissionId,
      since: new Date(now.getTime() - SUBMISSION_MEMORY_DAYS * 86_400_000),
      lines: body.lines.map((line, index) => ({
        productId: ids[index] ?? line.productId,
        brought: line.brought,
        sold: line.sold ?? null,
        leftOver: line.leftOver,
        wasted: line.wasted,
        donated: line.donated,
        soldOutAt: soldOutAt[index] ?? null,
        rating: line.rating ?? null,
        notes: line.notes ? line.notes : null,
        clientSubmissionId: `${body.clientSubmissionId}:${ids[index] ?? line.productId}`,
        ...(line.expectedUpdatedAt !== undefined && {
          expectedUpdatedAt:
            line.expectedUpdatedAt === null ? null : new Date(line.expectedUpdatedAt),
        }),
      })),
      actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
      requestId,
      retrain: {
        jobName: 'retrain-vendor',
        payload: { vendorId: tenant.vendorId },
        dedupeKey: `retrain:${tenant.vendorId}`,
      },
      representation: !minimal,
    });
    const receipt = (
      day: { id: string },
      replayed: boolean,
      written: CheckInReceipt['written'],
    ) => ({
      marketId: market.id,
      marketDayId: day.id,
      date: params.date,
      replayed,
      written,
    });
    switch (result.outcome) {
      case 'other_day':
        throw new AppError(
          'CONFLICT',
          'This clientSubmissionId was already used for another market day; make a new one per submission.',
        );
      case 'cancelled':
        throw cancelled();
      case 'conflict':
        throw new AppError(
          'CONFLICT',
          'Someone else saved some of these products since you opened this check-in; nothing was saved. Reload to see their numbers.',
          result.conflicts.map((c) => ({
            path: `lines.${ids.indexOf(c.productId)}.expectedUpdatedAt`,
            message: `${c.name ?? c.productId} was ${c.updatedAt ? 'saved by someone else' : 'cleared'} since you opened the check-in`,
          })),
        );
      case 'unknown_products':
        throw new AppError(
          'NOT_FOUND',
          `No product ${result.unknown.join(', ')} in this business.`,
          result.unknown.map((id) => ({
            path: `lines.${ids.indexOf(id)}.productId`,
            message: `Unknown product ${id}`,
          })),
        );
      case 'replayed':
        if (!result.data) return receipt(result.day, true, []);
        return {
          ...composeCheckIn(market, params.date, resolved, result.day, result.data, true),
          replayed: true,
        };
      case 'written': {
        if (!result.before || !result.written) {
          return receipt(
            result.day,
            false,
            result.receipt.map((w) => ({
              productId: w.productId,
              updatedAt: w.updatedAt.toISOString(),
            })),
          );
        }
        const writtenOf = new Set(result.written.map((f) => f.productId));
        const data = {
          ...result.before,
          stored: [
            ...result.before.stored.filter((f) => !writtenOf.has(f.productId)),
            ...result.written,
          ],
        };
        return {
          ...composeCheckIn(market, params.date, resolved, result.day, data, true),
          replayed: false,
        };
      }
    }
  }

  /** Market days with a check-in, newest first, keyset-paginated. */
  listCheckIns(
    tenant: TenantContext,
    query: { marketId?: string; from?: string; to?: string; limit: number; cursor?: string },
  ): Promise<{ data: CheckInSummary[]; nextCursor: string | null }> {
    if (query.from && query.to) resolveRange({ from: query.from, to: query.to }, this.deps.now());
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      if (query.marketId) await this.requireMarket(repo, query.marketId);
      const rows = await repo.listCheckInDays({
        marketId: query.marketId,
        from: query.from,
        to: query.to,
        limit: query.limit + 1,
        after,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        data: page.map((r) => ({ ...r, lastUpdatedAt: r.lastUpdatedAt.toISOString() })),
        nextCursor:
          rows.length > query.limit && last ? encodeCursor(last.date, last.marketDayId) : null,
      };
    });
  }

  /**
   * Accuracy, waste and sell-out figures over the last `days` days (each market's own today
   * included), per market and per product at each market.
   */
  getStats(
    tenant: TenantContext,
    query: { marketId?: string; productId?: string; days: number },
  ): Promise<CheckInStats> {
    const now = this.deps.now();
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      const markets = query.marketId
        ? [await this.requireMarket(repo, query.marketId)]
        : await repo.findMarkets();
      if (query.productId) await this.requireProduct(repo, query.productId);
      // Each market's own last `days` days, through its today.
      const windows = markets.map((m) => {
        const to = localDate(now, m.timezone);
        return { marketId: m.id, from: addDays(to, -(query.days - 1)), to };
      });
      if (markets.length === 0) return { days: query.days, markets: [], products: [] };
      const groups = await repo.sumCheckInStats({ windows, productId: query.productId });
      const marketSums = new Map(
        groups.flatMap((g) => (g.productId === null ? [[g.marketId, g.sums] as const] : [])),
      );
      const marketById = new Map(markets.map((m) => [m.id, m]));
      return {
        days: query.days,
        markets: markets.map((m, i) => ({
          marketId: m.id,
          marketName: m.name,
          from: windows[i]?.from ?? '',
          to: windows[i]?.to ?? '',
          ...computeStatsFigures(marketSums.get(m.id) ?? NO_STATS),
        })),
        products: groups
          .flatMap((g) =>
            g.productId === null
              ? []
              : [
                  {
                    marketId: g.marketId,
                    marketName: marketById.get(g.marketId)?.name ?? '',
                    productId: g.productId,
                    productName: g.productName ?? '',
                    ...computeStatsFigures(g.sums),
                  },
                ],
          )
          .sort(
            (a, b) =>
              a.marketName.localeCompare(b.marketName) ||
              a.productName.localeCompare(b.productName),
          ),
      };
    });
  }

  private async requireMarket(repo: FeedbackRepository, marketId: string): Promise<CheckInMarket> {
    const market = (await repo.findMarkets([marketId]))[0];
    if (!market) throw new AppError('NOT_FOUND', `No market ${marketId} in this business.`);
    return market;
  }

  private async requireProduct(repo: FeedbackRepository, productId: string): Promise<void> {
    if ((await repo.findProducts([productId])).length === 0) {
      throw new AppError('NOT_FOUND', `No product ${productId} in this business.`);
    }
  }

  /**
   * The stored market day, or a weekly opening in season without a stored day yet; else a 404
   * saying why (no market that weekday, or out of season) with the nearest market days, before
   * anything is written.
   */
  private async resolveDay(
    tenant: TenantContext,
    row: CheckInMarketDay | null,
    market: CheckInMarket,
    date: string,
  ): Promise<ResolvedDay> {
    if (row) return { row, opensAt: row.opensAt, closesAt: row.closesAt };
    const slot = scheduleOn(market, date);
    if (!slot) {
      throw await notAMarketDayError({
        db: this.deps.db,
        vendorId: tenant.vendorId,
        market,
        date,
        now: this.deps.now(),
      });
    }
    return {
      row: null,
      opensAt: zonedInstant(date, slot.opensAt, market.timezone),
      closesAt: zonedInstant(date, slot.closesAt, market.timezone),
    };
  }

  /** `HH:MM` local or an ISO instant → the instant; it must fall on the market day's local date. */
  private parseSoldOutAt(
    value: string | null,
    date: string,
    market: CheckInMarket,
    index: number,
  ): Date | null {
    if (value === null) return null;
    const instant = HH_MM.test(value)
      ? zonedInstant(date, value, market.timezone)
      : new Date(value);
    if (Number.isNaN(instant.getTime()) || localDate(instant, market.timezone) !== date) {
      throw new AppError(
        'BAD_REQUEST',
        `soldOutAt ${value} is not during the market day ${date} (${market.timezone}).`,
        [{ path: `lines.${index}.soldOutAt`, message: `Must be on ${date} in ${market.timezone}` }],
      );
    }
    return instant;
  }
}

/**
 * Whether a check-in of `date` is taken now: from the market day's own date on, in the market's
 * time zone (the form says so up front; a PUT before then is a 400).
 */
function isCheckInOpen(market: CheckInMarket, date: string, now: Date): boolean {
  return date <= localDate(now, market.timezone);
}

/** A 409 for a cancelled market day: nothing is offered or accepted for it. */
function cancelledDay(market: CheckInMarket, date: string): AppError {
  return new AppError(
    'CONFLICT',
    `The market day ${date} at ${market.name} was cancelled: there is nothing to check in.`,
  );
}

/**
 * The check-in form from what is stored: one line per product (active ones, and any already
 * checked in), stored values else prefill from the prep list and sales.
 */
function composeCheckIn(
  market: CheckInMarket,
  date: string,
  resolved: ResolvedDay,
  row: CheckInMarketDay | null,
  data: CheckInDayData,
  checkInOpen: boolean,
  /** What the day's sale timestamps prefill (sell-out times, Square's products). */
  prefill: DaySalePrefill = { sellOuts: new Map(), squareProducts: new Set() },
): CheckIn {
  const { stored, prep, sales } = data;
  const storedOf = new Map(stored.map((f) => [f.productId, f]));
  // Inactive products that were checked in join the active ones, everything by name.
  const products = data.products.some((p) => !p.active)
    ? [...data.products].sort((a, b) => a.name.localeCompare(b.name))
    : data.products;
  const prepOf = new Map(prep.map((l) => [l.productId, l]));
  const salesOf = new Map(sales.map((s) => [s.productId, s.quantity]));

  const lines: CheckInLine[] = products.map((p) => {
    const f = storedOf.get(p.id);
    const recommended = prepOf.get(p.id)?.quantity ?? null;
    const salesQuantity = salesOf.get(p.id) ?? null;
    const sellOut = f ? undefined : prefill.sellOuts.get(p.id);
    const soldPrefilled = salesQuantity !== null && (f?.sold ?? null) === null;
    const source = prefill.squareProducts.has(p.id) ? ('square' as const) : ('sales' as const);
    return {
      productId: p.id,
      productName: p.name,
      unit: p.unit,
      brought: f ? f.brought : recommended,
      sold: f ? (f.sold ?? salesQuantity) : salesQuantity,
      leftOver: f?.leftOver ?? null,
      wasted: f?.wasted ?? null,
      donated: f?.donated ?? null,
      soldOutAt: f
        ? (f.soldOutAt?.toISOString() ?? null)
        : (sellOut?.soldOutAt.toISOString() ?? null),
      rating: f?.rating ?? null,
      notes: f?.notes ?? null,
      recommendedQuantity: recommended,
      salesQuantity,
      prefilledFrom: {
        sold: soldPrefilled ? source : null,
        soldOutAt: sellOut ? (sellOut.fromSquare ? 'square' : 'sales') : null,
      },
      checkedIn: f !== undefined,
      updatedAt: f?.updatedAt.toISOString() ?? null,
    };
  });
  return {
    marketId: market.id,
    marketDayId: row?.id ?? null,
    date,
    timezone: market.timezone,
    opensAt: (row?.opensAt ?? resolved.opensAt)?.toISOString() ?? null,
    closesAt: (row?.closesAt ?? resolved.closesAt)?.toISOString() ?? null,
    checkInOpen,
    lines,
  };
}
