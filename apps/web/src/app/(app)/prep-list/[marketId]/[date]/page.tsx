import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { OfflineSupport } from '../../../../../features/offline/offline-support';
import {
  PRODUCT_CATEGORIES_PATH,
  prepListPath,
  prepListQueryOptions,
  productCategoriesQueryOptions,
} from '../../../../../features/prep-list/prep-list.api';
import { PrepListView } from '../../../../../features/prep-list/prep-list-view';
import { isMarketDayParams } from '../../../../../features/prep-list/route-params';
import { JsonHydrationBoundary } from '../../../../../lib/json-hydration-boundary';
import { prefetchedState, serverFetch } from '../../../../../lib/server-fetch';
import '../../../../../features/prep-list/prep-list.css';

export const metadata: Metadata = { title: 'Prep list', manifest: '/manifest.webmanifest' };

export default async function PrepListPage({
  params,
}: {
  params: Promise<{ marketId: string; date: string }>;
}) {
  const { marketId, date } = await params;
  if (!isMarketDayParams({ marketId, date })) notFound();
  // The list arrives in the HTML; the browser keeps refreshing it (and reads the offline copy).
  // It goes as a JSON string (plain data, ~30 KB: cheaper to decode); the categories are a Map.
  const [listState, categoriesState] = await Promise.all([
    prefetchedState((queryClient) =>
      queryClient.prefetchQuery(prepListQueryOptions(marketId, date, { fetchImpl: serverFetch })),
    ),
    prefetchedState((queryClient) =>
      queryClient.prefetchQuery(productCategoriesQueryOptions({ fetchImpl: serverFetch })),
    ),
  ]);
  return (
    <>
      <OfflineSupport apiReads={[prepListPath(marketId, date), PRODUCT_CATEGORIES_PATH]} />
      <HydrationBoundary state={categoriesState}>
        <JsonHydrationBoundary json={JSON.stringify(listState)}>
          <PrepListView marketId={marketId} date={date} />
        </JsonHydrationBoundary>
      </HydrationBoundary>
    </>
  );
}
