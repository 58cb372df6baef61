import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import {
  getServerSession,
  PREFETCH_BUDGET_MS,
  serverQueryClient,
  withinBudget,
} from '../../lib/server-fetch';
import { sessionQueryKey } from '../../lib/session-read';
import { AppShell } from './app-shell';

/**
 * The signed-in area. The session is read here, on the server, so the first HTML already has the
 * shell and the page (not a skeleton waiting for a fetch after hydration); a visitor without a
 * session gets the shell's "taking you to sign-in" and the redirect at once.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const queryClient = serverQueryClient();
  await withinBudget(
    // No arguments to getServerSession: `cache` keys on them, and the page may ask for it too.
    queryClient.prefetchQuery({ queryKey: sessionQueryKey, queryFn: () => getServerSession() }),
    PREFETCH_BUDGET_MS,
  );
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <AppShell>{children}</AppShell>
    </HydrationBoundary>
  );
}
