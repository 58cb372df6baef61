import { Prisma } from '../generated/prisma/client';
import { tenantSql, type TenantTransaction } from '../tenant';

/** One weekly opening: weekday 0 = Monday, local 'HH:MM' times, optional 'MM-DD' season. */
export interface MarketScheduleRecord {
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

/** The owner's size of a market: about `scale` times the market `referenceMarketId`. */
export interface MarketSizeRecord {
  referenceMarketId: string;
  scale: number;
}

/** A market as the apps see it (plain data; Prisma types stay in packages/db). */
export interface MarketSummary {
  id: string;
  name: string;
  address: string | null;
  latitude: number;
  longitude: number;
  timezone: string;
  countryCode: string;
  regionCode: string | null;
  boothFeeMinor: number;
  active: boolean;
  /** The owner's size ("about half of Riverside"), or null. */
  expectedSize: MarketSizeRecord | null;
  /** Weekly schedule, 0 = Monday, local times 'HH:MM'. */
  schedule: MarketScheduleRecord[];
  /** The next few scheduled (not cancelled) market days on or after `from`, 'YYYY-MM-DD'. */
  upcomingDates: string[];
  /** Stored market days (any status) in the `recent` window asked for, by date; else empty. */
  recentDays: { date: string; status: 'SCHEDULED' | 'CANCELLED' }[];
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The writable fields of a market. */
export interface MarketFields {
  name: string;
  address: string | null;
  latitude: number;
  longitude: number;
  timezone: string;
  countryCode: string;
  regionCode: string | null;
  boothFeeMinor: number;
  /** The owner's size; the reference must be another active market of the vendor. */
  expectedSize: MarketSizeRecord | null;
}

/** Keyset position in a list ordered by name then id. */
export interface NameCursor {
  name: string;
  id: string;
}

/** Thrown when a write would break a unique constraint (e.g. a second market of the same name). */
export class UniqueViolationError extends Error {
  constructor(readonly target: string) {
    super(`Unique constraint violated: ${target}`);
    this.name = 'UniqueViolationError';
  }
}

/** Runs a write, turning PostgreSQL's unique violation into {@link UniqueViolationError}. */
export async function rethrowUniqueViolation<T>(
  target: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new UniqueViolationError(target);
    }
    throw error;
  }
}

const time = (hhmm: string) => new Date(`1970-01-01T${hhmm}:00Z`);

/** The two columns of an owner's size (both set or both null, as the table's check wants). */
const sizeColumns = (size: MarketSizeRecord | null) => ({
  sizeReferenceMarketId: size?.referenceMarketId ?? null,
  sizeScale: size === null ? null : new Prisma.Decimal(size.scale.toFixed(2)),
});
const monthDay = (mmdd: string) => new Date(`2000-${mmdd}T00:00:00Z`);

/** A window of dates, 'YYYY-MM-DD' inclusive. */
export interface DateWindow {
  from: string;
  to: string;
}

/** A market row as {@link summarySql} returns it (pg's parsing; JSON columns already parsed). */
interface SummaryRow {
  id: string;
  name: string;
  address: string | null;
  latitude: string;
  longitude: string;
  timezone: string;
  country_code: string;
  region_code: string | null;
  booth_fee_minor: number;
  active: boolean;
  size_reference_market_id: string | null;
  size_scale: string | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  schedule: MarketScheduleRecord[];
  upcoming_dates: string[];
  recent_days: MarketSummary['recentDays'];
}

/**
 * Markets with their schedule, next scheduled days and recent days in one statement (one round
 * trip, where Prisma's nested select sent four). Dates and times leave PostgreSQL as text, so no
 * zone of this process can shift them. $1 first upcoming date, $2 how many, $3/$4 the recent
 * window (NULL: none); `where` and `tail` use $5 on.
 */
const summarySql = (where: string, tail = '') => `
  SELECT m.id, m.name, m.address, m.latitude::text AS latitude, m.longitude::text AS longitude,
         m.timezone, m.country_code, m.region_code, m.booth_fee_minor, m.active,
         m.size_reference_market_id, m.size_scale::text AS size_scale,
         m.archived_at, m.created_at, m.updated_at,
         (SELECT coalesce(json_agg(json_build_object(
                   'weekday', s.weekday,
                   'opensAt', to_char(s.opens_at, 'HH24:MI'),
                   'closesAt', to_char(s.closes_at, 'HH24:MI'),
                   'seasonFrom', to_char(s.season_from, 'MM-DD'),
                   'seasonTo', to_char(s.season_to, 'MM-DD'),
                   'weeksOfMonth', s.weeks_of_month,
                   'everyOtherWeekFrom', to_char(s.every_other_week_from, 'YYYY-MM-DD'))
                 ORDER BY s.weekday, s.opens_at, s.season_from), '[]'::json)
            FROM market_schedules s WHERE s.market_id = m.id) AS schedule,
         (SELECT coalesce(json_agg(to_char(u.date, 'YYYY-MM-DD') ORDER BY u.date), '[]'::json)
            FROM (SELECT d.date FROM market_days d
                   WHERE d.market_id = m.id AND d.date >= $1::date AND d.status = 'SCHEDULED'
                   ORDER BY d.date LIMIT $2) u) AS upcoming_dates,
         (SELECT coalesce(json_agg(json_build_object(
                   'date', to_char(d.date, 'YYYY-MM-DD'), 'status', d.status) ORDER BY d.date),
                 '[]'::json)
            FROM market_days d
           WHERE $3::date IS NOT NULL AND d.market_id = m.id
             AND d.date BETWEEN $3::date AND $4::date) AS recent_days
    FROM markets m
   WHERE ${where}
   ORDER BY m.name, m.id ${tail}`;

