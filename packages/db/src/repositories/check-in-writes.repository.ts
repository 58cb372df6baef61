import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client';
import { InvalidTenantError, UUID, tenantSql, withTenant } from '../tenant';
import type {
  CheckInMarket,
  CheckInScheduleEntry,
  CheckInMarketDay,
  CheckInProduct,
  CheckInProductRow,
  DailySalesRecord,
  FeedbackRecord,
  FeedbackRow,
  FeedbackWrite,
  PrepListLine,
} from './feedback.repository';
import { toFeedback } from './feedback.repository';

/** Everything the check-in form of one stored market day shows (see FeedbackRepository). */
export interface CheckInDayData {
  stored: FeedbackRecord[];
  /** Active products plus any product already checked in, by name. */
  products: CheckInProduct[];
  prep: PrepListLine[];
  sales: DailySalesRecord[];
}

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

const instant = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** What a submission is checked against before it is written (see findCheckInContext). */
export interface CheckInContext {
  market: CheckInMarket;
  day: CheckInMarketDay | null;
}

interface ContextRow {
  id: string;
  name: string;
  timezone: string;
  booth_fee_minor: number;
  /** Season bounds as `MM-DD` or null (migration 20261205000300). */
  schedule: CheckInScheduleEntry[] | null;
  day_id: string | null;
  day_status: CheckInMarketDay['status'] | null;
  day_opens_at: Date | null;
  day_closes_at: Date | null;
}

/**
 * The market (with its weekly schedule) and its market day on `date`, in one round trip outside
 * any transaction: the database function (migration 20261122009100) sets the tenant for its own
 * implicit transaction, so row-level security applies. Null for a market the vendor does not have.
 */
export async function findCheckInContext(
  pool: pg.Pool | pg.PoolClient,
  input: CheckInContextQuery,
): Promise<CheckInContext | null> {
  if (!UUID.test(input.vendorId)) throw new InvalidTenantError('vendor id', input.vendorId);
  const { rows } = await pool.query<ContextRow>({
    name: 'mp-check-in-context',
    text: 'SELECT * FROM tenant_check_in_context($1, $2, $3::date)',
    values: [input.vendorId, input.marketId, input.date],
  });
  const row = rows[0];
  return row ? toContext(row, input.date) : null;
}

/** Which market day a check-in context is asked for (see findCheckInContext). */
export interface CheckInContextQuery {
  vendorId: string;
  marketId: string;
  date: string;
}

/**
 * findCheckInContext for several requests (of any vendors) in one round trip: each row calls
 * tenant_check_in_context, which sets its own vendor first, so row-level security scopes every
 * lookup to its own tenant. Answers in the order asked; throws when the statement fails.
 */
export async function findCheckInContexts(
  pool: pg.Pool | pg.PoolClient,
  inputs: readonly CheckInContextQuery[],
): Promise<(CheckInContext | null)[]> {
  const invalid = inputs.find((i) => !UUID.test(i.vendorId));
  if (invalid) throw new InvalidTenantError('vendor id', invalid.vendorId);
  const { rows } = await pool.query<ContextRow & { n: number }>({
    name: 'mp-check-in-contexts',
    text: `SELECT b.n::int AS n, c.*
             FROM json_array_elements($1::json) WITH ORDINALITY AS b(s, n)
            CROSS JOIN LATERAL tenant_check_in_context((b.s->>0)::uuid, (b.s->>1)::uuid,
                                                       (b.s->>2)::date) c`,
    values: [JSON.stringify(inputs.map((i) => [i.vendorId, i.marketId, i.date]))],
  });
  const byIndex = new Map(rows.map((row) => [row.n - 1, row]));
  return inputs.map((input, index) => {
    const row = byIndex.get(index);
    return row ? toContext(row, input.date) : null;
  });
}

function toContext(row: ContextRow, date: string): CheckInContext {
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
            date,
            status: row.day_status,
            opensAt: row.day_opens_at,
            closesAt: row.day_closes_at,
          }
        : null,
  };
}

