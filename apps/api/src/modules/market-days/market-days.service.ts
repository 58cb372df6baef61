import {
  AuditRepository,
  MarketDaysRepository,
  MarketsRepository,
  UniqueViolationError,
  withTenant,
  type DatabaseClient,
  type MarketDayRecord,
  type TenantTransaction,
} from '@marketprep/db';
import type {
  MarketDay,
  MarketDayCreateBody,
  MarketDayListQuery,
  MarketDayUpdateBody,
} from '@marketprep/contracts';
import { z } from 'zod';
import { AppError } from '../../errors';
import { assertIfMatch } from '../../lib/etag';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';
import { localTime, scheduledDates, zonedInstant } from '@marketprep/planning';

const DateCursorSchema = z.tuple([z.iso.date(), z.uuid()]);

/** The API's view of a market day (times local to the market). */
export function toMarketDayDto(day: MarketDayRecord): MarketDay {
  return {
    id: day.id,
    marketId: day.marketId,
    date: day.date,
    status: day.status,
    opensAt: day.opensAt ? localTime(day.opensAt, day.timezone) : null,
    closesAt: day.closesAt ? localTime(day.closesAt, day.timezone) : null,
    notes: day.notes,
    createdAt: day.createdAt.toISOString(),
    updatedAt: day.updatedAt.toISOString(),
  };
}

function assertTimesInOrder(opensAt: string | null, closesAt: string | null): void {
  if (opensAt !== null && closesAt !== null && opensAt >= closesAt) {
    throw new AppError('BAD_REQUEST', 'opensAt must be before closesAt.', [
      { path: 'closesAt', message: 'Must be after opensAt' },
    ]);
  }
}

function auditActor(tenant: TenantContext) {
  return {
    vendorId: tenant.vendorId,
    actorUserId: tenant.userId,
    actorType: tenant.actorType === 'api_token' ? ('api_token' as const) : ('user' as const),
  };
}

/** Market days: the dates a vendor goes (or no longer goes) to a market. */
export class MarketDaysService {
  constructor(private readonly db: DatabaseClient) {}

