/**
 * Reading the vendor's markets: the fetch, its query key and the TanStack Query options that the
 * list (and later the prep list and insights) share.
 */
import { MarketListSchema, type Market } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';

/** The header the API sets while it serves the built-in demo vendor. */
export const DEMO_HEADER = 'x-marketprep-demo';

/** The vendor's markets, and whether they are demo data. */
export interface MarketsResult {
  markets: Market[];
  demo: boolean;
}

/** `GET /v1/markets`, parsed with `MarketListSchema`. */
export async function fetchMarkets({
  signal,
  fetchImpl,
}: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {}): Promise<MarketsResult> {
  const { data, headers } = await fetchApi({
    path: '/v1/markets',
    schema: MarketListSchema,
    ...(signal && { signal }),
    ...(fetchImpl && { fetchImpl }),
  });
  return { markets: data.data, demo: headers.get(DEMO_HEADER) === '1' };
}

/** Query key root of everything about markets. */
export const marketsQueryKey = ['markets'] as const;

/** Query options for the market list: `useQuery(marketsQueryOptions())`. */
export function marketsQueryOptions() {
  return queryOptions({
    queryKey: marketsQueryKey,
    queryFn: ({ signal }) => fetchMarkets({ signal }),
  });
}
