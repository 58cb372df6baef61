import { tenantSql, type TenantTransaction } from '../tenant';

/** `YYYY-MM-DD` → the Date a `@db.Date` column stores (UTC midnight). */
export const dateColumn = (date: string): Date => new Date(`${date}T00:00:00Z`);
/** A `@db.Date` column value → `YYYY-MM-DD`. */
export const isoDate = (value: Date): string => value.toISOString().slice(0, 10);

/** A market as check-ins and insights need it. */
export interface CheckInMarket {
  id: string;
  name: string;
  timezone: string;
  boothFeeMinor: number;
  /** Weekly schedule, 0 = Monday, local `HH:MM`, season `MM-DD` bounds (null: all year). */
  schedule: CheckInScheduleEntry[];
}

/** A market as `findMarkets` returns it: with its ISO 3166 country and region (holidays). */
export interface FeedbackMarket extends CheckInMarket {
  countryCode: string;
  regionCode: string | null;
}

/** One weekly opening of a market as check-ins see it. */
export interface CheckInScheduleEntry {
  weekday: number;
  opensAt: string;
  closesAt: string;
  seasonFrom: string | null;
  seasonTo: string | null;
  /** Which of the month's weekdays (1-5, -1 = last); empty = every week. */
  weeksOfMonth: number[];
  /** Every other week from this date ('YYYY-MM-DD'), or null. */
  everyOtherWeekFrom: string | null;
}

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

interface CheckInMarketRow {
  id: string;
  name: string;
  timezone: string;
  country_code: string;
  region_code: string | null;
  booth_fee_minor: number;
  schedule: CheckInScheduleEntry[];
}

