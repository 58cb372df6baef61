/**
 * Reading the vendor's markets: the fetch, its query key and the TanStack Query options that the
 * list (and later the prep list and insights) share.
 */
import { MarketDayListSchema, type Market, type MarketDay } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';
import { marketListShape } from '../../lib/api-shapes';
import { describeMarketTimes, type MarketTimes } from './market-times';

/** The header the API sets while it serves the built-in demo vendor. */
export const DEMO_HEADER = 'x-marketprep-demo';

/** The vendor's markets, and whether they are demo data. */
export interface MarketsResult {
  markets: Market[];
  demo: boolean;
  /**
   * Per market id, its time words as of the answer (`"Tomorrow"`, `"Central Time"`): worked out
   * when the answer arrives rather than on every render. The server does it for the markets it
   * renders, so the page hydrates without building an Intl formatter (the first one a page builds
   * costs a phone tens of milliseconds). Missing ones are worked out while rendering.
   */
  times?: Record<string, MarketTimes>;
}

/** `GET /v1/markets`, shape-checked. */
export async function fetchMarkets({
  signal,
  fetchImpl,
}: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {}): Promise<MarketsResult> {
  const { data, headers } = await fetchApi({
    path: '/v1/markets',
    schema: marketListShape,
    ...(signal && { signal }),
    ...(fetchImpl && { fetchImpl }),
  });
  const now = new Date();
  return {
    markets: data.data,
    demo: headers.get(DEMO_HEADER) === '1',
    times: Object.fromEntries(
      data.data.map((market) => [market.id, describeMarketTimes(market, now)]),
    ),
  };
}

/** Query key root of everything about markets. */
export const marketsQueryKey = ['markets'] as const;

/**
 * Query options for the market list: `useQuery(marketsQueryOptions())`; a server component passes
 * `serverFetch` to prefetch it.
 */
export function marketsQueryOptions({ fetchImpl }: { fetchImpl?: typeof fetch } = {}) {
  return queryOptions({
    queryKey: marketsQueryKey,
    queryFn: ({ signal }) => fetchMarkets({ signal, ...(fetchImpl && { fetchImpl }) }),
  });
}

/** Query key root of a market's stored days (one-off days, cancellations). */
export const marketDaysQueryKey = (marketId: string) => ['market-days', marketId] as const;

/**
 * Everything a market day decides, to refetch after one is added, cancelled or restored: the
 * markets' next days, the day pickers, the dashboard, the week's plan and the prep lists.
 */
export const marketDayDependentKeys = (marketId: string) =>
  [
    marketsQueryKey,
    marketDaysQueryKey(marketId),
    ['insights'],
    ['week-plan'],
    ['prep-list'],
  ] as const;

/**
 * A market's stored days from `window.from` to `window.to` (inclusive local dates): the days its
 * schedule put on the calendar (the next 8 weeks), one-off days and cancellations.
 */
export function marketDaysQueryOptions(marketId: string, window: { from: string; to: string }) {
  return queryOptions({
    queryKey: [...marketDaysQueryKey(marketId), window.from, window.to] as const,
    enabled: marketId !== '' && window.from !== '',
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<MarketDay[]> => {
      const query = new URLSearchParams({ from: window.from, to: window.to, limit: '200' });
      const { data } = await fetchApi({
        path: `/v1/markets/${encodeURIComponent(marketId)}/market-days?${query.toString()}`,
        schema: MarketDayListSchema,
        signal,
      });
      return data.data;
    },
  });
}
