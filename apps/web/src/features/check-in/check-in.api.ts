/** The check-in of one market day over the API (the service worker keeps a copy for offline). */
import { CheckInSchema, type CheckIn } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';

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
