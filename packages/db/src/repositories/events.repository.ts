import { randomUUID } from 'node:crypto';
import type { TenantTransaction } from '../tenant';

/** Where an event comes from. */
export type EventSourceName = 'TICKETMASTER' | 'VENDOR';

/** An event near a market as the apps see it. */
export interface EventRecord {
  id: string;
  marketId: string;
  source: EventSourceName;
  name: string;
  /** Local calendar date 'YYYY-MM-DD'. */
  date: string;
  startsAt: Date | null;
  endsAt: Date | null;
  venueName: string | null;
  expectedAttendance: number | null;
  url: string | null;
  category: string | null;
  fetchedAt: Date;
}

/** An event to store. */
export interface NewEvent {
  vendorId: string;
  marketId: string;
  name: string;
  date: string;
  startsAt?: Date | null;
  endsAt?: Date | null;
  venueName?: string | null;
  expectedAttendance?: number | null;
  url?: string | null;
  category?: string | null;
}

const select = {
  id: true,
  marketId: true,
  source: true,
  name: true,
  date: true,
  startsAt: true,
  endsAt: true,
  venueName: true,
  expectedAttendance: true,
  url: true,
  category: true,
  fetchedAt: true,
} as const;

const day = (date: string) => new Date(`${date}T00:00:00Z`);

function toRecord(row: {
  id: string;
  marketId: string | null;
  source: EventSourceName;
  name: string;
  date: Date;
  startsAt: Date | null;
  endsAt: Date | null;
  venueName: string | null;
  expectedAttendance: number | null;
  url: string | null;
  category: string | null;
  fetchedAt: Date;
}): EventRecord | null {
  if (row.marketId === null) return null;
  return { ...row, marketId: row.marketId, date: row.date.toISOString().slice(0, 10) };
}

const present = <T>(value: T | null): value is T => value !== null;

/**
 * Events near the current tenant's markets (Ticketmaster's and the vendor's own). Takes a
 * tenant-scoped transaction (see withTenant); the composite (vendor_id, market_id) foreign key
 * guarantees an event only ever names a market of its own vendor.
 */
export class EventsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** A market's events by date (then id), optionally within [from, to]. */
  async listEvents(options: {
    marketId: string;
    from?: string;
    to?: string;
    after?: { date: string; id: string };
    take: number;
  }): Promise<EventRecord[]> {
    const after = options.after;
    const rows = await this.tx.event.findMany({
      where: {
        marketId: options.marketId,
        AND: [
          options.from ? { date: { gte: day(options.from) } } : {},
          options.to ? { date: { lte: day(options.to) } } : {},
          after
            ? {
                OR: [
                  { date: { gt: day(after.date) } },
                  { date: day(after.date), id: { gt: after.id } },
                ],
              }
            : {},
        ],
      },
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
      take: options.take,
      select,
    });
    return rows.map(toRecord).filter(present);
  }

  /** One event of `marketId`, or null (another vendor's is invisible under row-level security). */
  async findEvent(marketId: string, id: string): Promise<EventRecord | null> {
    const row = await this.tx.event.findFirst({ where: { id, marketId }, select });
    return row ? toRecord(row) : null;
  }

  /** Stores an event the vendor entered (source VENDOR; its external id is a fresh uuid). */
  async createVendorEvent(data: NewEvent): Promise<EventRecord> {
    return this.create('VENDOR', randomUUID(), data);
  }

  /**
   * Stores an event of any source (provider syncs and tests; vendors' own go through
   * {@link createVendorEvent}).
   */
  async create(source: EventSourceName, externalId: string, data: NewEvent): Promise<EventRecord> {
    const row = await this.tx.event.create({
      data: {
        vendorId: data.vendorId,
        marketId: data.marketId,
        source,
        externalId,
        name: data.name,
        date: day(data.date),
        startsAt: data.startsAt ?? null,
        endsAt: data.endsAt ?? null,
        venueName: data.venueName ?? null,
        expectedAttendance: data.expectedAttendance ?? null,
        url: data.url ?? null,
        category: data.category ?? null,
      },
      select,
    });
    const record = toRecord(row);
    if (!record) throw new Error('EventsRepository.create: stored event has no market');
    return record;
  }

  /** Deletes one event; true when a row went. */
  async deleteEvent(id: string): Promise<boolean> {
    const { count } = await this.tx.event.deleteMany({ where: { id } });
    return count > 0;
  }
}
