import type pg from 'pg';
import {
  InvalidTenantError,
  UUID,
  tenantSql,
  type TenantSql,
  type TenantTransaction,
} from '../tenant';
import { toFreshness, type DemandFreshness, type FreshnessRow } from './demand-inputs.repository';
import type { ModelVersionRecord } from './model-versions.repository';
import type { PrepListMarket, PrepListMarketDay, StoredPrepList } from './prep-lists.repository';

/**
 * Everything the prep-list read needs to decide whether the stored list is still current, read
 * in one statement: the market (without its weekly schedule), the market day, the freshness of
 * every input, the latest ACTIVE model and the CURRENT recommendation with a fingerprint of its
 * overrides.
 */
export interface PrepListState {
  /** `schedule` is empty here: the fast path never creates market days. */
  market: PrepListMarket | null;
  marketDay: PrepListMarketDay | null;
  freshness: DemandFreshness;
  model: ModelVersionRecord | null;
  current: { id: string; inputsHash: string; overrides: string } | null;
}

interface StateRow extends FreshnessRow {
  market_id: string;
  market_name: string;
  timezone: string;
  country_code: string;
  region_code: string | null;
  market_updated_at: Date;
  vendor_name: string;
  currency: string;
  day_id: string | null;
  day_status: 'SCHEDULED' | 'CANCELLED' | null;
  day_updated_at: Date | null;
  model_id: string | null;
  engine_version: string | null;
  model_status: ModelVersionRecord['status'] | null;
  trained_at: Date | null;
  trained_through: string | null;
  observation_count: number | null;
  duration_ms: number | null;
  rec_id: string | null;
  inputs_hash: string | null;
  overrides: string | null;
}

// The state query lives in the database (migration 20261122008600): the function scopes the
// tenant itself, so a read outside a transaction is one round trip (see findPrepListState).
const STATE_SQL = 'SELECT * FROM tenant_prep_list_state($1, $2, $3::date)';
const STATE_STATEMENT = 'mp-prep-list-state-fn';

interface LineRow {
  product_id: string;
  product_name: string;
  unit: string;
  price_minor: number;
  unit_cost_minor: number;
  q10: string;
  q50: string;
  q90: string;
  critical_ratio: string;
  quantity: number;
  override_quantity: number | null;
  expected_sold: string;
  expected_revenue_minor: string;
  model_rung: string;
  data_sufficiency: string;
  explanation: unknown;
  demand_quantiles: number[];
}

interface HeaderRow {
  id: string;
  market_id: string;
  market_day_id: string;
  trigger: string;
  inputs_hash: string;
  generated_at: Date;
  sales_as_of: Date | null;
  weather_as_of: Date | null;
  events_as_of: Date | null;
  model_id: string | null;
  engine_version: string | null;
  trained_at: Date | null;
  trained_through: string | null;
}

const HEADER_SQL = `
SELECT r.id, r.market_id, r.market_day_id, r.trigger, r.inputs_hash, r.generated_at,
       r.sales_as_of, r.weather_as_of, r.events_as_of,
       mv.id AS model_id, mv.engine_version, mv.trained_at,
       to_char(mv.trained_through, 'YYYY-MM-DD') AS trained_through
  FROM recommendations r LEFT JOIN model_versions mv ON mv.id = r.model_version_id
 WHERE r.id = $1`;

const LINES_SQL = `
SELECT l.product_id, p.name AS product_name, p.unit, p.price_minor, p.unit_cost_minor, l.q10::text, l.q50::text,
       l.q90::text, l.critical_ratio::text, l.quantity, l.override_quantity, l.expected_sold::text,
       l.expected_revenue_minor::text, l.model_rung, l.data_sufficiency, l.explanation,
       l.demand_quantiles
  FROM recommendation_lines l
  JOIN products p ON p.vendor_id = l.vendor_id AND p.id = l.product_id
 WHERE l.recommendation_id = $1
 ORDER BY p.name ASC`;

/**
 * The prep-list read path in typed SQL on the tenant scope's connection (see tenantSql): one
 * statement decides whether the stored list is current, one pair reads it. Row-level security
 * scopes every statement.
 */
export class PrepListReadsRepository {
  private readonly sql: TenantSql;

  constructor(tx: TenantTransaction) {
    this.sql = tenantSql(tx);
  }

