import { findLastMarketDate, LAST_MARKET_DAY_LOOKBACK_DAYS } from '@marketprep/planning';
import {
  AuditRepository,
  MarketsRepository,
  UniqueViolationError,
  withTenant,
  type DatabaseClient,
  type MarketFields,
  type MarketScheduleRecord,
  type MarketSizeRecord,
  type MarketSummary,
  type TenantTransaction,
} from '@marketprep/db';
import type {
  Market,
  MarketCreateBody,
  MarketScheduleInput,
  MarketUpdateBody,
} from '@marketprep/contracts';
import { AppError } from '../../errors';
import { assertIfMatch } from '../../lib/etag';
import { enqueueWork } from '../../lib/outbox';
import { StringKeyCursorSchema, decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';
import { addDays, localDate } from '@marketprep/planning';
import { syncMarketCalendar } from '../market-days/market-calendar';
import { assertKnownCountry, canonicalTimeZone } from './market-validation';
import type { PlanLimitCheck } from '../billing/plan-limits';

export { localDate } from '@marketprep/planning';

/** How many upcoming dates to read to find each market's next market day. */
const UPCOMING_DAYS = 3;

/**
 * A new market, or one that moved, has its forecast and nearby events looked up now rather than at
 * the next hourly weather or nightly events refresh (its first lists would read climatology and
 * "Check inputs"). The schedules' own keys: a refresh already pending absorbs these.
 */
async function requestProviderRefresh(
  tx: TenantTransaction,
  vendorId: string,
  requestId: string,
): Promise<void> {
  for (const jobName of ['refresh-weather', 'refresh-events']) {
    await enqueueWork(tx, {
      jobName,
      payload: { vendorId },
      dedupeKey: `${jobName}:${vendorId}`,
      requestId,
    });
  }
}

/** The earliest "today" on Earth (UTC-12): cut per market's own zone afterwards. */
function earliestToday(now: Date): string {
  return localDate(new Date(now.getTime() - 12 * 3_600_000), 'UTC');
}

/** The stored days to read for every market's last market day, whatever its zone. */
function recentWindow(now: Date): { from: string; to: string } {
  return {
    from: addDays(earliestToday(now), -LAST_MARKET_DAY_LOOKBACK_DAYS),
    to: localDate(new Date(now.getTime() + 14 * 3_600_000), 'UTC'),
  };
}

/** The API's view of a market (what GET returns and what ETags hash). */
export function toMarketDto(market: MarketSummary, now: Date): Market {
  const today = localDate(now, market.timezone);
  return {
    id: market.id,
    name: market.name,
    address: market.address,
    latitude: market.latitude,
    longitude: market.longitude,
    timezone: market.timezone,
    countryCode: market.countryCode,
    regionCode: market.regionCode,
    boothFeeMinor: market.boothFeeMinor,
    active: market.active,
    expectedSize: market.expectedSize,
    schedule: market.schedule,
    nextMarketDate: market.upcomingDates.find((d) => d >= today) ?? null,
    lastMarketDate: findLastMarketDate({
      today,
      schedule: market.schedule,
      storedDays: market.recentDays.filter((d) => d.date <= today),
    }),
    archivedAt: market.archivedAt?.toISOString() ?? null,
    createdAt: market.createdAt.toISOString(),
    updatedAt: market.updatedAt.toISOString(),
  };
}

/**
 * The schedule to store from the one sent. An entry that leaves out both season keys keeps the
 * season of the `current` entry with the same weekday and times, and one that leaves out both
 * `weeksOfMonth` and `everyOtherWeekFrom` keeps that entry's weeks (a client that does not know
 * about seasons or weeks must not erase them); explicit nulls mean all year, `[]` every week. Several current
 * entries it could continue make such an entry ambiguous: a 400 asks for the missing keys.
 */
function toSchedule(
  entries: MarketScheduleInput[],
  current: readonly MarketScheduleRecord[] = [],
): MarketScheduleRecord[] {
  const schedule = entries.map((e, index) => {
    const seasonGiven = e.seasonFrom !== undefined || e.seasonTo !== undefined;
    // Which weeks it runs (of the month, or every other): both keys say it together.
    const weeksGiven = e.weeksOfMonth !== undefined || e.everyOtherWeekFrom !== undefined;
    const continued = current.filter(
      (c) =>
        c.weekday === e.weekday &&
        c.opensAt === e.opensAt &&
        c.closesAt === e.closesAt &&
        (!seasonGiven ||
          (c.seasonFrom === (e.seasonFrom ?? null) && c.seasonTo === (e.seasonTo ?? null))),
    );
    // A key left out is ambiguous when the entries it could continue disagree on it.
    const disagree = (value: (c: MarketScheduleRecord) => string) =>
      new Set(continued.map(value)).size > 1;
    const missing = [
      ...(!seasonGiven && disagree((c) => `${c.seasonFrom}|${c.seasonTo}`) ? ['seasonFrom'] : []),
      ...(!weeksGiven && disagree((c) => `${c.weeksOfMonth.join(',')}|${c.everyOtherWeekFrom}`)
        ? ['weeksOfMonth']
        : []),
    ];
    if (missing.length > 0) {
      throw new AppError(
        'BAD_REQUEST',
        'Several current openings have these times in different seasons or weeks of the month: say which.',
        missing.map((key) => ({
          path: `schedule.${index}.${key}`,
          message:
            key === 'seasonFrom'
              ? 'Give seasonFrom and seasonTo (null for all year)'
              : 'Give weeksOfMonth ([] for every week) or everyOtherWeekFrom',
        })),
      );
    }
    const previous = continued[0];
    return {
      weekday: e.weekday,
      opensAt: e.opensAt,
      closesAt: e.closesAt,
      seasonFrom: seasonGiven ? (e.seasonFrom ?? null) : (previous?.seasonFrom ?? null),
      seasonTo: seasonGiven ? (e.seasonTo ?? null) : (previous?.seasonTo ?? null),
      weeksOfMonth: weeksGiven ? sortWeeks(e.weeksOfMonth ?? []) : (previous?.weeksOfMonth ?? []),
      everyOtherWeekFrom: weeksGiven
        ? (e.everyOtherWeekFrom ?? null)
        : (previous?.everyOtherWeekFrom ?? null),
    };
  });
  const seen = new Set<string>();
  schedule.forEach((e, index) => {
    const key = `${e.weekday}|${e.opensAt}|${e.seasonFrom}|${e.seasonTo}|${e.weeksOfMonth.join(',')}|${e.everyOtherWeekFrom}`;
    if (seen.has(key)) {
      throw new AppError('BAD_REQUEST', 'The schedule lists the same opening twice.', [
        { path: `schedule.${index}`, message: 'Duplicate of an earlier entry' },
      ]);
    }
    seen.add(key);
  });
  return schedule;
}

/** Weeks of the month in month order, the last one (-1) at the end. */
function sortWeeks(weeks: readonly number[]): number[] {
  return [...weeks].sort((a, b) => (a === -1 ? 6 : a) - (b === -1 ? 6 : b));
}

function auditActor(tenant: TenantContext) {
  return {
    vendorId: tenant.vendorId,
    actorUserId: tenant.userId,
    actorType: tenant.actorType === 'api_token' ? ('api_token' as const) : ('user' as const),
  };
}

/**
 * Refuses an owner's size that names the market itself, or a market that is not another active
 * one of this vendor (unknown, archived or another vendor's: row-level security hides those).
 */
async function assertSizeReference(
  repo: MarketsRepository,
  size: MarketSizeRecord | null | undefined,
  marketId?: string,
): Promise<void> {
  if (!size) return;
  const path = 'expectedSize.referenceMarketId';
  if (size.referenceMarketId === marketId) {
    throw new AppError('BAD_REQUEST', 'A market cannot be sized from itself: pick another one.', [
      { path, message: 'Pick one of your other markets' },
    ]);
  }
  if (!(await repo.isSizeReference(size.referenceMarketId, marketId))) {
    throw new AppError(
      'BAD_REQUEST',
      `The size can only compare with another of your active markets: no market ${size.referenceMarketId} to compare with.`,
      [{ path, message: 'Not one of your active markets' }],
    );
  }
}

const nameTaken = () =>
  new AppError(
    'CONFLICT',
    'You already have a market with this name.',
    [{ path: 'name', message: 'Already used by another of your markets' }],
    { code: 'name-taken' },
  );

/** A vendor's markets: reading, creating, changing and archiving them (with their schedule). */
export class MarketsService {
  constructor(
    private readonly db: DatabaseClient,
    /** Billing's plan limits (none: unlimited). */
    private readonly limits?: PlanLimitCheck,
  ) {}

  /** A page of markets by name, with schedule and next market day in each market's own zone. */
  async listMarkets(options: {
    vendorId: string;
    now: Date;
    limit?: number;
    cursor?: string;
    includeArchived?: boolean;
  }): Promise<{ data: Market[]; nextCursor: string | null }> {
    const after = decodeCursor(options.cursor, StringKeyCursorSchema);
    const limit = options.limit ?? 50;
    const markets = await withTenant(this.db.prisma, options.vendorId, (tx) =>
      new MarketsRepository(tx).listMarkets({
        from: earliestToday(options.now),
        upcomingDays: UPCOMING_DAYS,
        recent: recentWindow(options.now),
        includeArchived: options.includeArchived ?? false,
        ...(after ? { after: { name: after[0], id: after[1] } } : {}),
        take: limit + 1,
      }),
    );
    const page = toPage(markets, limit, (m) => [m.name, m.id]);
    return {
      data: page.data.map((m) => toMarketDto(m, options.now)),
      nextCursor: page.nextCursor,
    };
  }

  /** One market (archived ones too), or 404. */
  async getMarket(tenant: TenantContext, marketId: string, now: Date): Promise<Market> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) =>
      toMarketDto(await this.loadMarket(tx, marketId, now), now),
    );
  }

  /** Creates a market with its schedule and puts its next 8 weeks of market days on the calendar. */
  async createMarket(
    tenant: TenantContext,
    body: MarketCreateBody,
    context: { requestId: string; now: Date },
  ): Promise<Market> {
    const fields: MarketFields = {
      name: body.name,
      address: body.address ?? null,
      latitude: body.latitude,
      longitude: body.longitude,
      timezone: canonicalTimeZone(body.timezone),
      countryCode: body.countryCode,
      regionCode: body.regionCode ?? null,
      boothFeeMinor: body.boothFeeMinor ?? 0,
      expectedSize: body.expectedSize ?? null,
    };
    assertKnownCountry(fields.countryCode, fields.regionCode);
    const schedule = toSchedule(body.schedule ?? []);
    await this.limits?.assertCanAdd(tenant.vendorId, 'markets');
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new MarketsRepository(tx);
      if (await repo.isNameTaken(fields.name)) throw nameTaken();
      await assertSizeReference(repo, fields.expectedSize);
      const marketId = await this.mapConflict(() => repo.createMarket(tenant.vendorId, fields));
      await repo.replaceSchedule(tenant.vendorId, marketId, schedule);
      await syncMarketCalendar(tx, {
        vendorId: tenant.vendorId,
        marketId,
        timezone: fields.timezone,
        oldSchedule: [],
        newSchedule: schedule,
        now: context.now,
      });
      await requestProviderRefresh(tx, tenant.vendorId, context.requestId);
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: 'market.created',
        targetType: 'market',
        targetId: marketId,
        requestId: context.requestId,
        metadata: { name: fields.name },
      });
      return toMarketDto(await this.loadMarket(tx, marketId, context.now), context.now);
    });
  }

  /**
   * Changes the given fields. A new `schedule` replaces the whole weekly schedule and re-plans the
   * next 8 weeks of market days. `ifMatch` (the ETag the client read) guards against lost updates.
   */
  async updateMarket(
    tenant: TenantContext,
    marketId: string,
    body: MarketUpdateBody,
    context: { requestId: string; now: Date; ifMatch?: string },
  ): Promise<Market> {
    const { schedule: scheduleInput, ...rest } = body;
    const changes: Partial<MarketFields> = { ...rest };
    if (rest.timezone !== undefined) changes.timezone = canonicalTimeZone(rest.timezone);
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new MarketsRepository(tx);
      const current = await this.loadMarket(tx, marketId, context.now);
      assertIfMatch(context.ifMatch, toMarketDto(current, context.now));
      const schedule =
        scheduleInput === undefined ? undefined : toSchedule(scheduleInput, current.schedule);
      if (current.archivedAt) {
        throw new AppError(
          'CONFLICT',
          'This market is archived; it can no longer be changed.',
          undefined,
          { code: 'market-archived' },
        );
      }
      if (changes.countryCode !== undefined || changes.regionCode !== undefined) {
        assertKnownCountry(
          changes.countryCode ?? current.countryCode,
          changes.regionCode === undefined ? current.regionCode : changes.regionCode,
        );
      }
      if (changes.name !== undefined && (await repo.isNameTaken(changes.name, marketId))) {
        throw nameTaken();
      }
      await assertSizeReference(repo, changes.expectedSize, marketId);
      await this.mapConflict(() => repo.updateMarket(marketId, changes));
      const timezone = changes.timezone ?? current.timezone;
      if (schedule !== undefined || timezone !== current.timezone) {
        await repo.replaceSchedule(tenant.vendorId, marketId, schedule ?? current.schedule);
        await syncMarketCalendar(tx, {
          vendorId: tenant.vendorId,
          marketId,
          timezone,
          oldTimezone: current.timezone,
          oldSchedule: current.schedule,
          newSchedule: schedule ?? current.schedule,
          now: context.now,
        });
      }
      const moved = (['latitude', 'longitude'] as const).some(
        (field) => changes[field] !== undefined && changes[field] !== Number(current[field]),
      );
      if (moved) await requestProviderRefresh(tx, tenant.vendorId, context.requestId);
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: 'market.updated',
        targetType: 'market',
        targetId: marketId,
        requestId: context.requestId,
        metadata: { fields: Object.keys(body).sort() },
      });
      return toMarketDto(await this.loadMarket(tx, marketId, context.now), context.now);
    });
  }

  /** Archives a market: it leaves the list, its history stays. Archiving twice changes nothing. */
  async archiveMarket(
    tenant: TenantContext,
    marketId: string,
    context: { requestId: string; now: Date; ifMatch?: string },
  ): Promise<void> {
    await withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const current = await this.loadMarket(tx, marketId, context.now);
      assertIfMatch(context.ifMatch, toMarketDto(current, context.now));
      if (current.archivedAt) return;
      // The markets sized from this one lose that size (see 20261205000400_market_size).
      const unsized = await new MarketsRepository(tx).archiveMarket(marketId, context.now);
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: 'market.archived',
        targetType: 'market',
        targetId: marketId,
        requestId: context.requestId,
        ...(unsized.length > 0 ? { metadata: { sizeClearedFrom: unsized } } : {}),
      });
    });
  }

  private async loadMarket(
    tx: TenantTransaction,
    marketId: string,
    now: Date,
  ): Promise<MarketSummary> {
    const market = await new MarketsRepository(tx).findMarket(marketId, {
      from: earliestToday(now),
      upcomingDays: UPCOMING_DAYS,
      recent: recentWindow(now),
    });
    if (!market) throw new AppError('NOT_FOUND', 'No such market.');
    return market;
  }

  private async mapConflict<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UniqueViolationError) throw nameTaken();
      throw error;
    }
  }
}
