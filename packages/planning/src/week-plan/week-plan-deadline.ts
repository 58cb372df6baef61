import { zonedInstant } from '../local-time';

/** When a product's quantities for a market day must be decided ("dough the evening before at 20:00"). */
export interface DecisionDeadline {
  /** Days before the market date (0 = the market day itself). */
  daysBefore: number;
  /** Local wall-clock time, HH:MM (24 h), in the market's time zone. */
  time: string;
}

/** Used when the owner set nothing: the evening before at 18:00. */
export const DEFAULT_DECISION_DEADLINE: DecisionDeadline = { daysBefore: 1, time: '18:00' };

/** How long before a deadline its reminder goes out. */
export const DEADLINE_REMINDER_LEAD_MS = 3 * 3_600_000;

/** The local date `days` before `date` (YYYY-MM-DD; calendar arithmetic, no time zone needed). */
export function shiftDate(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() - days);
  return at.toISOString().slice(0, 10);
}

/**
 * The instant of a product's decision deadline for a market date, in the market's time zone (a
 * DST change between the deadline and the market moves nothing: the wall clock is what counts).
 */
export function decisionDeadlineAt(options: {
  marketDate: string;
  timeZone: string;
  deadline: DecisionDeadline;
}): Date {
  const { marketDate, timeZone, deadline } = options;
  return zonedInstant(shiftDate(marketDate, deadline.daysBefore), deadline.time, timeZone);
}

/** Whether a reminder for a deadline is due at `now`: within the lead time, deadline not yet passed. */
export function reminderDue(deadline: Date, now: Date): boolean {
  const left = deadline.getTime() - now.getTime();
  return left > 0 && left <= DEADLINE_REMINDER_LEAD_MS;
}