/** A product as the check-in statements return it. */
export interface CheckInProductRow {
  id: string;
  name: string;
  unit: string;
  active: boolean;
  price_minor: number;
  unit_cost_minor: number;
  salvage_value_minor: number;
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

/** Check-in totals of one market day as the waste report reads them (see sumWasteByMarketDay). */
export interface MarketDayWaste {
  marketDayId: string;
  marketId: string;
  marketName: string;
  date: string;
  brought: number;
  /** Checked-in sold, else the day's sales, else brought - left over; summed. */
  sold: number;
  wasted: number;
  donated: number;
  /** Lines sold out (as isSoldOut). */
  sellOuts: number;
  /** Sum of wasted x max(0, unit cost - salvage value), minor units, not rounded. */
  wasteCost: number;
}

/**
 * The check-in lines `f` of market day `dayId`, through its (market_day_id, product_id) index.
 * OFFSET 0 keeps the planner from flattening it into a join that scans all of `feedback` (it
 * costs the row-level-security check of every row as nothing; measured on the demo: the check-in
 * stats statement 5.4-5.9 ms as a join, 2.5-2.8 ms this way).
 */
const linesOfDay = (dayId: string) =>
  `CROSS JOIN LATERAL (SELECT * FROM feedback f WHERE f.market_day_id = ${dayId} OFFSET 0) f`;

/**
 * Sold as the reports count it: checked in, else the day's sales, else brought - left over, for
 * a check-in line `f` of market `marketId` on `date`. The sales row is looked up (unique index)
 * only for a line without `sold`: a join would hash or scan every sale of the range.
 */
const reportedSold = (marketId: string, date: string) => `coalesce(f.sold,
  (SELECT s.quantity FROM daily_sales s
    WHERE s.market_id = ${marketId} AND s.product_id = f.product_id AND s.date = ${date}),
  greatest(0, f.brought - f.left_over))`;
/** isSoldOut in SQL. */
const SOLD_OUT = '(f.sold_out_at IS NOT NULL OR (f.brought > 0 AND f.left_over = 0))';

/**
 * Check-in totals per market day in a date range; numbers exact, as text. `perDay`: each day's
 * lines through the index (linesOfDay), faster up to about a year of days (measured on the demo:
 * 8 weeks 1.1 vs 2.4 ms, half a year 4.2 vs 7.0 ms, a year 7.7 vs 7.3 ms, two years 14.2 vs 9.4 ms
 * against a hash join over all of `feedback`).
 */
const wasteSql = (byMarket: boolean, perDay: boolean) => `
SELECT f.market_day_id, md.market_id, m.name AS market_name, md.date::text AS date,
       sum(f.brought)::text AS brought, sum(${reportedSold('md.market_id', 'md.date')})::text AS sold,
       sum(f.wasted)::text AS wasted, sum(f.donated)::text AS donated,
       (count(*) FILTER (WHERE ${SOLD_OUT}))::int AS sell_outs,
       coalesce(sum(f.wasted * greatest(0, p.unit_cost_minor - p.salvage_value_minor)), 0)::text
         AS waste_cost
  FROM market_days md
  JOIN markets m ON m.vendor_id = md.vendor_id AND m.id = md.market_id
  ${perDay ? linesOfDay('md.id') : 'JOIN feedback f ON f.vendor_id = md.vendor_id AND f.market_day_id = md.id'}
  LEFT JOIN products p ON p.vendor_id = f.vendor_id AND p.id = f.product_id
 WHERE md.date BETWEEN $1::date AND $2::date${byMarket ? ' AND md.market_id = $3::uuid' : ''}
 GROUP BY f.market_day_id, md.market_id, m.name, md.date`;

interface WasteRow {
  market_day_id: string;
  market_id: string;
  market_name: string;
  date: string;
  brought: string;
  sold: string;
  wasted: string;
  donated: string;
  sell_outs: number;
  waste_cost: string;
}

/**
 * Sums of the check-in lines of a group (a market, or a product at a market) as the stats read
 * them (see sumCheckInStats), summed exactly in PostgreSQL.
 */
export interface CheckInStatsSums {
  /** Check-in lines (a product on a market day). */
  lines: number;
  marketDays: number;
  /** Sold-out lines (demand censored). */
  censored: number;
  /** Lines that did not sell out and had a prep-list line: compared with what sold. */
  compared: number;
  /** Over compared lines: sum of |recommended - sold| and of (recommended - sold). */
  absoluteError: number;
  error: number;
  brought: number;
  sold: number;
  wasted: number;
  donated: number;
  /** Over sold-out lines with a prep-list line: max(0, P50 - sold) x max(0, price - unit cost). */
  moneyLeftOnTable: number;
  /** wasted x max(0, unit cost - salvage value). */
  wasteCost: number;
}

/** One group of {@link FeedbackRepository.sumCheckInStats}: a whole market, or one product. */
export interface CheckInStatsGroup {
  marketId: string;
  /** Null for the market's own figures. */
  productId: string | null;
  productName: string | null;
  sums: CheckInStatsSums;
}

/**
 * The stats' observations (check-in lines of each market's own date window, with the sold units
 * as the reports count them and the line of the day's chosen prep list: CURRENT with the latest
 * generatedAt, else the latest, ties by id, as findPrepListLines) summed per market and per
 * product at each market in one pass (GROUPING SETS).
 */
const statsSql = (byProduct: boolean) => `
WITH days AS (
  SELECT md.id, md.market_id, md.date,
         (SELECT r.id FROM recommendations r
           WHERE r.market_day_id = md.id
           ORDER BY (r.status = 'CURRENT') DESC, r.generated_at DESC, r.id ASC
           LIMIT 1) AS recommendation_id
    FROM unnest($1::uuid[], $2::date[], $3::date[]) AS w(market_id, from_date, to_date)
    JOIN market_days md
      ON md.market_id = w.market_id AND md.date BETWEEN w.from_date AND w.to_date
   WHERE EXISTS (SELECT 1 FROM feedback f WHERE f.market_day_id = md.id)),
observations AS (
  SELECT d.market_id, f.product_id, p.name AS product_name, f.market_day_id,
         f.brought, f.wasted, f.donated, ${reportedSold('d.market_id', 'd.date')} AS sold, ${SOLD_OUT} AS sold_out,
         coalesce(l.override_quantity, l.quantity) AS recommended, l.q50,
         greatest(0, p.price_minor - p.unit_cost_minor) AS margin,
         greatest(0, p.unit_cost_minor - p.salvage_value_minor) AS waste_unit_cost
    FROM days d
    ${linesOfDay('d.id')}
    JOIN products p ON p.vendor_id = f.vendor_id AND p.id = f.product_id
    LEFT JOIN recommendation_lines l
      ON l.recommendation_id = d.recommendation_id AND l.product_id = f.product_id${
        byProduct ? '\n   WHERE f.product_id = $4::uuid' : ''
      })
SELECT market_id, product_id, min(product_name) AS product_name,
       GROUPING(product_id) = 1 AS whole_market,
       count(*)::int AS lines,
       count(DISTINCT market_day_id)::int AS market_days,
       (count(*) FILTER (WHERE sold_out))::int AS censored,
       (count(*) FILTER (WHERE NOT sold_out AND recommended IS NOT NULL))::int AS compared,
       coalesce(sum(abs(recommended - sold)) FILTER (WHERE NOT sold_out), 0)::text
         AS absolute_error,
       coalesce(sum(recommended - sold) FILTER (WHERE NOT sold_out), 0)::text AS error,
       sum(brought)::text AS brought, sum(sold)::text AS sold,
       sum(wasted)::text AS wasted, sum(donated)::text AS donated,
       coalesce(sum(greatest(0, q50 - sold) * margin) FILTER (WHERE sold_out), 0)::text
         AS money_left_on_table,
       sum(wasted * waste_unit_cost)::text AS waste_cost
  FROM observations
 GROUP BY GROUPING SETS ((market_id), (market_id, product_id))`;

interface StatsRow {
  market_id: string;
  product_id: string | null;
  product_name: string | null;
  whole_market: boolean;
  lines: number;
  market_days: number;
  censored: number;
  compared: number;
  absolute_error: string;
  error: string;
  brought: string;
  sold: string;
  wasted: string;
  donated: string;
  money_left_on_table: string;
  waste_cost: string;
}

/** A line sold out: something was brought and nothing was left (its demand is censored). */
export const isSoldOut = (f: { brought: number; leftOver: number; soldOutAt: Date | null }) =>
  f.soldOutAt !== null || (f.brought > 0 && f.leftOver === 0);

/** A prep-list line as read by SQL (numbers as exact text). */
interface PrepListLineRow {
  market_day_id: string;
  product_id: string;
  q10: string;
  q50: string;
  q90: string;
  quantity: number;
  expected_revenue_minor: string;
}

const LINE_COLUMNS = `l.product_id, l.q10::text AS q10, l.q50::text AS q50, l.q90::text AS q90,
       coalesce(l.override_quantity, l.quantity) AS quantity,
       l.expected_revenue_minor::text AS expected_revenue_minor`;

const toPrepListLine = (r: PrepListLineRow): PrepListLine => ({
  marketDayId: r.market_day_id,
  productId: r.product_id,
  q10: Number(r.q10),
  q50: Number(r.q50),
  q90: Number(r.q90),
  quantity: r.quantity,
  expectedRevenueMinor: Number(r.expected_revenue_minor),
});

/** The chosen list of each day (CURRENT, then latest, then smallest id) and its lines. */
const prepListLinesSql = (byProduct: boolean) => `
WITH chosen AS (
  SELECT DISTINCT ON (r.market_day_id) r.market_day_id, r.id
    FROM recommendations r
   WHERE r.market_day_id = ANY($1::uuid[])
   ORDER BY r.market_day_id, (r.status = 'CURRENT') DESC, r.generated_at DESC, r.id ASC)
SELECT c.market_day_id, ${LINE_COLUMNS}
  FROM chosen c
  JOIN recommendation_lines l ON l.recommendation_id = c.id${
    byProduct ? ' AND l.product_id = $2::uuid' : ''
  }
 ORDER BY c.market_day_id, l.product_id`;

/**
 * The prep-list lines of each market day: the CURRENT recommendation with the latest
 * `generatedAt` (else the latest of any status; ties: the smaller id), quantity = override ??
 * computed. Reads the recommendation tables directly (their writer is the prep-list module).
 */
export async function findPrepListLines(
  tx: TenantTransaction,
  marketDayIds: string[],
  productId?: string,
): Promise<PrepListLine[]> {
  if (marketDayIds.length === 0) return [];
  const rows = await tenantSql(tx).query<PrepListLineRow>(
    prepListLinesSql(productId !== undefined),
    [marketDayIds, ...(productId ? [productId] : [])],
    `mp-prep-list-lines${productId ? '-p' : ''}`,
  );
  return rows.map(toPrepListLine);
}

/**
 * Per asked day, the newest list generated before both its `before` and its first check-in
 * (least() skips a day without check-ins); ties: the smaller id.
 */
const PREP_LIST_LINES_AS_OF_SQL = `
WITH asked AS (
  SELECT a.market_day_id,
         least(a.before, (SELECT min(f.created_at) FROM feedback f
                           WHERE f.market_day_id = a.market_day_id)) AS cutoff
    FROM unnest($1::uuid[], $2::timestamptz[]) AS a(market_day_id, before)),
chosen AS (
  SELECT a.market_day_id,
         (SELECT r.id FROM recommendations r
           WHERE r.market_day_id = a.market_day_id AND r.generated_at < a.cutoff
           ORDER BY r.generated_at DESC, r.id ASC
           LIMIT 1) AS id
    FROM asked a)
SELECT c.market_day_id, ${LINE_COLUMNS}
  FROM chosen c
  JOIN recommendation_lines l ON l.recommendation_id = c.id
 ORDER BY c.market_day_id, l.product_id`;

/**
 * The prep-list lines of market days as they stood before each day's outcome was known: per day
 * the newest list generated before `before` (the day's close) and before its first check-in (a
 * list regenerated by hand after those knows the day's sales: scoring that one would credit
 * MarketPrep with hindsight). Days without such a list: no lines.
 */
export async function findPrepListLinesAsOf(
  tx: TenantTransaction,
  days: readonly { marketDayId: string; before: Date }[],
): Promise<PrepListLine[]> {
  if (days.length === 0) return [];
  // One cutoff per day (the last one given wins, as a map would keep it).
  const before = new Map(days.map((d) => [d.marketDayId, d.before]));
  const rows = await tenantSql(tx).query<PrepListLineRow>(
    PREP_LIST_LINES_AS_OF_SQL,
    [[...before.keys()], [...before.values()]],
    'mp-prep-list-lines-as-of',
  );
  return rows.map(toPrepListLine);
}

const dailySalesSql = (byMarket: boolean, byProduct: boolean) => `
SELECT market_id, product_id, date::text AS date, quantity::text AS quantity,
       revenue_minor::text AS revenue_minor
  FROM daily_sales
 WHERE date BETWEEN $1::date AND $2::date${byMarket ? ' AND market_id = $3::uuid' : ''}${
   byProduct ? ` AND product_id = $${byMarket ? 4 : 3}::uuid` : ''
 }
 ORDER BY date, market_id, product_id`;

interface DailySalesRow {
  market_id: string;
  product_id: string;
  date: string;
  quantity: string;
  revenue_minor: string;
}

/**
 * Units sold per market, product and date in a date range (`daily_sales`), ordered by date,
 * market and product. Plain SQL on the scope's connection: the reports read hundreds of these rows
 * per request, and Prisma's per-row cost showed (issue 21).
 */
export async function findDailySales(
  tx: TenantTransaction,
  options: { marketId?: string; productId?: string; from: string; to: string },
): Promise<DailySalesRecord[]> {
  const { marketId, productId } = options;
  const rows = await tenantSql(tx).query<DailySalesRow>(
    dailySalesSql(marketId !== undefined, productId !== undefined),
    [options.from, options.to, ...(marketId ? [marketId] : []), ...(productId ? [productId] : [])],
    `mp-daily-sales${marketId ? '-m' : ''}${productId ? '-p' : ''}`,
  );
  return rows.map((r) => ({
    marketId: r.market_id,
    productId: r.product_id,
    date: r.date,
    quantity: Number(r.quantity),
    revenueMinor: Number(r.revenue_minor),
  }));
}

const feedbackSql = (byMarkets: boolean, byProduct: boolean) => `
SELECT f.market_day_id, md.market_id, md.date::text AS date, f.product_id,
       f.brought::text AS brought, f.sold::text AS sold, f.left_over::text AS left_over,
       f.wasted::text AS wasted, f.donated::text AS donated, f.sold_out_at, f.rating::int AS rating,
       f.notes, f.client_submission_id, f.updated_at
  FROM feedback f
  JOIN market_days md ON md.vendor_id = f.vendor_id AND md.id = f.market_day_id
 WHERE md.date BETWEEN $1::date AND $2::date${byMarkets ? ' AND md.market_id = ANY($3::uuid[])' : ''}${
   byProduct ? ` AND f.product_id = $${byMarkets ? 4 : 3}::uuid` : ''
 }
 ORDER BY md.date, f.product_id, md.market_id`;

/** A `feedback` row as pg returns it (numerics as text). */
export interface FeedbackRow {
  product_id: string;
  brought: string;
  sold: string | null;
  left_over: string;
  wasted: string;
  donated: string;
  sold_out_at: Date | null;
  rating: number | null;
  notes: string | null;
  client_submission_id: string | null;
  updated_at: Date;
}

/** A check-in line of `day` from its row. */
export const toFeedback = (
  day: Pick<CheckInMarketDay, 'id' | 'marketId' | 'date'>,
  f: FeedbackRow,
): FeedbackRecord => ({
  marketDayId: day.id,
  marketId: day.marketId,
  date: day.date,
  productId: f.product_id,
  brought: Number(f.brought),
  sold: f.sold === null ? null : Number(f.sold),
  leftOver: Number(f.left_over),
  wasted: Number(f.wasted),
  donated: Number(f.donated),
  soldOutAt: f.sold_out_at,
  rating: f.rating,
  notes: f.notes,
  clientSubmissionId: f.client_submission_id,
  updatedAt: f.updated_at,
});

interface FeedbackSqlRow extends FeedbackRow {
  market_day_id: string;
  market_id: string;
  date: string;
}

/**
 * Pack-up check-ins (the `feedback` table) and what they are read against: market days, products,
 * prep lists and sales. Takes a tenant-scoped transaction (withTenant).
 */
export class FeedbackRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * The vendor's markets (all, or the given ids) by name, with their schedules; with `current`,
   * only the ones it still goes to (active, not archived).
   */
  async findMarkets(ids?: string[], { current = false } = {}): Promise<FeedbackMarket[]> {
    const where = [
      ...(ids ? ['m.id = ANY($1::uuid[])'] : []),
      ...(current ? ['m.active AND m.archived_at IS NULL'] : []),
    ];
    const rows = await tenantSql(this.tx).query<CheckInMarketRow>(
      `SELECT m.id, m.name, m.timezone, m.country_code, m.region_code, m.booth_fee_minor,
              coalesce((SELECT json_agg(json_build_object(
                                 'weekday', s.weekday,
                                 'opensAt', to_char(s.opens_at, 'HH24:MI'),
                                 'closesAt', to_char(s.closes_at, 'HH24:MI'),
                                 'seasonFrom', to_char(s.season_from, 'MM-DD'),
                                 'seasonTo', to_char(s.season_to, 'MM-DD'),
                                 'weeksOfMonth', s.weeks_of_month,
                   'everyOtherWeekFrom', to_char(s.every_other_week_from, 'YYYY-MM-DD'))
                               ORDER BY s.weekday, s.opens_at, s.id)
                          FROM market_schedules s WHERE s.market_id = m.id), '[]') AS schedule
         FROM markets m${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
        ORDER BY m.name`,
      ids ? [ids] : [],
      `${ids ? 'mp-markets-by-id' : 'mp-markets-all'}${current ? '-current' : ''}`,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      timezone: r.timezone,
      countryCode: r.country_code,
      regionCode: r.region_code,
      boothFeeMinor: r.booth_fee_minor,
      schedule: r.schedule,
    }));
  }

  /** Products by id (any state), or the active ones; ordered by name. */
  async findProducts(ids?: string[]): Promise<CheckInProduct[]> {
    const rows = await tenantSql(this.tx).query<CheckInProductRow>(
      `SELECT id, name, unit, active, price_minor, unit_cost_minor, salvage_value_minor
         FROM products WHERE ${ids ? 'id = ANY($1::uuid[])' : 'active'} ORDER BY name`,
      ids ? [ids] : [],
      ids ? 'mp-products-by-id' : 'mp-products-active',
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      unit: r.unit,
      active: r.active,
      priceMinor: r.price_minor,
      unitCostMinor: r.unit_cost_minor,
      salvageValueMinor: r.salvage_value_minor,
    }));
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

  /** Check-in lines of market days in a date range, by date and product. */
  async findFeedback(options: {
    marketIds?: string[];
    productId?: string;
    from: string;
    to: string;
  }): Promise<FeedbackRecord[]> {
    const { marketIds, productId } = options;
    const rows = await tenantSql(this.tx).query<FeedbackSqlRow>(
      feedbackSql(marketIds !== undefined, productId !== undefined),
      [
        options.from,
        options.to,
        ...(marketIds ? [marketIds] : []),
        ...(productId ? [productId] : []),
      ],
      `mp-feedback${marketIds ? '-m' : ''}${productId ? '-p' : ''}`,
    );
    return rows.map((r) =>
      toFeedback({ id: r.market_day_id, marketId: r.market_id, date: r.date }, r),
    );
  }

  /**
   * Per market day with check-in lines in a date range (optionally of one market): brought, sold,
   * wasted, donated, sell-outs and waste cost summed in PostgreSQL (one row per day).
   */
  async sumWasteByMarketDay(options: {
    marketId?: string;
    from: string;
    to: string;
  }): Promise<MarketDayWaste[]> {
    const perDay = Date.parse(options.to) - Date.parse(options.from) <= 366 * 86_400_000;
    const rows = await tenantSql(this.tx).query<WasteRow>(
      wasteSql(options.marketId !== undefined, perDay),
      [options.from, options.to, ...(options.marketId ? [options.marketId] : [])],
      `mp-waste-by-day${options.marketId ? '-m' : ''}${perDay ? '-d' : ''}`,
    );
    return rows.map((r) => ({
      marketDayId: r.market_day_id,
      marketId: r.market_id,
      marketName: r.market_name,
      date: r.date,
      brought: Number(r.brought),
      sold: Number(r.sold),
      wasted: Number(r.wasted),
      donated: Number(r.donated),
      sellOuts: r.sell_outs,
      wasteCost: Number(r.waste_cost),
    }));
  }

  /**
   * The check-in stats' sums per market and per product at each market: each market's lines of
   * its own date window (`windows`, inclusive), optionally of one product only. Markets without a
   * line have no group.
   */
  async sumCheckInStats(options: {
    windows: readonly { marketId: string; from: string; to: string }[];
    productId?: string;
  }): Promise<CheckInStatsGroup[]> {
    if (options.windows.length === 0) return [];
    const { windows, productId } = options;
    const rows = await tenantSql(this.tx).query<StatsRow>(
      statsSql(productId !== undefined),
      [
        windows.map((w) => w.marketId),
        windows.map((w) => w.from),
        windows.map((w) => w.to),
        ...(productId ? [productId] : []),
      ],
      `mp-check-in-stats${productId ? '-p' : ''}`,
    );
    return rows.map((r) => ({
      marketId: r.market_id,
      productId: r.whole_market ? null : r.product_id,
      productName: r.whole_market ? null : r.product_name,
      sums: {
        lines: r.lines,
        marketDays: r.market_days,
        censored: r.censored,
        compared: r.compared,
        absoluteError: Number(r.absolute_error),
        error: Number(r.error),
        brought: Number(r.brought),
        sold: Number(r.sold),
        wasted: Number(r.wasted),
        donated: Number(r.donated),
        moneyLeftOnTable: Number(r.money_left_on_table),
        wasteCost: Number(r.waste_cost),
      },
    }));
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
