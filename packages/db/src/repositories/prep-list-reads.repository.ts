import type { TenantSql } from '../tenant-sql';
import type { DemandFreshness } from './demand-inputs.repository';
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

interface StateRow {
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
  sales_as_of: Date | null;
  sales_count: string;
  latest_sales_date: string | null;
  feedback_as_of: Date | null;
  feedback_count: string;
  products_as_of: Date | null;
  product_count: string;
  weather_as_of: Date | null;
  events_as_of: Date | null;
  event_count: string;
}

// The explicit `vendor_id = $1` predicates are redundant with row-level security (which still
// applies) but let the planner use the (vendor_id, updated_at) / (vendor_id, date) indexes
// (index-only scans) instead of scanning the vendor's rows.
const STATE_SQL = `
SELECT m.id AS market_id, m.name AS market_name, m.timezone, m.country_code, m.region_code,
       m.updated_at AS market_updated_at, v.name AS vendor_name, v.currency,
       d.id AS day_id, d.status AS day_status, d.updated_at AS day_updated_at,
       mv.id AS model_id, mv.engine_version, mv.status AS model_status, mv.trained_at,
       to_char(mv.trained_through, 'YYYY-MM-DD') AS trained_through, mv.observation_count,
       mv.duration_ms,
       r.id AS rec_id, r.inputs_hash,
       (SELECT coalesce(string_agg(l.product_id::text || '=' || l.override_quantity::text, ','
                                   ORDER BY l.product_id), '')
          FROM recommendation_lines l
         WHERE l.recommendation_id = r.id AND l.override_quantity IS NOT NULL) AS overrides,
       (SELECT max(updated_at) FROM daily_sales WHERE vendor_id = $1) AS sales_as_of,
       (SELECT count(*) FROM daily_sales WHERE vendor_id = $1) AS sales_count,
       (SELECT to_char(max(date), 'YYYY-MM-DD') FROM daily_sales WHERE vendor_id = $1)
         AS latest_sales_date,
       (SELECT max(updated_at) FROM feedback WHERE vendor_id = $1) AS feedback_as_of,
       (SELECT count(*) FROM feedback WHERE vendor_id = $1) AS feedback_count,
       (SELECT max(updated_at) FROM products WHERE vendor_id = $1) AS products_as_of,
       (SELECT count(*) FROM products WHERE vendor_id = $1) AS product_count,
       (SELECT max(fetched_at) FROM weather WHERE market_id = $2) AS weather_as_of,
       (SELECT max(fetched_at) FROM events
         WHERE vendor_id = $1 AND (market_id = $2 OR market_id IS NULL)) AS events_as_of,
       (SELECT count(*) FROM events
         WHERE vendor_id = $1 AND (market_id = $2 OR market_id IS NULL)) AS event_count
  FROM markets m
  JOIN vendors v ON v.id = m.vendor_id
  LEFT JOIN market_days d ON d.market_id = m.id AND d.date = $3::date
  LEFT JOIN LATERAL (
        SELECT id, engine_version, status, trained_at, trained_through, observation_count,
               duration_ms
          FROM model_versions WHERE status = 'ACTIVE'
         ORDER BY trained_at DESC, id DESC LIMIT 1) mv ON true
  LEFT JOIN LATERAL (
        SELECT id, inputs_hash FROM recommendations
         WHERE market_day_id = d.id AND status = 'CURRENT'
         ORDER BY generated_at DESC LIMIT 1) r ON true
 WHERE m.id = $2 AND m.archived_at IS NULL`;

interface LineRow {
  product_id: string;
  product_name: string;
  unit: string;
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
SELECT l.product_id, p.name AS product_name, p.unit, l.q10::text, l.q50::text, l.q90::text,
       l.critical_ratio::text, l.quantity, l.override_quantity, l.expected_sold::text,
       l.expected_revenue_minor::text, l.model_rung, l.data_sufficiency, l.explanation
  FROM recommendation_lines l
  JOIN products p ON p.vendor_id = l.vendor_id AND p.id = l.product_id
 WHERE l.recommendation_id = $1
 ORDER BY p.name ASC`;

/**
 * The prep-list read path on plain `pg` (see withTenantSql): one statement decides whether the
 * stored list is current, one pair reads it. Row-level security scopes every statement.
 */
export class PrepListReadsRepository {
  constructor(private readonly sql: TenantSql) {}

  /** The state of `marketId`'s prep list on `date`. */
  async findState(options: {
    vendorId: string;
    marketId: string;
    date: string;
  }): Promise<PrepListState> {
    const rows = await this.sql.query<StateRow>(
      STATE_SQL,
      [options.vendorId, options.marketId, options.date],
      'mp-prep-list-state',
    );
    const row = rows[0];
    const empty: DemandFreshness = {
      salesAsOf: null,
      salesCount: 0,
      latestSalesDate: null,
      feedbackAsOf: null,
      feedbackCount: 0,
      productsAsOf: null,
      productCount: 0,
      weatherAsOf: null,
      eventsAsOf: null,
      eventCount: 0,
    };
    if (!row)
      return { market: null, marketDay: null, freshness: empty, model: null, current: null };
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
              date: options.date,
              status: row.day_status,
              updatedAt: row.day_updated_at,
            }
          : null,
      freshness: {
        salesAsOf: row.sales_as_of,
        salesCount: Number(row.sales_count),
        latestSalesDate: row.latest_sales_date,
        feedbackAsOf: row.feedback_as_of,
        feedbackCount: Number(row.feedback_count),
        productsAsOf: row.products_as_of,
        productCount: Number(row.product_count),
        weatherAsOf: row.weather_as_of,
        eventsAsOf: row.events_as_of,
        eventCount: Number(row.event_count),
      },
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
      })),
    };
  }
}
