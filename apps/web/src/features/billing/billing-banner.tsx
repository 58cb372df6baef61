'use client';

import { usePathname } from 'next/navigation';

import { AppLink } from '../../components/app-link';
import { useSession } from '../../lib/session';
import { bannerOf, useBillingStatus } from './billing.api';

/**
 * The billing banner above every business page: days left in the trial, a failed payment with
 * the grace period, or read-only. Owners get the link to act; staff are told to ask an owner.
 */
export function BillingBanner() {
  const pathname = usePathname();
  const { isOwner } = useSession();
  const query = useBillingStatus();
  if (!query.data || pathname.startsWith('/settings/billing')) return null;
  const banner = bannerOf(query.data, new Date());
  if (!banner) return null;
  return (
    <div
      className={`notice billing-banner notice--${banner.tone === 'error' ? 'error' : banner.tone === 'warning' ? 'warning' : 'info'}`}
      role="status"
    >
      <p>
        {banner.text}{' '}
        {isOwner ? (
          <AppLink href="/settings/billing">{banner.action}</AppLink>
        ) : (
          'An owner of the business can fix this in Settings → Billing.'
        )}
      </p>
    </div>
  );
}
