import {
  MarketDaysRepository,
  PrepListsRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import {
  findNearestMarketDates,
  NEAREST_MARKET_DAY_SEARCH_DAYS,
  notAMarketDayReason,
  scheduleOn,
  type WeeklyOpening,
} from '@marketprep/planning';
import { AppError } from '../../errors';
import { addDays, localDate } from '@marketprep/planning';

/** The problem `type` of a date that is not a market day (a 404 with the nearest market days). */
export const NOT_A_MARKET_DAY_TYPE = 'https://marketprep.app/problems/not-a-market-day';

/**
 * The 404 for a date that is not a market day of `market` (no stored day, not on its weekly
 * schedule in season): the reason in words with the nearest market days either side, which also
 * go into the problem as `previousMarketDate` / `nextMarketDate` (see NotAMarketDayProblemSchema).
 * Reads the market's stored days around the date (one-off days count, cancelled ones do not).
 */
export async function notAMarketDayError(options: {
  db: DatabaseClient;
  vendorId: string;
  market: { id: string; name: string; timezone: string; schedule: WeeklyOpening[] };
  date: string;
  /** Now: dates of another year than the market's current one are written with their year. */
  now: Date;
}): Promise<AppError> {
  const { market, date } = options;
  const storedDays = await withTenant(options.db.prisma, options.vendorId, (tx) =>
    new MarketDaysRepository(tx).listMarketDays({
      marketId: market.id,
      from: addDays(date, -NEAREST_MARKET_DAY_SEARCH_DAYS),
      to: addDays(date, NEAREST_MARKET_DAY_SEARCH_DAYS),
      // At most one day per date: the whole window always fits.
      take: 2 * NEAREST_MARKET_DAY_SEARCH_DAYS + 1,
    }),
  );
  const nearest = findNearestMarketDates({ date, schedule: market.schedule, storedDays });
  const currentYear = Number(localDate(options.now, market.timezone).slice(0, 4));
  const reason =
    notAMarketDayReason(market, date, nearest, { currentYear }) ??
    `${market.name} has no market day on ${date}.`;
  return new AppError('NOT_FOUND', reason, undefined, {
    code: 'not-a-market-day',
    date,
    previousMarketDate: nearest.previous,
    nextMarketDate: nearest.next,
  });
}

/**
 * {@link notAMarketDayError} for a market known only by id (the prep list, whose planner refused
 * the date with `plannerReason`): reads the market's schedule first. A date on its schedule that
 * was refused anyway (too far from today) keeps the planner's reason, with no nearest days. Null
 * when the market is not there.
 */
export async function notAMarketDayErrorOf(options: {
  db: DatabaseClient;
  vendorId: string;
  marketId: string;
  date: string;
  plannerReason: string;
  now: Date;
}): Promise<AppError | null> {
  const market = await withTenant(options.db.prisma, options.vendorId, (tx) =>
    new PrepListsRepository(tx).findMarket(options.marketId),
  );
  if (!market) return null;
  if (scheduleOn(market, options.date)) {
    return new AppError('NOT_FOUND', options.plannerReason, undefined, {
      code: 'not-a-market-day',
      date: options.date,
      previousMarketDate: null,
      nextMarketDate: null,
    });
  }
  return notAMarketDayError({ ...options, market });
}
