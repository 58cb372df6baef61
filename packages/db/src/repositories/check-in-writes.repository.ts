import type { TenantSql } from '../tenant-sql';
import type {
  CheckInMarket,
  CheckInMarketDay,
  CheckInProduct,
  DailySalesRecord,
  FeedbackRecord,
  FeedbackWrite,
  PrepListLine,
} from './feedback.repository';

/** Everything the check-in form of one stored market day shows (see FeedbackRepository). */
export interface CheckInDayData {
  stored: FeedbackRecord[];
  /** Active products plus any product already checked in, by name. */
  products: CheckInProduct[];
  prep: PrepListLine[];
  sales: DailySalesRecord[];
}

interface DayRow {
  id: string;
  market_id: string;
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
  opens_at: Date | null;
  closes_at: Date | null;
}

const toDay = (row: DayRow): CheckInMarketDay => ({
  id: row.id,
  marketId: row.market_id,
  date: row.date,
  status: row.status,
  opensAt: row.opens_at,
  closesAt: row.closes_at,
});

const DAY_COLUMNS = `id, market_id, to_char(date, 'YYYY-MM-DD') AS date, status, opens_at, closes_at`;
const num = (value: string | null): number | null => (value === null ? null : Number(value));

interface FeedbackRow {
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

const FEEDBACK_COLUMNS = `product_id, brought::text, sold::text, left_over::text, wasted::text,
  donated::text, sold_out_at, rating, notes, client_submission_id, updated_at`;

const toFeedback = (day: CheckInMarketDay, f: FeedbackRow): FeedbackRecord => ({
  marketDayId: day.id,
  marketId: day.marketId,
  date: day.date,
  productId: f.product_id,
  brought: Number(f.brought),
  sold: num(f.sold),
  leftOver: Number(f.left_over),
  wasted: Number(f.wasted),
  donated: Number(f.donated),
  soldOutAt: f.sold_out_at,
  rating: f.rating,
  notes: f.notes,
  clientSubmissionId: f.client_submission_id,
  updatedAt: f.updated_at,
});

/** A feedback row inside a JSON aggregate: instants arrive as ISO text. */
type FeedbackJson = Omit<FeedbackRow, 'sold_out_at' | 'updated_at'> & {
  sold_out_at: string | null;
  updated_at: string;
};

const fromJson = (f: FeedbackJson): FeedbackRow => ({
  ...f,
  sold_out_at: f.sold_out_at === null ? null : new Date(f.sold_out_at),
  updated_at: new Date(f.updated_at),
});

/**
 * The check-in submission (PUT) on plain `pg` (see withTenantSql): the same statements and rules
 * as FeedbackRepository, in fewer round trips and without the ORM. Row-level security scopes every
 * statement; values are always bind parameters.
 */
export class CheckInWritesRepository {
  constructor(private readonly sql: TenantSql) {}

