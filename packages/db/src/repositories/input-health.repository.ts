import { tenantSql, type TenantSql, type TenantTransaction } from '../tenant';

/** What the input-health verdict of one market day's prep list is made from (plain data). */
export interface InputHealthRecord {
  square: { active: boolean; lastSyncedAt: Date | null } | null;
  lastImportAt: Date | null;
  latestSalesDate: string | null;
  /** Distinct sale dates of the vendor in the `rhythmWindowDays` up to the newest one. */
  recentSaleDates: string[];
  /** The vendor's markets (archived ones too, until archived), for which dates were market days. */
  markets: {
    schedule: {
      weekday: number;
      seasonFrom: string | null;
      seasonTo: string | null;
      weeksOfMonth: number[];
      everyOtherWeekFrom: string | null;
    }[];
    /** Stored days from the rhythm window on. */
    storedDays: { date: string; status: 'SCHEDULED' | 'CANCELLED' }[];
    archivedOn: string | null;
  }[];
  weather: {
    provider: 'NWS' | 'OPEN_METEO' | 'CLIMATOLOGY' | 'DEMO';
    kind: 'FORECAST' | 'OBSERVED';
    fetchedAt: Date;
  } | null;
  eventsLastLookupAt: Date | null;
  eventsOnDay: number;
}

interface FactsRow {
  square_status: string | null;
  square_synced_at: Date | null;
  last_import_at: Date | null;
  latest_sales_date: string | null;
  sale_dates: string[] | null;
  markets: InputHealthRecord['markets'];
  weather_provider: 'NWS' | 'OPEN_METEO' | 'CLIMATOLOGY' | 'DEMO' | null;
  weather_kind: 'FORECAST' | 'OBSERVED' | null;
  weather_fetched_at: Date | null;
  events_lookup_at: Date | null;
  events_on_day: string;
}

// One round trip; row-level security scopes every table to the transaction's vendor. The weather
// row is the one the planner uses (observed before forecast, then the newest fetch).
const FACTS_SQL = `
WITH latest AS (SELECT max(date) AS d FROM daily_sales)
SELECT
  (SELECT status::text FROM provider_connections
    WHERE provider = 'SQUARE' AND status <> 'REVOKED' LIMIT 1) AS square_status,
  (SELECT last_synced_at FROM provider_connections
    WHERE provider = 'SQUARE' AND status <> 'REVOKED' LIMIT 1) AS square_synced_at,
  (SELECT max(committed_at) FROM sales_imports WHERE status = 'COMMITTED') AS last_import_at,
  (SELECT to_char(d, 'YYYY-MM-DD') FROM latest) AS latest_sales_date,
  (SELECT array_agg(DISTINCT to_char(date, 'YYYY-MM-DD')) FROM daily_sales, latest
    WHERE date > latest.d - $3::int) AS sale_dates,
  (SELECT coalesce(json_agg(json_build_object(
     'archivedOn', to_char(m.archived_at, 'YYYY-MM-DD'),
     'schedule', (SELECT coalesce(json_agg(json_build_object('weekday', s.weekday,
         'seasonFrom', to_char(s.season_from, 'MM-DD'), 'seasonTo', to_char(s.season_to, 'MM-DD'),
         'weeksOfMonth', s.weeks_of_month,
         'everyOtherWeekFrom', to_char(s.every_other_week_from, 'YYYY-MM-DD'))), '[]')
       FROM market_schedules s WHERE s.market_id = m.id),
     'storedDays', (SELECT coalesce(json_agg(json_build_object('date', to_char(d.date, 'YYYY-MM-DD'),
         'status', d.status::text)), '[]')
       FROM market_days d, latest WHERE d.market_id = m.id AND d.date > latest.d - $3::int - 1))), '[]')
    FROM markets m, latest
   WHERE m.archived_at IS NULL OR m.archived_at::date > latest.d - $3::int) AS markets,
  w.provider::text AS weather_provider, w.kind::text AS weather_kind,
  w.fetched_at AS weather_fetched_at,
  (SELECT events_looked_up_at FROM markets WHERE id = $1::uuid) AS events_lookup_at,
  (SELECT count(*) FROM events
    WHERE date = $2::date AND (market_id = $1::uuid OR market_id IS NULL)) AS events_on_day
FROM (SELECT 1) one
LEFT JOIN LATERAL (
  SELECT provider, kind, fetched_at FROM weather
   WHERE market_id = $1::uuid AND date = $2::date
   ORDER BY (kind = 'OBSERVED') DESC, fetched_at DESC LIMIT 1) w ON true`;

/** The facts behind a prep list's input health (see @marketprep/planning assessInputHealth). */
export class InputHealthRepository {
  private readonly sql: TenantSql;

  constructor(tx: TenantTransaction) {
    this.sql = tenantSql(tx);
  }

  /** Facts of `marketId`'s market day `date` (market-local `YYYY-MM-DD`). */
  async findFacts(options: {
    marketId: string;
    date: string;
    rhythmWindowDays: number;
  }): Promise<InputHealthRecord> {
    const rows = await this.sql.query<FactsRow>(
      FACTS_SQL,
      [options.marketId, options.date, options.rhythmWindowDays],
      'mp-input-health-facts',
    );
    const row = rows[0];
    if (!row) throw new Error('input health facts: no row');
    return {
      square: row.square_status
        ? { active: row.square_status === 'ACTIVE', lastSyncedAt: row.square_synced_at }
        : null,
      lastImportAt: row.last_import_at,
      latestSalesDate: row.latest_sales_date,
      recentSaleDates: (row.sale_dates ?? []).sort(),
      markets: row.markets,
      weather:
        row.weather_provider && row.weather_kind && row.weather_fetched_at
          ? {
              provider: row.weather_provider,
              kind: row.weather_kind,
              fetchedAt: row.weather_fetched_at,
            }
          : null,
      eventsLastLookupAt: row.events_lookup_at,
      eventsOnDay: Number(row.events_on_day),
    };
  }
}
