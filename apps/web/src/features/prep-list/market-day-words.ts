import { opensOn, type OpeningDates } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';

import { formatClockRange } from '../../lib/format';
import { marketDaysQueryOptions, marketsQueryOptions } from '../markets/markets.api';

/** The fields of a stored market day the prep list reads. */
interface DayHours {
  opensAt: string | null;
  closesAt: string | null;
  notes: string | null;
}

/**
 * A market day's hours and note as the prep list's header says them, for whoever packs the van:
 * `"3:00–7:00 PM · Holiday market"` for a one-off evening market, `"9:00 AM–1:00 PM"` for a
 * Saturday on the schedule's hours (a day stored without hours keeps the schedule's), null when
 * neither is known yet (still loading, offline).
 */
export function marketDayWords(
  date: string,
  day: DayHours | undefined,
  schedule: readonly (OpeningDates & { opensAt: string; closesAt: string })[] | undefined,
): string | null {
  const opening = schedule?.find((entry) => opensOn(entry, date));
  const hours =
    day?.opensAt && day.closesAt
      ? formatClockRange(day.opensAt, day.closesAt)
      : opening
        ? formatClockRange(opening.opensAt, opening.closesAt)
        : null;
  const note = day?.notes?.trim() || null;
  const words = [hours, note].filter((part): part is string => part !== null);
  return words.length > 0 ? words.join(' · ') : null;
}

/** {@link marketDayWords} of one market day, from the cached markets and the day's stored row. */
export function useMarketDayWords(marketId: string, date: string): string | null {
  const markets = useQuery(marketsQueryOptions());
  const days = useQuery(marketDaysQueryOptions(marketId, { from: date, to: date }));
  const schedule = markets.data?.markets.find((market) => market.id === marketId)?.schedule;
  return marketDayWords(
    date,
    days.data?.find((day) => day.date === date),
    schedule,
  );
}
