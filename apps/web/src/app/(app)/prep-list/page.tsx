import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';

import { marketsQueryOptions } from '../../../features/markets/markets.api';
import { OfflineSupport } from '../../../features/offline/offline-support';
import { MarketDayPicker } from '../../../features/prep-list/market-day-picker';
import { prefetchedState, serverFetch } from '../../../lib/server-fetch';
import '../../../features/prep-list/prep-list.css';

export const metadata: Metadata = { title: 'Prep list', manifest: '/manifest.webmanifest' };

export default async function PrepListIndexPage() {
  const state = await prefetchedState((queryClient) =>
    queryClient.prefetchQuery(marketsQueryOptions({ fetchImpl: serverFetch })),
  );
  return (
    <>
      <OfflineSupport apiReads={['/v1/markets']} />
      <div className="page-header">
        <h1>Prep list</h1>
        <p className="page-header__lede">
          How much of each product to bring. Pick a market day; the next one is first.
        </p>
      </div>
      <HydrationBoundary state={state}>
        <MarketDayPicker target="prep-list" />
      </HydrationBoundary>
    </>
  );
}
