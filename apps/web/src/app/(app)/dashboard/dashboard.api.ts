/**
 * The dashboard's reads: query options shared by the screen (browser) and its page, which
 * prefetches them on the server with `fetchImpl: serverFetch`.
 */
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../../lib/api-client';
import { goNoGoShape, importListShape, notificationListShape } from '../../../lib/api-shapes';

type FetchOptions = { fetchImpl?: typeof fetch };

/** The next two weeks of market days with weather and expected revenue. */
export function upcomingDaysQueryOptions({ fetchImpl }: FetchOptions = {}) {
  return queryOptions({
    queryKey: ['insights', 'go-no-go', 14] as const,
    queryFn: async ({ signal }) =>
      (
        await fetchApi({
          path: '/v1/insights/go-no-go?days=14',
          schema: goNoGoShape,
          signal,
          ...(fetchImpl && { fetchImpl }),
        })
      ).data,
  });
}

/** Query key root of the notifications (a change invalidates everything under it). */
export const notificationsQueryKey = ['notifications'] as const;

/** The five newest unread alerts. */
export function unreadAlertsQueryOptions({ fetchImpl }: FetchOptions = {}) {
  return queryOptions({
    queryKey: [...notificationsQueryKey, 'unread'] as const,
    queryFn: async ({ signal }) =>
      (
        await fetchApi({
          path: '/v1/notifications?unread=true&limit=5',
          schema: notificationListShape,
          signal,
          ...(fetchImpl && { fetchImpl }),
        })
      ).data,
  });
}

/** The latest CSV imports (owners only: staff get 403). */
export function recentImportsQueryOptions({ fetchImpl }: FetchOptions = {}) {
  return queryOptions({
    queryKey: ['imports', 'recent'] as const,
    queryFn: async ({ signal }) =>
      (
        await fetchApi({
          path: '/v1/imports?limit=20',
          schema: importListShape,
          signal,
          ...(fetchImpl && { fetchImpl }),
        })
      ).data,
  });
}