function toSummary(row: SummaryRow): MarketSummary {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    timezone: row.timezone,
    countryCode: row.country_code,
    regionCode: row.region_code,
    boothFeeMinor: row.booth_fee_minor,
    active: row.active,
    expectedSize:
      row.size_reference_market_id !== null && row.size_scale !== null
        ? { referenceMarketId: row.size_reference_market_id, scale: Number(row.size_scale) }
        : null,
    schedule: row.schedule,
    upcomingDates: row.upcoming_dates,
    recentDays: row.recent_days,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Markets of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class MarketsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * Lists the vendor's active markets by name (then id), with their schedule and upcoming market
   * days (and, with `recent`, their stored days in that window). `after` continues after that
   * position; `take` caps the rows (all when omitted).
   */
  async listMarkets(options: {
    from: string;
    upcomingDays?: number;
    recent?: DateWindow;
    includeArchived?: boolean;
    after?: NameCursor;
    take?: number;
  }): Promise<MarketSummary[]> {
    const values: unknown[] = this.summaryValues(options);
    const where = [options.includeArchived ? 'TRUE' : 'm.active AND m.archived_at IS NULL'];
    if (options.after) {
      values.push(options.after.name, options.after.id);
      where.push(`(m.name > $5 OR (m.name = $5 AND m.id > $6::uuid))`);
    }
    values.push(options.take ?? null);
    const sql = summarySql(where.join(' AND '), `LIMIT $${values.length}`);
    const rows = await tenantSql(this.tx).query<SummaryRow>(sql, values);
    return rows.map(toSummary);
  }

  /** One market of the vendor (archived ones too), or null; `recent` as in listMarkets. */
  async findMarket(
    id: string,
    options: { from: string; upcomingDays?: number; recent?: DateWindow },
  ): Promise<MarketSummary | null> {
    const rows = await tenantSql(this.tx).query<SummaryRow>(summarySql('m.id = $5::uuid'), [
      ...this.summaryValues(options),
      id,
    ]);
    return rows[0] ? toSummary(rows[0]) : null;
  }

  /** $1-$4 of {@link summarySql}. */
  private summaryValues(options: {
    from: string;
    upcomingDays?: number;
    recent?: DateWindow;
  }): unknown[] {
    return [
      options.from,
      options.upcomingDays ?? 1,
      options.recent?.from ?? null,
      options.recent?.to ?? null,
    ];
  }

  /** Whether another market of the vendor already has this name. */
  async isNameTaken(name: string, exceptId?: string): Promise<boolean> {
    const row = await this.tx.market.findFirst({
      where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    return row !== null;
  }

  /** Creates a market; returns its id. Throws {@link UniqueViolationError} on a taken name. */
  async createMarket(vendorId: string, fields: MarketFields): Promise<string> {
    const { expectedSize, ...rest } = fields;
    const row = await rethrowUniqueViolation('name', () =>
      this.tx.market.create({
        data: { vendorId, ...rest, ...sizeColumns(expectedSize) },
        select: { id: true },
      }),
    );
    return row.id;
  }

  /** Changes the given fields (and always `updatedAt`). Throws on a taken name. */
  async updateMarket(id: string, fields: Partial<MarketFields>): Promise<void> {
    const { expectedSize, ...rest } = fields;
    await rethrowUniqueViolation('name', () =>
      this.tx.market.update({
        where: { id },
        data: {
          ...rest,
          ...(expectedSize === undefined ? {} : sizeColumns(expectedSize)),
          updatedAt: new Date(),
        },
      }),
    );
  }

  /**
   * Whether `id` is an active (not archived) market of the vendor other than `exceptId`: what an
   * owner's size may refer to.
   */
  async isSizeReference(id: string, exceptId?: string): Promise<boolean> {
    if (id === exceptId) return false;
    const row = await this.tx.market.findFirst({
      where: { id, active: true, archivedAt: null },
      select: { id: true },
    });
    return row !== null;
  }

  /**
   * Archives a market (kept with its history, gone from the list). The markets sized from it
   * lose that size (and start again from the vendor's smallest market); returns their ids.
   */
  async archiveMarket(id: string, at: Date): Promise<string[]> {
    await this.tx.market.update({ where: { id }, data: { archivedAt: at } });
    const sized = await this.tx.market.findMany({
      where: { sizeReferenceMarketId: id },
      select: { id: true },
    });
    if (sized.length > 0) {
      await this.tx.market.updateMany({
        where: { sizeReferenceMarketId: id },
        data: { sizeReferenceMarketId: null, sizeScale: null, updatedAt: at },
      });
    }
    return sized.map((m) => m.id);
  }

  /** Replaces the market's whole weekly schedule. */
  async replaceSchedule(
    vendorId: string,
    marketId: string,
    entries: MarketScheduleRecord[],
  ): Promise<void> {
    await this.tx.marketSchedule.deleteMany({ where: { marketId } });
    if (entries.length === 0) return;
    await this.tx.marketSchedule.createMany({
      data: entries.map((e) => ({
        vendorId,
        marketId,
        weekday: e.weekday,
        opensAt: time(e.opensAt),
        closesAt: time(e.closesAt),
        seasonFrom: e.seasonFrom ? monthDay(e.seasonFrom) : null,
        seasonTo: e.seasonTo ? monthDay(e.seasonTo) : null,
        weeksOfMonth: e.weeksOfMonth,
        everyOtherWeekFrom: e.everyOtherWeekFrom
          ? new Date(`${e.everyOtherWeekFrom}T00:00:00Z`)
          : null,
      })),
    });
  }
}