  /**
   * Everything a submission checks before writing, in one statement: the market (with its weekly
   * schedule), its market day on `date`, the market day the submission was already applied to
   * (that of a stored line with one of its per-line keys, else that of its audit entry since
   * `since`, '' when the entry names none; null when never applied) and which of `productIds`
   * exist in the vendor. Null for a market the vendor does not have. Run it after the
   * submission's lock (withTenantSql's `advisoryLock`), so its snapshot sees an earlier delivery
   * of the same submission that committed while this one waited.
   */
  async findForSubmission(input: {
    marketId: string;
    date: string;
    keys: string[];
    clientSubmissionId: string;
    since: Date;
    productIds: string[];
  }): Promise<{
    market: CheckInMarket;
    day: CheckInMarketDay | null;
    appliedTo: string | null;
    knownProductIds: string[];
  } | null> {
    const rows = await this.sql.query<{
      id: string;
      name: string;
      timezone: string;
      booth_fee_minor: number;
      schedule: { weekday: number; opensAt: string; closesAt: string }[] | null;
      day_id: string | null;
      day_status: DayRow['status'] | null;
      day_opens_at: Date | null;
      day_closes_at: Date | null;
      line_day: string | null;
      audit_day: string | null;
      known: string[] | null;
    }>(
      `SELECT m.id, m.name, m.timezone, m.booth_fee_minor,
              (SELECT json_agg(json_build_object('weekday', s.weekday,
                                                 'opensAt', to_char(s.opens_at, 'HH24:MI'),
                                                 'closesAt', to_char(s.closes_at, 'HH24:MI')))
                 FROM market_schedules s WHERE s.market_id = m.id) AS schedule,
              d.id AS day_id, d.status AS day_status, d.opens_at AS day_opens_at,
              d.closes_at AS day_closes_at,
              (SELECT market_day_id::text FROM feedback
                WHERE client_submission_id = ANY($3::text[]) LIMIT 1) AS line_day,
              (SELECT coalesce(CASE WHEN jsonb_typeof(metadata->'marketDayId') = 'string'
                                    THEN metadata->>'marketDayId' END, '')
                 FROM audit_log
                WHERE target_id = $4 AND target_type = 'check_in'
                  AND action = 'check_in.submitted' AND created_at >= $5
                LIMIT 1) AS audit_day,
              (SELECT array_agg(id::text) FROM products WHERE id = ANY($6::uuid[])) AS known
         FROM markets m
         LEFT JOIN market_days d ON d.market_id = m.id AND d.date = $2::date
        WHERE m.id = $1`,
      [
        input.marketId,
        input.date,
        input.keys,
        input.clientSubmissionId,
        input.since,
        input.productIds,
      ],
      'mp-check-in-find',
    );
    const row = rows[0];
    if (!row) return null;
    return {
      market: {
        id: row.id,
        name: row.name,
        timezone: row.timezone,
        boothFeeMinor: row.booth_fee_minor,
        schedule: row.schedule ?? [],
      },
      day:
        row.day_id && row.day_status
          ? {
              id: row.day_id,
              marketId: row.id,
              date: input.date,
              status: row.day_status,
              opensAt: row.day_opens_at,
              closesAt: row.day_closes_at,
            }
          : null,
      appliedTo: row.line_day ?? row.audit_day ?? null,
      knownProductIds: row.known ?? [],
    };
  }

  /** Serializes the creation of a market day (as FeedbackRepository.lockMarketDate). */
  async lockMarketDate(marketId: string, date: string): Promise<void> {
    await this.sql.query(
      'SELECT pg_advisory_xact_lock(hashtext($1))',
      [`check-in:${marketId}:${date}`],
      'mp-lock',
    );
  }

  /** The market day of a market on a date, if there is a row. */
  async findMarketDay(marketId: string, date: string): Promise<CheckInMarketDay | null> {
    const rows = await this.sql.query<DayRow>(
      `SELECT ${DAY_COLUMNS} FROM market_days WHERE market_id = $1 AND date = $2::date`,
      [marketId, date],
      'mp-check-in-day',
    );
    return rows[0] ? toDay(rows[0]) : null;
  }

  /** Creates the market day row (a concurrent creation of the same day returns that row). */
  async createMarketDay(input: {
    vendorId: string;
    marketId: string;
    date: string;
    opensAt: Date | null;
    closesAt: Date | null;
  }): Promise<CheckInMarketDay> {
    await this.sql.query(
      `INSERT INTO market_days (vendor_id, market_id, date, opens_at, closes_at, updated_at)
       VALUES ($1, $2, $3::date, $4, $5, now()) ON CONFLICT (market_id, date) DO NOTHING`,
      [input.vendorId, input.marketId, input.date, input.opensAt, input.closesAt],
    );
    const day = await this.findMarketDay(input.marketId, input.date);
    if (!day) throw new Error('market day vanished right after creation');
    return day;
  }

