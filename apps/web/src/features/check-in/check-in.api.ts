/** The check-in of one market day over the API (the service worker keeps a copy for offline). */
import { CheckInSchema, type CheckIn } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { ApiError, fetchApi, notAMarketDayOf } from '../../lib/api-client';

/** `/v1/markets/:marketId/check-ins/:date`. */
export function checkInPath(marketId: string, date: string): string {
  return `/v1/markets/${encodeURIComponent(marketId)}/check-ins/${encodeURIComponent(date)}`;
}

/** Query key of one check-in. */
export function checkInQueryKey(marketId: string, date: string) {
  return ['check-in', marketId, date] as const;
}

/** The check-in form, prefilled by the API; asked for even offline (the service worker answers). */
export function checkInQueryOptions(marketId: string, date: string) {
  return queryOptions({
    queryKey: checkInQueryKey(marketId, date),
    networkMode: 'always',
    // Never refetched behind the vendor's back (it would reset the form); a send invalidates it.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: async ({ signal }): Promise<CheckIn> =>
      (await fetchApi({ path: checkInPath(marketId, date), schema: CheckInSchema, signal })).data,
  });
}

/** Why the API will not take a check-in for a day, in the words it gave. */
export interface CheckInRefusal {
  title: string;
  /** The API's reason (problem `detail`), e.g. "Maplewood is closed on Tuesdays; its next market day is Sun, Dec 6." */
  reason: string;
  /** For a date that is not a market day: the market days either side, as the API named them. */
  previousMarketDate: string | null;
  nextMarketDate: string | null;
}

/**
 * A refusal of the day itself: 404 (not a market day: off the schedule, out of season, or not
 * this business's market) or 409 (the market day was cancelled). Null for other failures, which
 * the generic error state explains.
 */
export function describeCheckInRefusal(error: unknown): CheckInRefusal | null {
  if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 409)) return null;
  const cancelled = error.status === 409;
  const notAMarketDay = notAMarketDayOf(error);
  return {
    previousMarketDate: notAMarketDay?.previousMarketDate ?? null,
    nextMarketDate: notAMarketDay?.nextMarketDate ?? null,
    title: cancelled ? 'This market day was cancelled' : 'No market that day',
    reason:
      error.problem?.detail ??
      (cancelled
        ? 'There is nothing to check in for a cancelled market day.'
        : 'This market has no market day on that date.'),
  };
}
