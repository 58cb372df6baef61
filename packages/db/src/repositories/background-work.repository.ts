import type { PrismaClient } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** A market as the worker's jobs need it: where it is, its zone and its weekly openings. */
export interface WorkerMarket {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  timezone: string;
  countryCode: string;
  regionCode: string | null;
  /** Weekly openings, 0 = Monday, local 'HH:MM'; season bounds 'MM-DD' (inclusive, may wrap). */
  schedule: {
    weekday: number;
    opensAt: string;
    closesAt: string;
    seasonFrom: string | null;
    seasonTo: string | null;
    /** Which of the month's weekdays (1-5, -1 = last); empty = every week. */
    weeksOfMonth: number[];
    /** Every other week from this date ('YYYY-MM-DD'), or null. */
    everyOtherWeekFrom: string | null;
  }[];
}

/** A stored market day. */
export interface WorkerMarketDay {
  marketId: string;
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
  opensAt: Date | null;
}

/** Weather values in the `weather` table's columns. */
export interface WeatherColumns {
  tempMaxC: number | null;
  tempMinC: number | null;
  tempMeanC: number | null;
  precipMm: number | null;
  precipProb: number | null;
  sunshineHours: number | null;
  windKph: number | null;
  cloudCoverPct: number | null;
  humidityPct: number | null;
  summary: string | null;
}

/** Where a stored weather row came from. */
export type WeatherProviderName = 'NWS' | 'OPEN_METEO' | 'CLIMATOLOGY' | 'DEMO';

/** A stored weather row. */
export interface StoredWeather {
  provider: WeatherProviderName;
  kind: 'FORECAST' | 'OBSERVED';
  fetchedAt: Date;
  values: WeatherColumns;
}

/** An event from a provider, to upsert by (vendor, source, external id). */
export interface ProviderEventWrite {
  externalId: string;
  name: string;
  date: string;
  startsAt: Date | null;
  venueName: string | null;
  distanceKm: number | null;
  expectedAttendance: number | null;
  category: string | null;
  url: string | null;
}

/** A provider connection that is not syncing. */
export interface FailingConnection {
  id: string;
  provider: string;
  status: 'REFRESH_FAILED' | 'ERROR';
  lastError: string | null;
  updatedAt: Date;
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const isoDate = (value: Date) => value.toISOString().slice(0, 10);
const hhmm = (value: Date) => value.toISOString().slice(11, 16);
const monthDay = (value: Date | null) => (value ? value.toISOString().slice(5, 10) : null);
const num = (value: { toNumber(): number } | null): number | null =>
  value === null ? null : value.toNumber();

const weatherSelect = {
  provider: true,
  kind: true,
  fetchedAt: true,
  tempMaxC: true,
  tempMinC: true,
  tempMeanC: true,
  precipMm: true,
  precipProb: true,
  sunshineHours: true,
  windKph: true,
  cloudCoverPct: true,
  humidityPct: true,
  summary: true,
} as const;

/**
 * Vendor ids with at least one active market, platform-wide: the worker's schedules fan out per
 * vendor. Reads only `monitoring.active_vendor_ids()` (migration `*_worker_active_vendors`), so
 * the app role never reads another vendor's rows.
 */
export async function listActiveVendorIds(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ vendor_id: string }[]>`
    SELECT vendor_id::text AS vendor_id FROM monitoring.active_vendor_ids()`;
  return rows.map((row) => row.vendor_id);
}

/**
 * What the worker's jobs read and write for one vendor: markets, market days, weather, events and
 * provider connections. Takes a tenant-scoped transaction (see withTenant).
 */
