import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';

import { marketsQueryOptions } from '../../../features/markets/markets.api';
import { vendorSettingsQueryOptions } from '../../../features/vendor-settings/vendor-settings.api';
import { describeSession } from '../../../lib/session-read';
import { getServerSession, prefetchedState, serverFetch } from '../../../lib/server-fetch';
import {
  recentImportsQueryOptions,
  unreadAlertsQueryOptions,
  upcomingDaysQueryOptions,
} from './dashboard.api';
import { Dashboard } from './dashboard';

export const metadata: Metadata = { title: 'Dashboard' };

/** Renders with its data: the first HTML shows the market days, alerts and markets. */
export default async function DashboardPage() {
  const fetchImpl = serverFetch;
  const state = await prefetchedState(async (queryClient) => {
    const session = await getServerSession().catch(() => null);
    if (session?.activeVendorId == null) return; // the create-a-business form needs no data
    const owner = describeSession(session).role === 'OWNER';
    await Promise.all([
      queryClient.prefetchQuery(upcomingDaysQueryOptions({ fetchImpl })),
      queryClient.prefetchQuery(unreadAlertsQueryOptions({ fetchImpl })),
      queryClient.prefetchQuery(marketsQueryOptions({ fetchImpl })),
      queryClient.prefetchQuery(vendorSettingsQueryOptions({ fetchImpl })),
      owner && queryClient.prefetchQuery(recentImportsQueryOptions({ fetchImpl })),
    ]);
  });
  return (
    <HydrationBoundary state={state}>
      <Dashboard />
    </HydrationBoundary>
  );
}
