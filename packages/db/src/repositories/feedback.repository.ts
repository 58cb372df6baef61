import type { Prisma } from '../generated/prisma/client';
import { tenantSql, type TenantTransaction } from '../tenant';

/** `YYYY-MM-DD` → the Date a `@db.Date` column stores (UTC midnight). */
export const dateColumn = (date: string): Date => new Date(`${date}T00:00:00Z`);
/** A `@db.Date` column value → `YYYY-MM-DD`. */
export const isoDate = (value: Date): string => value.toISOString().slice(0, 10);
/** A `@db.Time` column value → `HH:MM`. */
const isoTime = (value: Date): string => value.toISOString().slice(11, 16);

const num = (value: Prisma.Decimal | null): number | null => (value ? value.toNumber() : null);

/** A market as check-ins and insights need it. */
export interface CheckInMarket {
  id: string;
  name: string;
  timezone: string;
  boothFeeMinor: number;
  /** Weekly schedule, 0 = Monday, local `HH:MM`, season `MM-DD` bounds (null: all year). */
  schedule: CheckInScheduleEntry[];
}

/** One weekly opening of a market as check-ins see it. */
export interface CheckInScheduleEntry {
  weekday: number;
  opensAt: string;
  closesAt: string;
  seasonFrom: string | null;
  seasonTo: string | null;
}

/** A `@db.Date` season bound → `MM-DD` (null stays null). */
const monthDay = (value: Date | null): string | null =>
  value ? value.toISOString().slice(5, 10) : null;

/** A market day row. */
export interface CheckInMarketDay {
  id: string;
  marketId: string;
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
  opensAt: Date | null;
  closesAt: Date | null;
}

/** A product with its economics. */
export interface CheckInProduct {
  id: string;
  name: string;
  unit: string;
  active: boolean;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
}

/** One line of the prep list chosen for a market day (see {@link findPrepListLines}). */
export interface PrepListLine {
  marketDayId: string;
  productId: string;
  q10: number;
  q50: number;
  q90: number;
  /** overrideQuantity ?? quantity. */
  quantity: number;
  expectedRevenueMinor: number;
}

/** A stored check-in line. */
export interface FeedbackRecord {
  marketDayId: string;
  marketId: string;
  date: string;
  productId: string;
  brought: number;
  sold: number | null;
  leftOver: number;
  wasted: number;
  donated: number;
  soldOutAt: Date | null;
  rating: number | null;
  notes: string | null;
  clientSubmissionId: string | null;
  updatedAt: Date;
}

/** Units sold per market, product and date (`daily_sales`). */
export interface DailySalesRecord {
  marketId: string;
  productId: string;
  date: string;
  quantity: number;
  revenueMinor: number;
}

/** One product of a submission, ready to store. */
export interface FeedbackWrite {
  productId: string;
  brought: number;
  sold: number | null;
  leftOver: number;
  wasted: number;
  donated: number;
  soldOutAt: Date | null;
  rating: number | null;
  notes: string | null;
  clientSubmissionId: string;
  /**
   * The line's `updatedAt` when the client's form was loaded (null: it had no saved line then);
   * when given and the saved line differs, the submission is a conflict and writes nothing.
   * Undefined: not checked (last write wins).
   */
  expectedUpdatedAt?: Date | null;
}

/** One market day with a check-in, for the list. */
export interface CheckInDaySummary {
  marketDayId: string;
  marketId: string;
  marketName: string;
  date: string;
  products: number;
  brought: number;
  sold: number | null;
  leftOver: number;
  wasted: number;
  donated: number;
  soldOutProducts: number;
  lastUpdatedAt: Date;
}

const feedbackSelect = {
  marketDayId: true,
  productId: true,
  brought: true,
  sold: true,
  leftOver: true,
  wasted: true,
  donated: true,
  soldOutAt: true,
  rating: true,
  notes: true,
  clientSubmissionId: true,
  updatedAt: true,
  marketDay: { select: { marketId: true, date: true } },
} as const;