/**
 * What tenant_submit_check_in did; nothing is written unless `written`. Without
 * `representation` the form is not read: `data` and `before` are null and `written` holds only
 * each line's product id and update time.
 */
export type CheckInSubmission =
  | { outcome: 'other_day' }
  | { outcome: 'unknown_products'; unknown: string[] }
  | { outcome: 'cancelled' }
  | {
      outcome: 'conflict';
      /** The lines that moved on since the client read them (updatedAt null: none saved now). */
      conflicts: { productId: string; name: string | null; updatedAt: Date | null }[];
    }
  | { outcome: 'replayed'; day: CheckInMarketDay; data: CheckInDayData | null }
  | {
      outcome: 'written';
      day: CheckInMarketDay;
      /** The day's data as it was before the write. */
      before: CheckInDayData | null;
      /** The lines written (null without representation). */
      written: FeedbackRecord[] | null;
      /** Product id and update time of each line written. */
      receipt: { productId: string; updatedAt: Date }[];
    };

type SubmissionJson =
  | { outcome: 'other_day' | 'cancelled' }
  | { outcome: 'unknown_products'; unknown: string[] }
  | {
      outcome: 'conflict';
      conflicts: { product_id: string; name: string | null; updated_at: string | null }[];
    }
  | {
      outcome: 'replayed' | 'written';
      day: { id: string; opens_at: string | null; closes_at: string | null };
      data: DayDataRow | null;
      written?: FeedbackJson[] | { product_id: string; updated_at: string }[];
    };

/**
 * Writes a check-in submission in one round trip outside any transaction (migration
 * 20261122009100): under the submission's advisory lock (`lockKey`, see advisoryLockKey), the
 * replay check, the unknown-product check, the market day created when `day` is null (with
 * `opensAt` / `closesAt`), the audit entry, the retrain request (collapsed into a pending one by
 * the outbox's partial unique index) and the lines, all committed together or not at all.
 * Row-level security scopes every statement; values are always bind parameters.
 */
export async function submitCheckIn(
  pool: pg.Pool | pg.PoolClient,
  input: CheckInSubmissionInput,
): Promise<CheckInSubmission> {
  if (!UUID.test(input.vendorId)) throw new InvalidTenantError('vendor id', input.vendorId);
  const columns = lineColumns(input.lines);
  const { rows } = await pool.query<{ result: SubmissionJson }>({
    name: 'mp-check-in-submit',
    text: `SELECT tenant_submit_check_in($1, $2, $3::bigint, $4, $5::date, $6, $7, $8, $9, $10,
             $11::text[], $12::uuid[], $13::numeric[], $14::numeric[], $15::numeric[],
             $16::numeric[], $17::numeric[], $18::timestamptz[], $19::smallint[], $20::text[],
             $21, $22, $23, $24::jsonb, $25, $26, $27::text[]) AS result`,
    values: [
      input.vendorId,
      input.submittedByUserId,
      input.lockKey,
      input.market.id,
      input.date,
      input.day?.id ?? null,
      input.opensAt,
      input.closesAt,
      input.clientSubmissionId,
      input.since,
      columns.keys,
      columns.productIds,
      columns.brought,
      columns.sold,
      columns.leftOver,
      columns.wasted,
      columns.donated,
      columns.soldOutAt,
      columns.rating,
      columns.notes,
      input.actorType,
      input.requestId,
      input.retrain.jobName,
      JSON.stringify(input.retrain.payload),
      input.retrain.dedupeKey,
      input.representation,
      columns.expected,
    ],
  });
  const result = rows[0]?.result;
  if (!result) throw new Error('tenant_submit_check_in answered no row');
  return toSubmission(input, result);
}

