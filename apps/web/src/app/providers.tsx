'use client';

import { isServer, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { shouldRetryQuery } from '../lib/api-client';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Markets and prep lists change a few times a day, not a second: one minute of freshness
        // spares the API a refetch on every navigation and window focus.
        staleTime: 60_000,
        retry: shouldRetryQuery,
        // Offline at the stall, a read still goes out once so the service worker can answer it
        // from its copy (the default 'online' mode would pause it and show loading forever).
        networkMode: 'offlineFirst',
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/**
 * The server renders each request with a fresh client (no cache shared between vendors); the
 * browser keeps one client for the whole session. A module-level singleton rather than `useState`,
 * so a render that suspends before mounting does not throw the cache away.
 */
function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

/** Client-side context for the whole app: TanStack Query. */
export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