type FeedbackRow = Prisma.FeedbackGetPayload<{ select: typeof feedbackSelect }>;

const toFeedback = (row: FeedbackRow): FeedbackRecord => ({
  marketDayId: row.marketDayId,
  marketId: row.marketDay.marketId,
  date: isoDate(row.marketDay.date),
  productId: row.productId,
  brought: row.brought.toNumber(),
  sold: num(row.sold),
  leftOver: row.leftOver.toNumber(),
  wasted: row.wasted.toNumber(),
  donated: row.donated.toNumber(),
  soldOutAt: row.soldOutAt,
  rating: row.rating,
  notes: row.notes,
  clientSubmissionId: row.clientSubmissionId,
  updatedAt: row.updatedAt,
});

/** Check-in totals of market days (numbers as text, exact); sold out as in isSoldOut. */
const DAY_TOTALS_SQL = `
SELECT market_day_id, count(*)::int AS products, sum(brought)::text AS brought,
       sum(sold)::text AS sold, sum(left_over)::text AS left_over, sum(wasted)::text AS wasted,
       sum(donated)::text AS donated,
       (count(*) FILTER (WHERE sold_out_at IS NOT NULL OR (brought > 0 AND left_over = 0)))::int
         AS sold_out_products,
       max(updated_at) AS last_updated_at
  FROM feedback
 WHERE market_day_id = ANY($1::uuid[])
 GROUP BY market_day_id`;

interface DayTotalsRow {
  market_day_id: string;
  products: number;
  brought: string;
  /** Null when no line of the day has `sold`. */
  sold: string | null;
  left_over: string;
  wasted: string;
  donated: string;
  sold_out_products: number;
  last_updated_at: Date;
}

/** A line sold out: something was brought and nothing was left (its demand is censored). */
export const isSoldOut = (f: { brought: number; leftOver: number; soldOutAt: Date | null }) =>
  f.soldOutAt !== null || (f.brought > 0 && f.leftOver === 0);

/**
 * The prep-list lines of each market day: the CURRENT recommendation with the latest
 * `generatedAt` (else the latest of any status), quantity = override ?? computed. Reads the
 * recommendation tables directly (their writer is the prep-list module).
 */
export async function findPrepListLines(
  tx: TenantTransaction,
  marketDayIds: string[],
  productId?: string,
): Promise<PrepListLine[]> {
  if (marketDayIds.length === 0) return [];
  const recommendations = await tx.recommendation.findMany({
    where: { marketDayId: { in: marketDayIds } },
    orderBy: [{ generatedAt: 'desc' }, { id: 'asc' }],
    select: { id: true, marketDayId: true, status: true },
  });
  const chosen = new Map<string, string>();
  for (const r of recommendations)
    if (r.status === 'CURRENT' && !chosen.has(r.marketDayId)) chosen.set(r.marketDayId, r.id);
  for (const r of recommendations) if (!chosen.has(r.marketDayId)) chosen.set(r.marketDayId, r.id);
  return linesOfRecommendations(tx, chosen, productId);
}

/**
 * The prep-list lines of market days as they stood before each day's outcome was known: per day
 * the newest list generated before `before` (the day's close) and before its first check-in (a
 * check-in retrains the model and regenerates the day's list, which then knows the day's sales:
 * scoring that one would credit MarketPrep with hindsight). Days without such a list: no lines.
 */