/**
 * submitCheckIn for several submissions (of any vendors) in ONE statement, so one commit and one
 * WAL flush (migration 20261204000100): the API gathers the submissions that arrive while its
 * previous batch runs. Each element is applied exactly as submitCheckIn applies it, scoped to its
 * own vendor, and answers in the order given. Elements go in market and date order, so batches of
 * several API processes take the market days' row locks in one order.
 *
 * All or nothing: when any element fails, or the batch waits more than 250 ms for a lock held
 * elsewhere (PostgreSQL error 55P03), nothing of it is committed and this throws; the caller then
 * applies each submission alone with submitCheckIn (see GroupCommit's runAlone in the API).
 */
export async function submitCheckIns(
  pool: pg.Pool | pg.PoolClient,
  inputs: readonly CheckInSubmissionInput[],
): Promise<CheckInSubmission[]> {
  const invalid = inputs.find((i) => !UUID.test(i.vendorId));
  if (invalid) throw new InvalidTenantError('vendor id', invalid.vendorId);
  const order = inputs
    .map((input, index) => ({ input, index }))
    .sort(
      (a, b) =>
        a.input.market.id.localeCompare(b.input.market.id) ||
        a.input.date.localeCompare(b.input.date),
    );
  const batch = order.map(({ input }) => ({
    vendorId: input.vendorId,
    userId: input.submittedByUserId,
    lockKey: input.lockKey,
    marketId: input.market.id,
    date: input.date,
    dayId: input.day?.id ?? null,
    opensAt: input.opensAt?.toISOString() ?? null,
    closesAt: input.closesAt?.toISOString() ?? null,
    submission: input.clientSubmissionId,
    since: input.since.toISOString(),
    ...lineColumns(input.lines),
    actorType: input.actorType,
    requestId: input.requestId,
    retrainJob: input.retrain.jobName,
    retrainPayload: input.retrain.payload,
    retrainKey: input.retrain.dedupeKey,
    representation: input.representation,
  }));
  const { rows } = await pool.query<{ results: SubmissionJson[] | null }>({
    name: 'mp-check-in-submit-batch',
    text: 'SELECT tenant_submit_check_ins($1::json) AS results',
    values: [JSON.stringify(batch)],
  });
  const results = rows[0]?.results ?? [];
  if (results.length !== inputs.length) {
    throw new Error(`tenant_submit_check_ins answered ${results.length} of ${inputs.length}`);
  }
  const answers = new Array<CheckInSubmission>(inputs.length);
  order.forEach(({ input, index }, position) => {
    answers[index] = toSubmission(input, results[position]!);
  });
  return answers;
}

/**
 * A submission's lines as the per-column arrays tenant_submit_check_in takes (numbers as text, to
 * keep their decimals exact), for the single call's bind parameters and the batch's JSON alike.
 */
function lineColumns(lines: readonly FeedbackWrite[]) {
  const text = (value: number | null) => (value === null ? null : String(value));
  return {
    keys: lines.map((l) => l.clientSubmissionId),
    productIds: lines.map((l) => l.productId),
    brought: lines.map((l) => String(l.brought)),
    sold: lines.map((l) => text(l.sold)),
    leftOver: lines.map((l) => String(l.leftOver)),
    wasted: lines.map((l) => String(l.wasted)),
    donated: lines.map((l) => String(l.donated)),
    soldOutAt: lines.map((l) => l.soldOutAt?.toISOString() ?? null),
    rating: lines.map((l) => text(l.rating)),
    notes: lines.map((l) => l.notes),
    // '' = expected no saved line, an instant = that version, null = not checked.
    expected: lines.map((l) =>
      l.expectedUpdatedAt === undefined ? null : (l.expectedUpdatedAt?.toISOString() ?? ''),
    ),
  };
}

