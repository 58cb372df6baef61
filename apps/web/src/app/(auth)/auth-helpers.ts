import type { Session } from '@marketprep/contracts';

/**
 * Where to go after signing in: a same-origin path from `?next=` (never another site), else the
 * admin dashboard for an operator without a business, else the dashboard.
 */
export function pathAfterSignIn(next: string | null, session: Session): string {
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) {
    return next;
  }
  if (session.isPlatformAdmin && session.memberships.length === 0) return '/admin';
  return '/dashboard';
}
