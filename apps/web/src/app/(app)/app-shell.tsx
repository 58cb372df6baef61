'use client';

import { useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';

import { AppLink } from '../../components/app-link';
import { ErrorState } from '../../components/error-state';
import { BillingBanner } from '../../features/billing/billing-banner';
import { LoadingSkeleton } from '../../components/loading-skeleton';
import { clearOfflineData } from '../../features/offline/offline-support';
import { sessionShape } from '../../lib/api-shapes';
import {
  apiFetch,
  describeWriteError,
  rememberSession,
  sessionQueryKey,
  useSession,
  type SessionState,
} from '../../lib/session';
import {
  homePathOf,
  isActivePath,
  isBusinessPath,
  isOperatorWithoutBusiness,
  NAV_ITEMS,
  visibleNavItems,
  type NavViewer,
} from './nav';

function Brand({ href }: { href: string }) {
  return (
    <AppLink href={href} className="brand">
      <span className="brand__mark" aria-hidden="true" />
      <span className="brand__name">MarketPrep</span>
    </AppLink>
  );
}

/** The business the session works in; a select when the person belongs to several. */
function BusinessSwitcher({ state }: { state: SessionState }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const session = state.session;
  if (!session || session.memberships.length === 0) return null;
  if (session.memberships.length === 1) {
    return <span className="business-name">{state.vendorName}</span>;
  }
  const switchTo = async (vendorId: string) => {
    setBusy(true);
    setError(null);
    try {
      const next = await apiFetch({
        path: '/v1/auth/active-vendor',
        method: 'POST',
        json: { vendorId },
        schema: sessionShape,
      });
      rememberSession(next);
      queryClient.setQueryData(sessionQueryKey, next);
      // Everything else belonged to the other business.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    } catch (caught) {
      setError(describeWriteError(caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="business-switcher">
      <label htmlFor="business-switcher" className="visually-hidden">
        Business
      </label>
      <select
        id="business-switcher"
        className="business-switcher__select"
        value={session.activeVendorId ?? ''}
        disabled={busy}
        onChange={(event) => void switchTo(event.currentTarget.value)}
      >
        {session.activeVendorId === null && <option value="">Choose a business</option>}
        {session.memberships.map((m) => (
          <option key={m.vendorId} value={m.vendorId}>
            {m.vendorName}
            {m.role === 'STAFF' ? ' (staff)' : ''}
          </option>
        ))}
      </select>
      {error && (
        <span role="alert" className="business-switcher__error">
          {error}
        </span>
      )}
    </div>
  );
}

function SignOutButton({ className }: { className: string }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try {
      await apiFetch({ path: '/v1/auth/logout', method: 'POST' });
    } catch {
      // Signed out already or offline: the cookie is gone or will expire; leave either way.
    }
    rememberSession(null);
    queryClient.clear();
    // A phone at the stall is often shared: the next person must not see this business's lists.
    await clearOfflineData().catch(() => undefined);
    router.replace('/login');
  };
  return (
    <button type="button" className={className} onClick={() => void signOut()} disabled={busy}>
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

/**
 * The signed-in shell: top bar (business, navigation, sign out) and a bottom bar on phones. The
 * layout around it puts the session in the query cache on the server, so it renders signed in at
 * once; without that (the API was down) it asks itself and shows a skeleton meanwhile.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const state = useSession();
  const router = useRouter();
  const pathname = usePathname();

  const signedIn = state.status === 'signed-in';
  const viewer: NavViewer = {
    isOwner: state.isOwner,
    isPlatformAdmin: state.isPlatformAdmin,
    hasBusiness: (state.session?.activeVendorId ?? null) !== null,
  };
  // An operator without a business lands on Admin rather than on pages that can only error.
  const awayFromBusiness =
    signedIn && isOperatorWithoutBusiness(viewer) && isBusinessPath(NAV_ITEMS, pathname);

  useEffect(() => {
    if (state.status === 'signed-out') {
      router.replace(`/login?next=${encodeURIComponent(pathname)}`);
    }
  }, [state.status, router, pathname]);
  useEffect(() => {
    if (awayFromBusiness) router.replace('/admin');
  }, [awayFromBusiness, router]);

  const items = visibleNavItems(NAV_ITEMS, viewer);
  const primary = items.filter((item) => item.primary);

  return (
    <>
      <header className="top-bar">
        <div className="top-bar__inner">
          <Brand href={homePathOf(viewer)} />
          {signedIn && <BusinessSwitcher state={state} />}
          {signedIn && (
            <nav className="top-nav" aria-label="Main">
              <NavLinks items={items} pathname={pathname} block="top-nav" />
              <SignOutButton className="top-nav__signout" />
            </nav>
          )}
          {signedIn && (
            <details className="menu">
              <summary className="menu__toggle">Menu</summary>
              <nav className="menu__panel" aria-label="All pages">
                <NavLinks items={items} pathname={pathname} block="menu" />
                <SignOutButton className="menu__signout" />
              </nav>
            </details>
          )}
        </div>
      </header>
      <main id="main" className="page page--app" tabIndex={-1}>
        {state.status === 'loading' && <LoadingSkeleton label="Loading your account…" />}
        {state.status === 'signed-out' && (
          <p role="status" className="muted">
            You are signed out. Taking you to the sign-in page…
          </p>
        )}
        {state.status === 'error' && (
          <ErrorState
            title="We could not check your sign-in"
            error={state.error}
            onRetry={state.refetch}
            headingLevel={1}
          />
        )}
        {awayFromBusiness && (
          <p role="status" className="muted">
            This page belongs to a business. Taking you to Admin…
          </p>
        )}
        {signedIn && !awayFromBusiness && state.session?.activeVendorId && <BillingBanner />}
        {signedIn && !awayFromBusiness && children}
      </main>
      {signedIn && primary.length > 0 && (
        <nav className="bottom-nav" aria-label="Quick">
          <ul className="bottom-nav__list">
            {primary.map((item) => (
              <li key={item.href}>
                <AppLink
                  href={item.href}
                  className="bottom-nav__link"
                  aria-current={isActivePath(pathname, item.href) ? 'page' : undefined}
                >
                  <span className="bottom-nav__icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}

/** The page links, as the top bar and the mobile menu both list them (`block`: their CSS block). */
function NavLinks({
  items,
  pathname,
  block,
}: {
  items: readonly { href: string; label: string }[];
  pathname: string;
  block: 'top-nav' | 'menu';
}) {
  return (
    <ul className={`${block}__list`}>
      {items.map((item) => (
        <li key={item.href}>
          <AppLink
            href={item.href}
            className={`${block}__link`}
            aria-current={isActivePath(pathname, item.href) ? 'page' : undefined}
          >
            {item.label}
          </AppLink>
        </li>
      ))}
    </ul>
  );
}
