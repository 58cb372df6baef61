import { MarketDaysRepository, type TenantTransaction } from '@marketprep/db';
import {
  addDays,
  localDate,
  PLANNING_HORIZON_DAYS,
  scheduledDates,
  zonedInstant,
  type WeeklyOpening,
} from '@marketprep/planning';

/**
 * Brings a market's upcoming days in line with its weekly schedule, in the caller's transaction:
 * - every date the new schedule opens in the next 8 weeks (from the market's today) gets a
 *   SCHEDULED day (idempotent: one day per market and date);
 * - from tomorrow on, days the old schedule had put there but the new one does not are withdrawn
 *   (deleted, or CANCELLED when a prep list or check-in refers to them); one-off days stay;
 * - days of dates both schedules open keep their status and get the new times, unless their times
 *   had been changed by hand.
 */
export async function syncMarketCalendar(
  tx: TenantTransaction,
  options: {
    vendorId: string;
    marketId: string;
    timezone: string;
    oldSchedule: WeeklyOpening[];
    oldTimezone?: string;
    newSchedule: WeeklyOpening[];
    now: Date;
  },
): Promise<void> {
  const today = localDate(options.now, options.timezone);
  const repo = new MarketDaysRepository(tx);
  const oldTimezone = options.oldTimezone ?? options.timezone;
  const before = new Map(
    scheduledDates(options.oldSchedule, today, PLANNING_HORIZON_DAYS).map((d) => [d.date, d]),
  );
  const after = new Map(
    scheduledDates(options.newSchedule, today, PLANNING_HORIZON_DAYS).map((d) => [d.date, d]),
  );
  const tomorrow = addDays(today, 1);

  const withdrawn = [...before.keys()].filter((date) => date >= tomorrow && !after.has(date));
  await repo.withdrawMarketDays(options.marketId, withdrawn);

  for (const [date, next] of after) {
    const previous = before.get(date);
    if (!previous || date < tomorrow) continue;
    const from = {
      opensAt: zonedInstant(date, previous.opensAt, oldTimezone),
      closesAt: zonedInstant(date, previous.closesAt, oldTimezone),
    };
    const to = {
      opensAt: zonedInstant(date, next.opensAt, options.timezone),
      closesAt: zonedInstant(date, next.closesAt, options.timezone),
    };
    if (
      from.opensAt.getTime() === to.opensAt.getTime() &&
      from.closesAt.getTime() === to.closesAt.getTime()
    ) {
      continue;
    }
    await repo.retimeMarketDay(options.marketId, date, from, to);
  }

  await repo.ensureMarketDays(
    [...after.values()].map((d) => ({
      vendorId: options.vendorId,
      marketId: options.marketId,
      date: d.date,
      opensAt: zonedInstant(d.date, d.opensAt, options.timezone),
      closesAt: zonedInstant(d.date, d.closesAt, options.timezone),
    })),
  );
}