  /** A page of a market's days by date, within an optional date range. */
  async listMarketDays(
    tenant: TenantContext,
    marketId: string,
    query: MarketDayListQuery,
  ): Promise<{ data: MarketDay[]; nextCursor: string | null }> {
    const after = decodeCursor(query.cursor, DateCursorSchema);
    if (query.from && query.to && query.from > query.to) {
      throw new AppError('BAD_REQUEST', '`from` must not be after `to`.', [
        { path: 'from', message: 'After `to`' },
      ]);
    }
    const rows = await withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      await this.loadMarket(tx, marketId);
      return new MarketDaysRepository(tx).listMarketDays({
        marketId,
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(after ? { after: { date: after[0], id: after[1] } } : {}),
        take: query.limit + 1,
      });
    });
    const page = toPage(rows, query.limit, (d) => [d.date, d.id]);
    return { data: page.data.map(toMarketDayDto), nextCursor: page.nextCursor };
  }

  /** One market day, or 404. */
  async getMarketDay(tenant: TenantContext, marketDayId: string): Promise<MarketDay> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) =>
      toMarketDayDto(await this.loadMarketDay(tx, marketDayId)),
    );
  }

  /**
   * Adds a one-off date to a market (a holiday market, a make-up day). Times default to the weekly
   * schedule's for that date; a date the schedule does not open needs its own (400 without).
   */
  async createMarketDay(
    tenant: TenantContext,
    marketId: string,
    body: MarketDayCreateBody,
    context: { requestId: string },
  ): Promise<MarketDay> {
    if ((body.opensAt === undefined) !== (body.closesAt === undefined)) {
      throw new AppError('BAD_REQUEST', 'Give both opensAt and closesAt, or neither.', [
        {
          path: body.opensAt === undefined ? 'opensAt' : 'closesAt',
          message: 'Required with the other',
        },
      ]);
    }
    assertTimesInOrder(body.opensAt ?? null, body.closesAt ?? null);
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const market = await this.loadMarket(tx, marketId);
      if (market.archivedAt) {
        throw new AppError(
          'CONFLICT',
          'This market is archived; it gets no new market days.',
          undefined,
          { code: 'market-archived' },
        );
      }
      const fromSchedule = scheduledDates(market.schedule, body.date, 1)[0];
      // A day's hours place its demand, reminders and weather: a date off the schedule needs its own.
      if (body.opensAt === undefined && fromSchedule === undefined) {
        throw new AppError(
          'BAD_REQUEST',
          `The weekly schedule does not open on ${body.date}: give opensAt and closesAt.`,
          [{ path: 'opensAt', message: 'Required on a date the schedule does not open' }],
        );
      }
      const opensAt = body.opensAt ?? fromSchedule?.opensAt ?? null;
      const closesAt = body.closesAt ?? fromSchedule?.closesAt ?? null;
      const repo = new MarketDaysRepository(tx);
      const taken = () =>
        new AppError(
          'CONFLICT',
          `This market already has a market day on ${body.date}.`,
          [{ path: 'date', message: 'Already on the calendar' }],
          { code: 'conflict' },
        );
      if (await repo.findByDate(marketId, body.date)) throw taken();
      let created: MarketDayRecord;
      try {
        created = await repo.createMarketDay({
          vendorId: tenant.vendorId,
          marketId,
          date: body.date,
          opensAt: opensAt ? zonedInstant(body.date, opensAt, market.timezone) : null,
          closesAt: closesAt ? zonedInstant(body.date, closesAt, market.timezone) : null,
          notes: body.notes ?? null,
        });
      } catch (error) {
        if (error instanceof UniqueViolationError) throw taken();
        throw error;
      }
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: 'market_day.created',
        targetType: 'market_day',
        targetId: created.id,
        requestId: context.requestId,
        metadata: { marketId, date: body.date },
      });
      return toMarketDayDto(created);
    });
  }

  /**
   * Changes status and notes (staff run the stall) or that day's times (owners only: they move
   * the demand window). `ifMatch` guards against lost updates.
   */
  async updateMarketDay(
    tenant: TenantContext,
    marketDayId: string,
    body: MarketDayUpdateBody,
    context: { requestId: string; ifMatch?: string },
  ): Promise<MarketDay> {
    const changesTimes = body.opensAt !== undefined || body.closesAt !== undefined;
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const current = await this.loadMarketDay(tx, marketDayId);
      const currentDto = toMarketDayDto(current);
      assertIfMatch(context.ifMatch, currentDto);
      if (changesTimes && tenant.role !== 'OWNER') {
        throw new AppError('FORBIDDEN', "Only an owner can change a market day's times.");
      }
      const opensAt = body.opensAt === undefined ? currentDto.opensAt : body.opensAt;
      const closesAt = body.closesAt === undefined ? currentDto.closesAt : body.closesAt;
      assertTimesInOrder(opensAt, closesAt);
      const toInstant = (time: string | null) =>
        time === null ? null : zonedInstant(current.date, time, current.timezone);
      const updated = await new MarketDaysRepository(tx).updateMarketDay(marketDayId, {
        ...(body.status === undefined ? {} : { status: body.status }),
        ...(body.notes === undefined ? {} : { notes: body.notes }),
        ...(body.opensAt === undefined ? {} : { opensAt: toInstant(body.opensAt) }),
        ...(body.closesAt === undefined ? {} : { closesAt: toInstant(body.closesAt) }),
      });
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: 'market_day.updated',
        targetType: 'market_day',
        targetId: marketDayId,
        requestId: context.requestId,
        metadata: { fields: Object.keys(body).sort() },
      });
      return toMarketDayDto(updated);
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

  private async loadMarketDay(tx: TenantTransaction, marketDayId: string) {
    const day = await new MarketDaysRepository(tx).findMarketDay(marketDayId);
    if (!day) throw new AppError('NOT_FOUND', 'No such market day.');
    return day;
  }
}
