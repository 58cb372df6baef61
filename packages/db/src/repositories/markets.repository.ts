import { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** One weekly opening: weekday 0 = Monday, local 'HH:MM' times, optional 'MM-DD' season. */
export interface MarketScheduleRecord {
  weekday: number;
  opensAt: string;
  closesAt: string;
  seasonFrom: string | null;
  seasonTo: string | null;
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

function marketSelect(from: Date, upcomingDays: number) {
  return {
    id: true,
    name: true,
    address: true,
    latitude: true,
    longitude: true,
    timezone: true,
    countryCode: true,
    regionCode: true,
    boothFeeMinor: true,
    active: true,
    sizeReferenceMarketId: true,
    sizeScale: true,
    archivedAt: true,
    createdAt: true,
    updatedAt: true,
    schedules: {
      orderBy: [{ weekday: 'asc' }, { opensAt: 'asc' }, { seasonFrom: 'asc' }],
      select: { weekday: true, opensAt: true, closesAt: true, seasonFrom: true, seasonTo: true },
    },
    marketDays: {
      where: { date: { gte: from }, status: 'SCHEDULED' },
      orderBy: { date: 'asc' },
      take: upcomingDays,
      select: { date: true },
    },
  } as const satisfies Prisma.MarketSelect;
}

type MarketRow = Prisma.MarketGetPayload<{ select: ReturnType<typeof marketSelect> }>;

/** A window of dates, 'YYYY-MM-DD' inclusive. */
export interface DateWindow {
  from: string;
  to: string;
}

function toSummary(row: MarketRow, recentDays: MarketSummary['recentDays'] = []): MarketSummary {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    latitude: row.latitude.toNumber(),
    longitude: row.longitude.toNumber(),
    timezone: row.timezone,
    countryCode: row.countryCode,
    regionCode: row.regionCode,
    boothFeeMinor: row.boothFeeMinor,
    active: row.active,
    expectedSize:
      row.sizeReferenceMarketId !== null && row.sizeScale !== null
        ? { referenceMarketId: row.sizeReferenceMarketId, scale: row.sizeScale.toNumber() }
        : null,
    schedule: row.schedules.map((s) => ({
      weekday: s.weekday,
      opensAt: s.opensAt.toISOString().slice(11, 16),
      closesAt: s.closesAt.toISOString().slice(11, 16),
      seasonFrom: s.seasonFrom ? s.seasonFrom.toISOString().slice(5, 10) : null,
      seasonTo: s.seasonTo ? s.seasonTo.toISOString().slice(5, 10) : null,
    })),
    upcomingDates: row.marketDays.map((d) => d.date.toISOString().slice(0, 10)),
    recentDays,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
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
    const from = new Date(`${options.from}T00:00:00Z`);
    const after = options.after;
    const rows = await this.tx.market.findMany({
      where: {
        ...(options.includeArchived ? {} : { active: true, archivedAt: null }),
        ...(after
          ? {
              OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }],
            }
          : {}),
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      ...(options.take === undefined ? {} : { take: options.take }),
      select: marketSelect(from, options.upcomingDays ?? 1),
    });
    const recent = await this.findRecentDays(
      rows.map((r) => r.id),
      options.recent,
    );
    return rows.map((row) => toSummary(row, recent.get(row.id)));
  }

  /** One market of the vendor (archived ones too), or null; `recent` as in listMarkets. */
  async findMarket(
    id: string,
    options: { from: string; upcomingDays?: number; recent?: DateWindow },
  ): Promise<MarketSummary | null> {
    const row = await this.tx.market.findFirst({
      where: { id },
      select: marketSelect(new Date(`${options.from}T00:00:00Z`), options.upcomingDays ?? 1),
    });
    if (!row) return null;
    const recent = await this.findRecentDays([row.id], options.recent);
    return toSummary(row, recent.get(row.id));
  }

  /** Stored market days (any status) of these markets in `window`, per market, by date. */
  private async findRecentDays(
    marketIds: string[],
    window: DateWindow | undefined,
  ): Promise<Map<string, MarketSummary['recentDays']>> {
    const byMarket = new Map<string, MarketSummary['recentDays']>();
    if (!window || marketIds.length === 0) return byMarket;
    const rows = await this.tx.marketDay.findMany({
      where: {
        marketId: { in: marketIds },
        date: {
          gte: new Date(`${window.from}T00:00:00Z`),
          lte: new Date(`${window.to}T00:00:00Z`),
        },
      },
      orderBy: { date: 'asc' },
      select: { marketId: true, date: true, status: true },
    });
    for (const row of rows) {
      const days = byMarket.get(row.marketId) ?? [];
      days.push({ date: row.date.toISOString().slice(0, 10), status: row.status });
      byMarket.set(row.marketId, days);
    }
    return byMarket;
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
      })),
    });
  }
}