  /**
   * The submission's writes and the form before them, in one statement: the audit entry, a
   * retrain request through the outbox (collapsed into a pending one by the outbox's partial
   * unique index), the lines inserted or replaced in product-id order (two submissions of the same
   * day lock rows in the same order: no deadlock), and the day's data as it was before (the
   * statement's snapshot). Row locks last until commit, so callers do this last.
   */
  async writeSubmission(input: {
    day: CheckInMarketDay;
    vendorId: string;
    submittedByUserId: string | null;
    lines: readonly FeedbackWrite[];
    audit: {
      actorType: string;
      action: string;
      targetType: string;
      targetId: string;
      metadata: unknown;
    };
    requestId: string | null;
  }): Promise<{ before: CheckInDayData; written: FeedbackRecord[] }> {
    const { day } = input;
    const sorted = [...input.lines].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    const text = (value: number | null) => (value === null ? null : String(value));
    const rows = await this.sql.query<DayDataRow & { written: FeedbackJson[] }>(
      `WITH audit AS (
         INSERT INTO audit_log (vendor_id, actor_user_id, actor_type, action, target_type,
                                target_id, request_id, metadata)
         VALUES ($1, $3, $17, $18, $19, $20, $21, $22::jsonb)),
       retrain AS (
         INSERT INTO outbox (job_name, payload, dedupe_key, request_id)
         VALUES ('retrain-vendor', $23::jsonb, $24, $21)
         ON CONFLICT (dedupe_key) WHERE status = 'PENDING' AND dedupe_key IS NOT NULL DO NOTHING),
       written AS (
         INSERT INTO feedback (vendor_id, market_day_id, product_id, brought, sold, left_over,
                               wasted, donated, sold_out_at, rating, notes, client_submission_id,
                               submitted_by_user_id, updated_at)
         SELECT $1::uuid, $2::uuid, l.product_id, l.brought, l.sold, l.left_over, l.wasted,
                l.donated, l.sold_out_at, l.rating, l.notes, l.client_submission_id, $3::uuid, now()
           FROM unnest($4::uuid[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],
                       $9::numeric[], $10::timestamptz[], $11::smallint[], $12::text[], $13::text[])
             AS l(product_id, brought, sold, left_over, wasted, donated, sold_out_at, rating,
                  notes, client_submission_id)
         ON CONFLICT (market_day_id, product_id) DO UPDATE SET
           brought = EXCLUDED.brought, sold = EXCLUDED.sold, left_over = EXCLUDED.left_over,
           wasted = EXCLUDED.wasted, donated = EXCLUDED.donated,
           sold_out_at = EXCLUDED.sold_out_at, rating = EXCLUDED.rating, notes = EXCLUDED.notes,
           client_submission_id = EXCLUDED.client_submission_id,
           submitted_by_user_id = EXCLUDED.submitted_by_user_id, updated_at = EXCLUDED.updated_at
         RETURNING ${FEEDBACK_COLUMNS})
       -- The day's data first, the lines (row locks, held until commit) as late as possible.
       SELECT ${dayDataColumns({ day: '$2', also: '$14', market: '$15', date: '$16' })},
              (SELECT coalesce(json_agg(w), '[]') FROM written w) AS written`,
      [
        input.vendorId,
        day.id,
        input.submittedByUserId,
        sorted.map((l) => l.productId),
        sorted.map((l) => String(l.brought)),
        sorted.map((l) => text(l.sold)),
        sorted.map((l) => String(l.leftOver)),
        sorted.map((l) => String(l.wasted)),
        sorted.map((l) => String(l.donated)),
        sorted.map((l) => l.soldOutAt?.toISOString() ?? null),
        sorted.map((l) => text(l.rating)),
        sorted.map((l) => l.notes),
        sorted.map((l) => l.clientSubmissionId),
        sorted.map((l) => l.productId),
        day.marketId,
        day.date,
        input.audit.actorType,
        input.audit.action,
        input.audit.targetType,
        input.audit.targetId,
        input.requestId,
        JSON.stringify(input.audit.metadata),
        JSON.stringify({ vendorId: input.vendorId }),
        `retrain:${input.vendorId}`,
      ],
      'mp-check-in-write',
    );
    const row = rows[0];
    return {
      before: toDayData(day, row),
      written: (row?.written ?? []).map((f) => toFeedback(day, fromJson(f))),
    };
  }