  /** The state of `marketId`'s prep list on `date`. */
  async findState(options: StateOptions): Promise<PrepListState> {
    const rows = await this.sql.query<StateRow>(
      STATE_SQL,
      [options.vendorId, options.marketId, options.date],
      STATE_STATEMENT,
    );
    return toState(rows[0], options.date);
  }
  /** A stored prep list with its lines ordered by product name, or null (as PrepListsRepository). */
  async loadPrepList(id: string): Promise<StoredPrepList | null> {
    const header = (await this.sql.query<HeaderRow>(HEADER_SQL, [id], 'mp-prep-list-header'))[0];
    if (!header) return null;
    const lines = await this.sql.query<LineRow>(LINES_SQL, [id], 'mp-prep-list-lines');
    return {
      id: header.id,
      marketId: header.market_id,
      marketDayId: header.market_day_id,
      trigger: header.trigger,
      inputsHash: header.inputs_hash,
      generatedAt: header.generated_at,
      salesAsOf: header.sales_as_of,
      weatherAsOf: header.weather_as_of,
      eventsAsOf: header.events_as_of,
      model:
        header.model_id && header.engine_version && header.trained_at
          ? {
              id: header.model_id,
              engineVersion: header.engine_version,
              trainedAt: header.trained_at,
              trainedThrough: header.trained_through,
            }
          : null,
      lines: lines.map((l) => ({
        productId: l.product_id,
        productName: l.product_name,
        unit: l.unit,
        priceMinor: l.price_minor,
        unitCostMinor: l.unit_cost_minor,
        q10: Number(l.q10),
        q50: Number(l.q50),
        q90: Number(l.q90),
        criticalRatio: Number(l.critical_ratio),
        quantity: l.quantity,
        overrideQuantity: l.override_quantity,
        expectedSold: Number(l.expected_sold),
        expectedRevenueMinor: Number(l.expected_revenue_minor),
        modelRung: l.model_rung,
        dataSufficiency: l.data_sufficiency,
        explanation: l.explanation,
        demandQuantiles: l.demand_quantiles,
      })),
    };
  }
}

/** Where a prep list's state is asked for. */
interface StateOptions {
  vendorId: string;
  marketId: string;
  date: string;
}

/**
 * The state of a prep list (PrepListState) in one round trip, outside any transaction: the
 * database function sets the tenant for that statement's own implicit transaction, so row-level
 * security applies as in withScope. For the read fast path; `findState` answers the same inside
 * a transaction.
 */
export async function findPrepListState(
  pool: pg.Pool,
  options: StateOptions,
): Promise<PrepListState> {
  if (!UUID.test(options.vendorId)) throw new InvalidTenantError('vendor id', options.vendorId);
  const result = await pool.query<StateRow>({
    name: STATE_STATEMENT,
    text: STATE_SQL,
    values: [options.vendorId, options.marketId, options.date],
  });
  return toState(result.rows[0], options.date);
}

function toState(row: StateRow | undefined, date: string): PrepListState {
  const empty: DemandFreshness = {
    salesAsOf: null,
    salesVersion: 0,
    latestSalesDate: null,
    feedbackAsOf: null,
    feedbackVersion: 0,
    productsAsOf: null,
    productCount: 0,
    weatherAsOf: null,
    eventsAsOf: null,
    eventCount: 0,
  };
  if (!row) return { market: null, marketDay: null, freshness: empty, model: null, current: null };
  return {
    market: {
      id: row.market_id,
      name: row.market_name,
      timezone: row.timezone,
      countryCode: row.country_code,
      regionCode: row.region_code,
      updatedAt: row.market_updated_at,
      vendorName: row.vendor_name,
      currency: row.currency,
      schedule: [],
    },
    marketDay:
      row.day_id && row.day_status && row.day_updated_at
        ? {
            id: row.day_id,
            date: date,
            status: row.day_status,
            updatedAt: row.day_updated_at,
          }
        : null,
    freshness: toFreshness(row),
    model:
      row.model_id && row.engine_version && row.model_status && row.trained_at
        ? {
            id: row.model_id,
            engineVersion: row.engine_version,
            status: row.model_status,
            trainedAt: row.trained_at,
            trainedThrough: row.trained_through,
            observationCount: row.observation_count ?? 0,
            durationMs: row.duration_ms,
          }
        : null,
    current:
      row.rec_id && row.inputs_hash !== null
        ? { id: row.rec_id, inputsHash: row.inputs_hash, overrides: row.overrides ?? '' }
        : null,
  };
}
