import { tenantSql, type TenantTransaction } from '../tenant';
import { rethrowUniqueViolation } from './markets.repository';

/** Whether the vendor goes to the market that day. */
export type MarketDayStatus = 'SCHEDULED' | 'CANCELLED';

/** A market day as the apps see it. */
export interface MarketDayRecord {
  id: string;
  marketId: string;
  /** Local calendar date 'YYYY-MM-DD'. */
  date: string;
  status: MarketDayStatus;
  opensAt: Date | null;
  closesAt: Date | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The market's IANA time zone (to show times locally). */
  timezone: string;
}

/** A market day to create. */
export interface NewMarketDay {
  vendorId: string;
  marketId: string;
  date: string;
  opensAt: Date | null;
  closesAt: Date | null;
  notes?: string | null;
}

const select = {
  id: true,
  marketId: true,
  date: true,
  status: true,
  opensAt: true,
  closesAt: true,
  notes: true,
  createdAt: true,
  updatedAt: true,
  market: { select: { timezone: true } },
} as const;

const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** Market days with their market's zone, in one statement; the date leaves as text. */
const SELECT_DAYS = `
  SELECT d.id, d.market_id AS "marketId", to_char(d.date, 'YYYY-MM-DD') AS date, d.status,
         d.opens_at AS "opensAt", d.closes_at AS "closesAt", d.notes,
         d.created_at AS "createdAt", d.updated_at AS "updatedAt", m.timezone
    FROM market_days d JOIN markets m ON m.id = d.market_id`;

function toRecord(row: {
  id: string;
  marketId: string;
  date: Date;
  status: MarketDayStatus;
  opensAt: Date | null;
  closesAt: Date | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  market: { timezone: string };
}): MarketDayRecord {
  const { market, date, ...rest } = row;
  return { ...rest, date: date.toISOString().slice(0, 10), timezone: market.timezone };
}

/** Market days of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class MarketDaysRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * SCHEDULED days within [from, to] of one market or of every active market, by date then
   * market id; `after` continues after that position (the prep lists of a range).
   */
  async listScheduledDaysAcrossMarkets(options: {
    from: string;
    to: string;
    marketId?: string;
    after?: { date: string; marketId: string };
    take: number;
  }): Promise<MarketDayRecord[]> {
    const after = options.after;
    const rows = await this.tx.marketDay.findMany({
      where: {
        status: 'SCHEDULED',
        ...(options.marketId
          ? { marketId: options.marketId }
          : { market: { active: true, archivedAt: null } }),
        AND: [
          { date: { gte: day(options.from) } },
          { date: { lte: day(options.to) } },
          after
            ? {
                OR: [
                  { date: { gt: day(after.date) } },
                  { date: day(after.date), marketId: { gt: after.marketId } },
                ],
              }
            : {},
        ],
      },
      orderBy: [{ date: 'asc' }, { marketId: 'asc' }],
      take: options.take,
      select,
    });
    return rows.map(toRecord);
  }

  /** A market's days by date (then id), optionally within [from, to] and of one status. */
  async listMarketDays(options: {
    marketId: string;
    from?: string;
    to?: string;
    status?: MarketDayStatus;
    after?: { date: string; id: string };
    take: number;
  }): Promise<MarketDayRecord[]> {
    const after = options.after;
    return tenantSql(this.tx).query<MarketDayRecord>(
      `${SELECT_DAYS}
        WHERE d.market_id = $1::uuid
          AND ($2::market_day_status IS NULL OR d.status = $2::market_day_status)
          AND ($3::date IS NULL OR d.date >= $3::date)
          AND ($4::date IS NULL OR d.date <= $4::date)
          AND ($5::date IS NULL OR d.date > $5::date OR (d.date = $5::date AND d.id > $6::uuid))
        ORDER BY d.date, d.id
        LIMIT $7`,
      [
        options.marketId,
        options.status ?? null,
        options.from ?? null,
        options.to ?? null,
        after?.date ?? null,
        after?.id ?? null,
        options.take,
      ],
    );
  }

  /** One market day of the vendor, or null. */
  async findMarketDay(id: string): Promise<MarketDayRecord | null> {
    const rows = await tenantSql(this.tx).query<MarketDayRecord>(
      `${SELECT_DAYS} WHERE d.id = $1::uuid`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The day of `marketId` on `date`, or null. */
  async findByDate(marketId: string, date: string): Promise<MarketDayRecord | null> {
    const row = await this.tx.marketDay.findFirst({ where: { marketId, date: day(date) }, select });
    return row ? toRecord(row) : null;
  }

  /** Creates one day; throws UniqueViolationError when the market already has that date. */
  async createMarketDay(data: NewMarketDay): Promise<MarketDayRecord> {
    const row = await rethrowUniqueViolation('date', () =>
      this.tx.marketDay.create({ data: { ...data, date: day(data.date) }, select }),
    );
    return toRecord(row);
  }

  /** Creates the days that do not exist yet (unique market + date); returns how many were new. */
  async ensureMarketDays(days: NewMarketDay[]): Promise<number> {
    if (days.length === 0) return 0;
    const { count } = await this.tx.marketDay.createMany({
      data: days.map((d) => ({ ...d, date: day(d.date) })),
      skipDuplicates: true,
    });
    return count;
  }

  /**
   * Takes scheduled days of a market off the calendar (dates 'YYYY-MM-DD'): days nothing refers to
   * yet are deleted, the others (a prep list or a check-in exists) are marked CANCELLED.
   */
  async withdrawMarketDays(marketId: string, dates: string[]): Promise<number> {
    if (dates.length === 0) return 0;
    const where = { marketId, status: 'SCHEDULED' as const, date: { in: dates.map(day) } };
    const deleted = await this.tx.marketDay.deleteMany({
      where: { ...where, recommendations: { none: {} }, feedback: { none: {} } },
    });
    const cancelled = await this.tx.marketDay.updateMany({
      where,
      data: { status: 'CANCELLED' },
    });
    return deleted.count + cancelled.count;
  }

  /**
   * Moves the times of the day of `marketId` on `date` from `from` to `to`, only when it still has
   * the `from` times (a day whose times were changed by hand keeps them).
   */
  async retimeMarketDay(
    marketId: string,
    date: string,
    from: { opensAt: Date; closesAt: Date },
    to: { opensAt: Date; closesAt: Date },
  ): Promise<boolean> {
    const { count } = await this.tx.marketDay.updateMany({
      where: { marketId, date: day(date), opensAt: from.opensAt, closesAt: from.closesAt },
      data: { ...to, updatedAt: new Date() },
    });
    return count > 0;
  }

  /** Changes the given fields (and `updatedAt`). */
  async updateMarketDay(
    id: string,
    fields: Partial<{
      status: MarketDayStatus;
      notes: string | null;
      opensAt: Date | null;
      closesAt: Date | null;
    }>,
  ): Promise<MarketDayRecord> {
    const row = await this.tx.marketDay.update({
      where: { id },
      data: { ...fields, updatedAt: new Date() },
      select,
    });
    return toRecord(row);
  }
}