  /** The stored lines, products, prep-list lines and sales of one stored market day. */
  async loadDay(day: CheckInMarketDay, alsoProductIds: string[] = []): Promise<CheckInDayData> {
    const rows = await this.sql.query<DayDataRow>(
      `SELECT ${dayDataColumns({ day: '$1', also: '$2', market: '$3', date: '$4' })}`,
      [day.id, alsoProductIds, day.marketId, day.date],
      'mp-check-in-day-data',
    );
    return toDayData(day, rows[0]);
  }
}

/** A market day's check-in data as JSON arrays (numbers as text, to keep numeric precision). */
interface DayDataRow {
  feedback: FeedbackJson[];
  products: {
    id: string;
    name: string;
    unit: string;
    active: boolean;
    price_minor: number;
    unit_cost_minor: number;
    salvage_value_minor: number;
  }[];
  prep: {
    product_id: string;
    q10: string;
    q50: string;
    q90: string;
    quantity: number;
    expected_revenue_minor: string;
  }[];
  sales: { product_id: string; quantity: string; revenue_minor: string }[];
}

/**
 * The select-list columns of DayDataRow, for the given parameter placeholders: the day's stored
 * lines, its products (active ones, `also` and any already checked in, by name), the lines of its
 * newest prep list and its sales.
 */
function dayDataColumns(p: { day: string; also: string; market: string; date: string }): string {
  return `
    (SELECT coalesce(json_agg(f), '[]') FROM (
       SELECT ${FEEDBACK_COLUMNS} FROM feedback WHERE market_day_id = ${p.day}) f) AS feedback,
    (SELECT coalesce(json_agg(p ORDER BY p.name ASC), '[]') FROM (
       SELECT id, name, unit, active, price_minor, unit_cost_minor, salvage_value_minor
         FROM products
        WHERE active OR id = ANY(${p.also}::uuid[])
           OR id IN (SELECT product_id FROM feedback WHERE market_day_id = ${p.day})) p)
      AS products,
    (SELECT coalesce(json_agg(l), '[]') FROM (
       SELECT l.product_id, l.q10::text, l.q50::text, l.q90::text,
              coalesce(l.override_quantity, l.quantity) AS quantity,
              l.expected_revenue_minor::text
         FROM recommendation_lines l
        WHERE l.recommendation_id = (
              SELECT id FROM recommendations WHERE market_day_id = ${p.day}
               ORDER BY (status = 'CURRENT') DESC, generated_at DESC, id ASC LIMIT 1)) l)
      AS prep,
    (SELECT coalesce(json_agg(s), '[]') FROM (
       SELECT product_id, quantity::text, revenue_minor::text FROM daily_sales
        WHERE market_id = ${p.market} AND date = ${p.date}::date) s) AS sales`;
}

function toDayData(day: CheckInMarketDay, row: DayDataRow | undefined): CheckInDayData {
  return {
    stored: (row?.feedback ?? []).map((f) => toFeedback(day, fromJson(f))),
    products: (row?.products ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      unit: p.unit,
      active: p.active,
      priceMinor: p.price_minor,
      unitCostMinor: p.unit_cost_minor,
      salvageValueMinor: p.salvage_value_minor,
    })),
    prep: (row?.prep ?? []).map((l) => ({
      marketDayId: day.id,
      productId: l.product_id,
      q10: Number(l.q10),
      q50: Number(l.q50),
      q90: Number(l.q90),
      quantity: l.quantity,
      expectedRevenueMinor: Number(l.expected_revenue_minor),
    })),
    sales: (row?.sales ?? []).map((s) => ({
      marketId: day.marketId,
      productId: s.product_id,
      date: day.date,
      quantity: Number(s.quantity),
      revenueMinor: Number(s.revenue_minor),
    })),
  };
}