/** A submission as submitCheckIn / submitCheckIns take it. */
export interface CheckInSubmissionInput {
  vendorId: string;
  submittedByUserId: string | null;
  lockKey: string;
  market: CheckInMarket;
  date: string;
  day: CheckInMarketDay | null;
  opensAt: Date | null;
  closesAt: Date | null;
  clientSubmissionId: string;
  /** Per-line submission keys are remembered since then (replays of older ones write again). */
  since: Date;
  lines: readonly FeedbackWrite[];
  actorType: string;
  requestId: string | null;
  retrain: { jobName: string; payload: unknown; dedupeKey: string };
  /** Read and answer the form (before the write, or as stored for a replay). */
  representation: boolean;
}

function toSubmission(input: CheckInSubmissionInput, result: SubmissionJson): CheckInSubmission {
  if (result.outcome === 'conflict') {
    return {
      outcome: 'conflict',
      conflicts: result.conflicts.map((c) => ({
        productId: c.product_id,
        name: c.name,
        updatedAt: c.updated_at === null ? null : new Date(c.updated_at),
      })),
    };
  }
  if (!('day' in result)) return result;
  const day: CheckInMarketDay = {
    id: result.day.id,
    marketId: input.market.id,
    date: input.date,
    status: 'SCHEDULED',
    opensAt: instant(result.day.opens_at),
    closesAt: instant(result.day.closes_at),
  };
  const data = result.data === null ? null : toDayData(day, result.data);
  if (result.outcome === 'replayed') return { outcome: 'replayed', day, data };
  const written = result.written ?? [];
  return {
    outcome: 'written',
    day,
    before: data,
    written: input.representation
      ? (written as FeedbackJson[]).map((f) => toFeedback(day, fromJson(f)))
      : null,
    receipt: written.map((w) => ({ productId: w.product_id, updatedAt: new Date(w.updated_at) })),
  };
}

/**
 * What the check-in form of a market day shows (the same check_in_day_data the whole-form PUT
 * answers from): its stored lines, the active products and any already checked in, its newest
 * prep list and its sales. `dayId` null is a scheduled day without a row yet: no lines, no prep
 * list, the sales of the date. One read-only tenant transaction; row-level security applies.
 */
export function readCheckInDayData(
  prisma: PrismaClient,
  input: { vendorId: string; marketId: string; date: string; dayId: string | null },
): Promise<CheckInDayData> {
  return withTenant(
    prisma,
    input.vendorId,
    async (tx) => {
      const [row] = await tenantSql(tx).query<{ data: DayDataRow }>(
        "SELECT check_in_day_data($1, $2, $3::date, '{}'::uuid[]) AS data",
        [input.dayId, input.marketId, input.date],
        'mp-check-in-day-data',
      );
      if (!row) throw new Error('check_in_day_data answered no row');
      return toDayData(
        {
          id: input.dayId ?? '',
          marketId: input.marketId,
          date: input.date,
          status: 'SCHEDULED',
          opensAt: null,
          closesAt: null,
        },
        row.data,
      );
    },
    { readOnly: true },
  );
}

/** A market day's check-in data as check_in_day_data answers it (numbers as text, for precision). */
interface DayDataRow {
  feedback: FeedbackJson[];
  products: CheckInProductRow[];
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

function toDayData(day: CheckInMarketDay, row: DayDataRow): CheckInDayData {
  return {
    stored: (row.feedback ?? []).map((f) => toFeedback(day, fromJson(f))),
    products: (row.products ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      unit: p.unit,
      active: p.active,
      priceMinor: p.price_minor,
      unitCostMinor: p.unit_cost_minor,
      salvageValueMinor: p.salvage_value_minor,
    })),
    prep: (row.prep ?? []).map((l) => ({
      marketDayId: day.id,
      productId: l.product_id,
      q10: Number(l.q10),
      q50: Number(l.q50),
      q90: Number(l.q90),
      quantity: l.quantity,
      expectedRevenueMinor: Number(l.expected_revenue_minor),
    })),
    sales: (row.sales ?? []).map((s) => ({
      marketId: day.marketId,
      productId: s.product_id,
      date: day.date,
      quantity: Number(s.quantity),
      revenueMinor: Number(s.revenue_minor),
    })),
  };
}
