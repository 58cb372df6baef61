/**
 * Server components' way to the API: `serverFetch` is a `fetch` for `fetchApi`'s `fetchImpl` that
 * sends a same-origin path (`/v1/...`) straight to API_URL with the visitor's cookies, so a page's
 * first HTML already holds its data (no second round trip after hydration, nothing to swap in),
 * and `prefetchedState` renders the queries a page prefetched into what `<HydrationBoundary>`
 * takes. A prefetch that fails, or is not done within the budget, is left out: the browser then
 * asks itself, showing the screen's own loading and error states, as it did before.
 */
import { dehydrate, QueryClient } from '@tanstack/react-query';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';

import { loadServerEnv } from '../env';
import { readSession } from './session-read';

/** The session cookie the API sets. */
export const SESSION_COOKIE = 'mp_session';

/** Longest wait for one API read from the server (a read past the budget runs on, unused). */
const SERVER_FETCH_TIMEOUT_MS = 20_000;

/**
 * How long a page's HTML waits for its data. There is no streamed loading state in front of the
 * signed-in pages (it would be painted first and swapped, delaying the real content behind the
 * scripts on a slow phone), so this bounds the blank wait: normal reads take tens of milliseconds;
 * a first prep list that has to train a model takes seconds and is better shown as the screen's
 * skeleton, fetched by the browser.
 */
export const PREFETCH_BUDGET_MS = 1_000;

let apiUrl: string | undefined;

/** `fetch` for server components: the API path to API_URL, with the visitor's cookies. */
export async function serverFetch(input: string | URL | Request, init: RequestInit = {}) {
  apiUrl ??= loadServerEnv().API_URL;
  const incoming = await headers();
  const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(path, `${apiUrl}/`);
  const forwarded = new Headers(init.headers);
  const cookie = incoming.get('cookie');
  if (cookie) forwarded.set('cookie', cookie);
  // The API trusts X-Forwarded-For from loopback; per-IP limits then see the visitor, not us.
  const forwardedFor = incoming.get('x-forwarded-for');
  if (forwardedFor) forwarded.set('x-forwarded-for', forwardedFor);
  const timeout = AbortSignal.timeout(SERVER_FETCH_TIMEOUT_MS);
  return fetch(url, {
    ...init,
    headers: forwarded,
    cache: 'no-store',
    signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
  });
}

/** Whether the request carries a session cookie at all (without one every read answers 401). */
export async function hasSessionCookie(): Promise<boolean> {
  return (await cookies()).has(SESSION_COOKIE);
}

/**
 * A per-request query client for prefetching: no retries (a failed read is left to the browser,
 * which retries with its own policy, rather than holding the page's HTML back).
 */
export function serverQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } });
}

/** The visitor's session (null when signed out), read once per request however often it is asked. */
export const getServerSession = cache(async () => {
  if (!(await hasSessionCookie())) return null;
  return readSession({ fetchImpl: serverFetch });
});

/** Waits for `work`, but no longer than `budgetMs` (never rejects). */
export async function withinBudget(work: Promise<unknown>, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs `prefetch` (its `prefetchQuery` calls) on a fresh per-request client and returns the
 * dehydrated state of the queries that succeeded within the budget; nothing is asked without a
 * session cookie.
 */
export async function prefetchedState(
  prefetch: (queryClient: QueryClient) => Promise<unknown>,
  budgetMs = PREFETCH_BUDGET_MS,
) {
  const queryClient = serverQueryClient();
  if (await hasSessionCookie()) await withinBudget(prefetch(queryClient), budgetMs);
  return dehydrate(queryClient);
}
