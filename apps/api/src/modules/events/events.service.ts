import {
  EventsRepository,
  MarketDaysRepository,
  MarketsRepository,
  withTenant,
  type DatabaseClient,
  type EventRecord,
  type TenantTransaction,
} from '@marketprep/db';
import type { EventCreateBody, EventListQuery, MarketEvent } from '@marketprep/contracts';
import { z } from 'zod';
import { AppError } from '../../errors';
import { enqueueWork } from '../../lib/outbox';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';

const DateCursorSchema = z.tuple([z.iso.date(), z.uuid()]);

/** The API's view of an event (absent fields left out). */
export function toEventDto(event: EventRecord): MarketEvent {
  return {
    id: event.id,
    marketId: event.marketId,
    source: event.source,
    name: event.name,
    date: event.date,
    ...(event.startsAt ? { startsAt: event.startsAt.toISOString() } : {}),
    ...(event.endsAt ? { endsAt: event.endsAt.toISOString() } : {}),
    ...(event.venueName !== null ? { venueName: event.venueName } : {}),
    ...(event.expectedAttendance !== null ? { expectedAttendance: event.expectedAttendance } : {}),
    ...(event.url !== null ? { url: event.url } : {}),
    ...(event.category !== null ? { category: event.category } : {}),
  };
}

/**
 * Events near a market: Ticketmaster's (synced by the worker when a key is configured) and the
 * ones the vendor enters. Adding or deleting one changes the prep-list inputs of that market day,
 * so the prep list of a planned day is regenerated.
 */
export class EventsService {
  constructor(private readonly db: DatabaseClient) {}

  /** A page of a market's events by date, within an optional date range. */
  async listEvents(
    tenant: TenantContext,
    marketId: string,
    query: EventListQuery,
  ): Promise<{ data: MarketEvent[]; nextCursor: string | null }> {
    const after = decodeCursor(query.cursor, DateCursorSchema);
    if (query.from && query.to && query.from > query.to) {
      throw new AppError('BAD_REQUEST', '`from` must not be after `to`.', [
        { path: 'from', message: 'After `to`' },
      ]);
    }
    const rows = await withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      await this.loadMarket(tx, marketId);
      return new EventsRepository(tx).listEvents({
        marketId,
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(after ? { after: { date: after[0], id: after[1] } } : {}),
        take: query.limit + 1,
      });
    });
    const page = toPage(rows, query.limit, (e) => [e.date, e.id]);
    return { data: page.data.map(toEventDto), nextCursor: page.nextCursor };
  }

  /** Adds an event the vendor knows about (source VENDOR). */
  async createEvent(
    tenant: TenantContext,
    marketId: string,
    body: EventCreateBody,
    context: { requestId: string },
  ): Promise<MarketEvent> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const market = await this.loadMarket(tx, marketId);
      if (market.archivedAt) {
        throw new AppError(
          'CONFLICT',
          'This market is archived; it takes no new events.',
          undefined,
          { code: 'market-archived' },
        );
      }
      const created = await new EventsRepository(tx).createVendorEvent({
        vendorId: tenant.vendorId,
        marketId,
        name: body.name,
        date: body.date,
        venueName: body.venueName ?? null,
        expectedAttendance: body.expectedAttendance ?? null,
        url: body.url ?? null,
        category: body.category ?? null,
      });
      await this.regenerate(tx, tenant.vendorId, marketId, created.date, context.requestId);
      return toEventDto(created);
    });
  }

  /** Deletes an event the vendor entered; Ticketmaster's cannot be deleted (409). */
  async deleteEvent(
    tenant: TenantContext,
    marketId: string,
    eventId: string,
    context: { requestId: string },
  ): Promise<void> {
    await withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      await this.loadMarket(tx, marketId);
      const repo = new EventsRepository(tx);
      const event = await repo.findEvent(marketId, eventId);
      if (!event) throw new AppError('NOT_FOUND', 'No such event.');
      if (event.source !== 'VENDOR') {
        throw new AppError(
          'CONFLICT',
          'This event comes from Ticketmaster and is refreshed by the sync; only events you entered can be deleted.',
        );
      }
      if (!(await repo.deleteEvent(eventId))) throw new AppError('NOT_FOUND', 'No such event.');
      await this.regenerate(tx, tenant.vendorId, marketId, event.date, context.requestId);
    });
  }

  /** Asks for the prep list of that market day again, when the day is on the calendar. */
  private async regenerate(
    tx: TenantTransaction,
    vendorId: string,
    marketId: string,
    date: string,
    requestId: string,
  ): Promise<void> {
    const day = await new MarketDaysRepository(tx).findByDate(marketId, date);
    if (!day || day.status !== 'SCHEDULED') return;
    await enqueueWork(tx, {
      jobName: 'generate-prep-list',
      payload: { vendorId, marketId, date, trigger: 'inputs-changed' },
      dedupeKey: `prep:${marketId}:${date}:inputs`,
      requestId,
    });
  }

  private async loadMarket(tx: TenantTransaction, marketId: string) {
    const market = await new MarketsRepository(tx).findMarket(marketId, {
      from: '1970-01-01',
      upcomingDays: 0,
    });
    if (!market) throw new AppError('NOT_FOUND', 'No such market.');
    return market;
  }
}
