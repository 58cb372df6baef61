import type { NewMarketDay, WorkerMarket } from '@marketprep/db';
import { addDays, daysBetween, localDate, scheduledDates, zonedInstant } from './local-time';

/** How far ahead the calendar holds the market days a weekly schedule opens. */
export const PLANNING_HORIZON_DAYS = 8 * 7;

/**
 * The market days the markets' weekly schedules open, at the schedule's hours, from each market's
 * today (or `from`, when later) through `to` (by default the planning horizon from its today).
 * The past keeps what was stored; the caller stores these where none is (a cancelled day stays
 * cancelled).
 */
export function scheduledCalendarDays(options: {
  vendorId: string;
  markets: readonly Pick<WorkerMarket, 'id' | 'timezone' | 'schedule'>[];
  now: Date;
  from?: string;
  to?: string;
}): NewMarketDay[] {
  const { vendorId, now } = options;
  return options.markets.flatMap((market) => {
    const today = localDate(now, market.timezone);
    const start = options.from !== undefined && options.from > today ? options.from : today;
    const end = options.to ?? addDays(today, PLANNING_HORIZON_DAYS - 1);
    if (start > end) return [];
    return scheduledDates(market.schedule, start, daysBetween(start, end) + 1).map((day) => ({
      vendorId,
      marketId: market.id,
      date: day.date,
      opensAt: zonedInstant(day.date, day.opensAt, market.timezone),
      closesAt: zonedInstant(day.date, day.closesAt, market.timezone),
    }));
  });
}
