import type { Session } from '@marketprep/contracts';

/**
 * The same-origin path `next` names, or null. Resolved with the URL parser against the app's
 * origin, as the browser will resolve it: the parser drops tabs and line breaks and reads `\` as
 * `/`, so `/\t/evil.example` (from `?next=/%09/evil.example`), `/\n/...`, `/\\evil` and
 * `//evil` all land on another host and are refused, however they are spelled.
 */
export function sameOriginPath(next: string | null, origin: string): string | null {
  if (!next?.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Where to go after signing in: a same-origin path from `?next=` (never another site), else the
 * admin dashboard for an operator without a business, else the dashboard. `origin` is the app's
 * own (`window.location.origin`).
 */
export function pathAfterSignIn(next: string | null, session: Session, origin: string): string {
  const path = sameOriginPath(next, origin);
  if (path) return path;
  if (session.isPlatformAdmin && session.memberships.length === 0) return '/admin';
  return '/dashboard';
}