export class BackgroundWorkRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Active, not archived markets with their weekly schedule, or only `marketId` when given. */
  async listMarkets(marketId?: string): Promise<WorkerMarket[]> {
    const rows = await this.tx.market.findMany({
      where: { active: true, archivedAt: null, ...(marketId ? { id: marketId } : {}) },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        name: true,
        latitude: true,
        longitude: true,
        timezone: true,
        countryCode: true,
        regionCode: true,
        schedules: {
          orderBy: { weekday: 'asc' },
          select: {
            weekday: true,
            opensAt: true,
            closesAt: true,
            seasonFrom: true,
            seasonTo: true,
            weeksOfMonth: true,
            everyOtherWeekFrom: true,
          },
        },
      },
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      latitude: row.latitude.toNumber(),
      longitude: row.longitude.toNumber(),
      timezone: row.timezone,
      countryCode: row.countryCode.trim(),
      regionCode: row.regionCode,
      schedule: row.schedules.map((s) => ({
        weekday: s.weekday,
        opensAt: hhmm(s.opensAt),
        closesAt: hhmm(s.closesAt),
        seasonFrom: monthDay(s.seasonFrom),
        seasonTo: monthDay(s.seasonTo),
        weeksOfMonth: s.weeksOfMonth,
        everyOtherWeekFrom: s.everyOtherWeekFrom?.toISOString().slice(0, 10) ?? null,
      })),
    }));
  }

  /** Stored market days between two local dates (inclusive). */
  async listMarketDays(options: { from: string; to: string }): Promise<WorkerMarketDay[]> {
    const rows = await this.tx.marketDay.findMany({
      where: { date: { gte: day(options.from), lte: day(options.to) } },
      orderBy: [{ date: 'asc' }, { marketId: 'asc' }],
      select: { marketId: true, date: true, status: true, opensAt: true },
    });
    return rows.map((row) => ({ ...row, date: isoDate(row.date) }));
  }

  /** Past market-local dates of `marketId` with sales or a market day, but no OBSERVED weather. */
  async datesWithoutObservedWeather(options: {
    marketId: string;
    before: string;
    limit: number;
  }): Promise<string[]> {
    const rows = await this.tx.$queryRaw<{ date: Date }[]>`
      SELECT d.date FROM (
        SELECT date FROM daily_sales WHERE market_id = ${options.marketId}::uuid
        UNION
        SELECT date FROM market_days WHERE market_id = ${options.marketId}::uuid
      ) d
      WHERE d.date < ${day(options.before)}::date
        AND NOT EXISTS (SELECT 1 FROM weather w WHERE w.market_id = ${options.marketId}::uuid
                          AND w.date = d.date AND w.kind = 'OBSERVED')
      ORDER BY d.date DESC
      LIMIT ${options.limit}`;
    return rows.map((row) => isoDate(row.date)).sort();
  }

  /** Weather rows of a market and date (every provider and kind). */
  async weatherOn(marketId: string, date: string): Promise<StoredWeather[]> {
    const rows = await this.tx.weather.findMany({
      where: { marketId, date: day(date) },
      orderBy: { fetchedAt: 'desc' },
      select: weatherSelect,
    });
    return rows.map((row) => ({
      provider: row.provider,
      kind: row.kind,
      fetchedAt: row.fetchedAt,
      values: {
        tempMaxC: num(row.tempMaxC),
        tempMinC: num(row.tempMinC),
        tempMeanC: num(row.tempMeanC),
        precipMm: num(row.precipMm),
        precipProb: num(row.precipProb),
        sunshineHours: num(row.sunshineHours),
        windKph: num(row.windKph),
        cloudCoverPct: num(row.cloudCoverPct),
        humidityPct: num(row.humidityPct),
        summary: row.summary,
      },
    }));
  }

  /**
   * Climatology: the mean of the market's OBSERVED rows in the same ISO week of the year as
   * `date` (any year), or null without any.
   */
  async climatology(marketId: string, date: string): Promise<WeatherColumns | null> {
    const rows = await this.tx.$queryRaw<
      {
        n: bigint;
        temp_max_c: number | null;
        temp_min_c: number | null;
        temp_mean_c: number | null;
        precip_mm: number | null;
        precip_prob: number | null;
        sunshine_hours: number | null;
        wind_kph: number | null;
        cloud_cover_pct: number | null;
        humidity_pct: number | null;
      }[]
    >`
      SELECT count(*) AS n,
             avg(temp_max_c)::float8 AS temp_max_c, avg(temp_min_c)::float8 AS temp_min_c,
             avg(temp_mean_c)::float8 AS temp_mean_c, avg(precip_mm)::float8 AS precip_mm,
             avg(precip_prob)::float8 AS precip_prob, avg(sunshine_hours)::float8 AS sunshine_hours,
             avg(wind_kph)::float8 AS wind_kph, avg(cloud_cover_pct)::float8 AS cloud_cover_pct,
             avg(humidity_pct)::float8 AS humidity_pct
        FROM weather
       WHERE market_id = ${marketId}::uuid AND kind = 'OBSERVED'
         AND extract(week FROM date) = extract(week FROM ${day(date)}::date)`;
    const row = rows[0];
    if (!row || Number(row.n) === 0) return null;
    const r = (value: number | null, digits: number) =>
      value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
    return {
      tempMaxC: r(row.temp_max_c, 2),
      tempMinC: r(row.temp_min_c, 2),
      tempMeanC: r(row.temp_mean_c, 2),
      precipMm: r(row.precip_mm, 2),
      precipProb: r(row.precip_prob, 3),
      sunshineHours: r(row.sunshine_hours, 2),
      windKph: r(row.wind_kph, 2),
      cloudCoverPct: r(row.cloud_cover_pct, 2),
      humidityPct: r(row.humidity_pct, 2),
      summary: `Typical for the week (${Number(row.n)} observed days)`,
    };
  }

  /** Stores one provider's value for a market and date (latest fetch wins). */
  async upsertWeather(data: {
    vendorId: string;
    marketId: string;
    date: string;
    provider: WeatherProviderName;
    kind: 'FORECAST' | 'OBSERVED';
    fetchedAt: Date;
    values: WeatherColumns;
  }): Promise<void> {
    const values = { fetchedAt: data.fetchedAt, ...data.values };
    await this.tx.weather.upsert({
      where: {
        marketId_date_provider_kind: {
          marketId: data.marketId,
          date: day(data.date),
          provider: data.provider,
          kind: data.kind,
        },
      },
      create: {
        vendorId: data.vendorId,
        marketId: data.marketId,
        date: day(data.date),
        provider: data.provider,
        kind: data.kind,
        ...values,
      },
      update: values,
    });
  }

  /**
   * Upserts provider events near a market by (vendor, source, external id) and records the lookup
   * on the market (an answer with no events is a lookup too); returns how many events.
   */
  async upsertProviderEvents(options: {
    vendorId: string;
    marketId: string;
    source: 'TICKETMASTER';
    fetchedAt: Date;
    events: readonly ProviderEventWrite[];
  }): Promise<number> {
    for (const event of options.events) {
      const fields = {
        marketId: options.marketId,
        name: event.name.slice(0, 500),
        date: day(event.date),
        startsAt: event.startsAt,
        venueName: event.venueName,
        distanceKm: event.distanceKm,
        expectedAttendance: event.expectedAttendance,
        category: event.category,
        url: event.url,
        fetchedAt: options.fetchedAt,
      };
      await this.tx.event.upsert({
        where: {
          vendorId_source_externalId: {
            vendorId: options.vendorId,
            source: options.source,
            externalId: event.externalId,
          },
        },
        create: {
          vendorId: options.vendorId,
          source: options.source,
          externalId: event.externalId,
          ...fields,
        },
        update: fields,
      });
    }
    // Raw, so the market's updatedAt (its ETag, and the planner's inputs hash) stays as it was.
    await this.tx.$executeRaw`UPDATE markets SET events_looked_up_at = ${options.fetchedAt}
      WHERE id = ${options.marketId}::uuid`;
    return options.events.length;
  }

  /** Provider connections whose sync or token refresh is failing. */
  async failingConnections(): Promise<FailingConnection[]> {
    const rows = await this.tx.providerConnection.findMany({
      where: { status: { in: ['REFRESH_FAILED', 'ERROR'] } },
      orderBy: { id: 'asc' },
      select: { id: true, provider: true, status: true, lastError: true, updatedAt: true },
    });
    return rows.map((row) => ({
      ...row,
      status: row.status as FailingConnection['status'],
    }));
  }
}
