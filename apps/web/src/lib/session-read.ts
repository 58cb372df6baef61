/**
 * Reading the session without side effects, for the browser (lib/session wraps it and keeps the
 * CSRF token) and for server components (which prefetch it with ./server-fetch).
 */
import type { MemberRole, Session } from '@marketprep/contracts';

import { ApiError, fetchApi } from './api-client';
import { sessionShape } from './api-shapes';

/** Query key of the session. */
export const sessionQueryKey = ['session'] as const;

/** `GET /v1/auth/session`: the session, or null when nobody is signed in (401). */
export async function readSession({
  signal,
  fetchImpl,
}: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {}): Promise<Session | null> {
  try {
    const { data } = await fetchApi({
      path: '/v1/auth/session',
      schema: sessionShape,
      ...(signal && { signal }),
      ...(fetchImpl && { fetchImpl }),
    });
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Derives roles from a session (pure, for tests and the hook). */
export function describeSession(session: Session | null): {
  role: MemberRole | null;
  vendorName: string | null;
} {
  const active = session?.memberships.find((m) => m.vendorId === session.activeVendorId);
  return { role: active?.role ?? null, vendorName: active?.vendorName ?? null };
}