export async function findPrepListLinesAsOf(
  tx: TenantTransaction,
  days: readonly { marketDayId: string; before: Date }[],
): Promise<PrepListLine[]> {
  if (days.length === 0) return [];
  const ids = days.map((d) => d.marketDayId);
  const firstCheckIns = await tx.feedback.groupBy({
    by: ['marketDayId'],
    where: { marketDayId: { in: ids } },
    _min: { createdAt: true },
  });
  const cutoff = new Map(days.map((d) => [d.marketDayId, d.before.getTime()]));
  for (const c of firstCheckIns) {
    const first = c._min.createdAt?.getTime();
    if (first !== undefined) {
      cutoff.set(c.marketDayId, Math.min(cutoff.get(c.marketDayId) ?? first, first));
    }
  }
  const recommendations = await tx.recommendation.findMany({
    where: { marketDayId: { in: ids } },
    orderBy: [{ generatedAt: 'desc' }, { id: 'asc' }],
    select: { id: true, marketDayId: true, generatedAt: true },
  });
  const chosen = new Map<string, string>();
  for (const r of recommendations) {
    const limit = cutoff.get(r.marketDayId);
    if (limit === undefined || chosen.has(r.marketDayId)) continue;
    if (r.generatedAt.getTime() < limit) chosen.set(r.marketDayId, r.id);
  }
  return linesOfRecommendations(tx, chosen);
}

/** The lines of the chosen recommendation of each market day (market day id -> its id). */
async function linesOfRecommendations(
  tx: TenantTransaction,
  chosen: ReadonlyMap<string, string>,
  productId?: string,
): Promise<PrepListLine[]> {
  if (chosen.size === 0) return [];
  const dayOf = new Map([...chosen].map(([dayId, recId]) => [recId, dayId]));
  const lines = await tx.recommendationLine.findMany({
    where: {
      recommendationId: { in: [...chosen.values()] },
      ...(productId ? { productId } : {}),
    },
    select: {
      recommendationId: true,
      productId: true,
      q10: true,
      q50: true,
      q90: true,
      quantity: true,
      overrideQuantity: true,
      expectedRevenueMinor: true,
    },
  });
  return lines.map((l) => ({
    marketDayId: dayOf.get(l.recommendationId) ?? '',
    productId: l.productId,
    q10: l.q10.toNumber(),
    q50: l.q50.toNumber(),
    q90: l.q90.toNumber(),
    quantity: l.overrideQuantity ?? l.quantity,
    expectedRevenueMinor: Number(l.expectedRevenueMinor),
  }));
}

/** Units sold per market, product and date in a date range (`daily_sales`). */
export async function findDailySales(
  tx: TenantTransaction,
  options: { marketId?: string; productId?: string; from: string; to: string },
): Promise<DailySalesRecord[]> {
  const rows = await tx.dailySales.findMany({
    where: {
      date: { gte: dateColumn(options.from), lte: dateColumn(options.to) },
      ...(options.marketId ? { marketId: options.marketId } : {}),
      ...(options.productId ? { productId: options.productId } : {}),
    },
    orderBy: [{ date: 'asc' }, { marketId: 'asc' }, { productId: 'asc' }],
    select: { marketId: true, productId: true, date: true, quantity: true, revenueMinor: true },
  });
  return rows.map((r) => ({
    marketId: r.marketId,
    productId: r.productId,
    date: isoDate(r.date),
    quantity: r.quantity.toNumber(),
    revenueMinor: Number(r.revenueMinor),
  }));
}

/**
 * Pack-up check-ins (the `feedback` table) and what they are read against: market days, products,
 * prep lists and sales. Takes a tenant-scoped transaction (withTenant).
 */
