'use client';

import { HydrationBoundary, type DehydratedState } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';

/**
 * `<HydrationBoundary>` for prefetched state sent as one JSON string. The RSC payload decoder
 * revives an object prop value by value in JavaScript (for a prep list's ~30 KB, tens of
 * milliseconds of a phone's start-up, in one task); a long string arrives as-is and `JSON.parse`
 * reads it natively. Only for state that is plain JSON (no Map, Date or undefined in the data).
 */
export function JsonHydrationBoundary({ json, children }: { json: string; children: ReactNode }) {
  const state = useMemo(() => JSON.parse(json) as DehydratedState, [json]);
  return <HydrationBoundary state={state}>{children}</HydrationBoundary>;
}
