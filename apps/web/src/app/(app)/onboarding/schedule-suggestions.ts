/**
 * The markets step's schedule suggestions: each imported market's weekly schedule as its sales
 * suggest it (the import report's `suggestedSchedules`), turned into schedule rows for the market
 * form and into a sentence the owner reads before confirming. Pure.
 */
import type { ImportScheduleSuggestion, Market } from '@marketprep/contracts';

import {
  formatScheduleSummary,
  type ScheduleEntry,
} from '../../../features/markets/market-schedule';

/** Hours given to a suggested market day: sales files carry dates, not opening hours. */
export const SUGGESTED_HOURS = { opensAt: '08:00', closesAt: '13:00' } as const;

const canonical = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The suggestion for each market that has no weekly schedule yet, by market id (names match
 * regardless of case and spacing; a later suggestion in `suggestions` wins). Markets that have a
 * schedule keep theirs: nothing is suggested for them.
 */
export function suggestionsForMarkets(
  markets: readonly Pick<Market, 'id' | 'name' | 'schedule'>[],
  suggestions: readonly ImportScheduleSuggestion[],
): Map<string, ImportScheduleSuggestion> {
  const byName = new Map(suggestions.map((s) => [canonical(s.market), s]));
  const result = new Map<string, ImportScheduleSuggestion>();
  for (const market of markets) {
    const suggestion = byName.get(canonical(market.name));
    if (market.schedule.length === 0 && suggestion && suggestion.weekdays.length > 0) {
      result.set(market.id, suggestion);
    }
  }
  return result;
}

/**
 * The suggestion as the market form's schedule: its openings (a weekday with its season and weeks
 * of the month), at {@link SUGGESTED_HOURS}.
 */
export function suggestedScheduleEntries(suggestion: ImportScheduleSuggestion): ScheduleEntry[] {
  return suggestion.openings.map((opening) => ({ ...opening, ...SUGGESTED_HOURS }));
}

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/**
 * What the owner reads above the prefilled schedule: `"Your sales suggest Wednesdays and Saturdays
 * 8:00 AM–1:00 PM. 26 of your 28 sale days in the last year were on those days; 2 one-off days are left
 * out. The hours are a guess: check them, then save."`
 */
export function describeSuggestion(suggestion: ImportScheduleSuggestion): string {
  const summary = formatScheduleSummary(suggestedScheduleEntries(suggestion));
  const those = suggestion.weekdays.length === 1 ? 'that day' : 'those days';
  const days =
    suggestion.matchedDays !== suggestion.saleDays
      ? `${suggestion.matchedDays.toLocaleString('en-US')} of your ${plural(suggestion.saleDays, 'sale day', 'sale days')} in the last year were on ${those}; ${plural(suggestion.strayDays, 'one-off day is', 'one-off days are')} left out.`
      : suggestion.saleDays === 1
        ? `Your one sale day in the last year was on ${those}.`
        : `All ${suggestion.saleDays.toLocaleString('en-US')} sale days in the last year were on ${those}.`;
  return `Your sales suggest ${summary}. ${days} The hours are a guess: check them, then save.`;
}