export class FeedbackRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The vendor's markets (all, or the given ids), with their schedules. */
  async findMarkets(ids?: string[]): Promise<CheckInMarket[]> {
    const rows = await this.tx.market.findMany({
      where: ids ? { id: { in: ids } } : {},
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        timezone: true,
        boothFeeMinor: true,
        schedules: {
          select: {
            weekday: true,
            opensAt: true,
            closesAt: true,
            seasonFrom: true,
            seasonTo: true,
          },
        },
      },
    });
    return rows.map((m) => ({
      id: m.id,
      name: m.name,
      timezone: m.timezone,
      boothFeeMinor: m.boothFeeMinor,
      schedule: m.schedules.map((s) => ({
        weekday: s.weekday,
        opensAt: isoTime(s.opensAt),
        closesAt: isoTime(s.closesAt),
        seasonFrom: monthDay(s.seasonFrom),
        seasonTo: monthDay(s.seasonTo),
      })),
    }));
  }

  /** Products by id (any state), or the active ones; ordered by name. */
  async findProducts(ids?: string[]): Promise<CheckInProduct[]> {
    return this.tx.product.findMany({
      where: ids ? { id: { in: ids } } : { active: true },
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        unit: true,
        active: true,
        priceMinor: true,
        unitCostMinor: true,
        salvageValueMinor: true,
      },
    });
  }

  /** The prep-list lines of these market days (see {@link findPrepListLines}). */
  findPrepListLines(marketDayIds: string[], productId?: string): Promise<PrepListLine[]> {
    return findPrepListLines(this.tx, marketDayIds, productId);
  }

  /** The lines of these market days as they stood before each day's outcome was known. */
  findPrepListLinesAsOf(
    days: readonly { marketDayId: string; before: Date }[],
  ): Promise<PrepListLine[]> {
    return findPrepListLinesAsOf(this.tx, days);
  }

  /** Daily sales in a date range. */
  findDailySales(options: {
    marketId?: string;
    productId?: string;
    from: string;
    to: string;
  }): Promise<DailySalesRecord[]> {
    return findDailySales(this.tx, options);
  }

  /** Check-in lines of market days in a date range. */
  async findFeedback(options: {
    marketIds?: string[];
    productId?: string;
    from: string;
    to: string;
  }): Promise<FeedbackRecord[]> {
    const rows = await this.tx.feedback.findMany({
      where: {
        marketDay: {
          date: { gte: dateColumn(options.from), lte: dateColumn(options.to) },
          ...(options.marketIds ? { marketId: { in: options.marketIds } } : {}),
        },
        ...(options.productId ? { productId: options.productId } : {}),
      },
      orderBy: [{ marketDay: { date: 'asc' } }, { productId: 'asc' }],
      select: feedbackSelect,
    });
    return rows.map(toFeedback);
  }

  /**
   * Market days with at least one check-in line, newest first, with totals. Keyset pagination on
   * (date desc, id desc): pass the last row's date and id as `after`.
   */
  async listCheckInDays(options: {
    marketId?: string;
    from?: string;
    to?: string;
    limit: number;
    after?: { date: string; id: string };
  }): Promise<CheckInDaySummary[]> {
    const dateRange = {
      ...(options.from ? { gte: dateColumn(options.from) } : {}),
      ...(options.to ? { lte: dateColumn(options.to) } : {}),
    };
    const after = options.after;
    const days = await this.tx.marketDay.findMany({
      where: {
        feedback: { some: {} },
        ...(options.marketId ? { marketId: options.marketId } : {}),
        date: dateRange,
        ...(after
          ? {
              OR: [
                { date: { lt: dateColumn(after.date) } },
                { date: dateColumn(after.date), id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ date: 'desc' }, { id: 'desc' }],
      take: options.limit,
      select: { id: true, marketId: true, date: true, market: { select: { name: true } } },
    });
    if (days.length === 0) return [];
    // Totals per day summed in PostgreSQL: one row per day instead of every line of the page.
    const totals = await tenantSql(this.tx).query<DayTotalsRow>(
      DAY_TOTALS_SQL,
      [days.map((d) => d.id)],
      'mp-check-in-day-totals',
    );
    const byDay = new Map(totals.map((t) => [t.market_day_id, t]));
    const round = (value: string) => Math.round(Number(value) * 1000) / 1000;
    return days.flatMap((d) => {
      const t = byDay.get(d.id);
      // A day whose last line was deleted since the page was read has nothing to sum.
      if (!t) return [];
      return [
        {
          marketDayId: d.id,
          marketId: d.marketId,
          marketName: d.market.name,
          date: isoDate(d.date),
          products: t.products,
          brought: round(t.brought),
          sold: t.sold === null ? null : round(t.sold),
          leftOver: round(t.left_over),
          wasted: round(t.wasted),
          donated: round(t.donated),
          soldOutProducts: t.sold_out_products,
          lastUpdatedAt: t.last_updated_at,
        },
      ];
    });
  }
}
