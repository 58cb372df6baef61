'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

import { useSession } from '../../../lib/session';

const SECTIONS = [
  { href: '/settings', label: 'Account' },
  { href: '/settings/integrations', label: 'Square' },
  { href: '/settings/notifications', label: 'Notifications' },
  { href: '/settings/alerts', label: 'Alerts' },
  { href: '/settings/team', label: 'Team', ownerOnly: true },
  { href: '/settings/api-tokens', label: 'API tokens', ownerOnly: true },
  { href: '/settings/developers', label: 'Developers', ownerOnly: true },
  { href: '/settings/billing', label: 'Billing' },
  { href: '/settings/activity', label: 'Activity', ownerOnly: true },
  { href: '/settings/data', label: 'Your data' },
] as const;

/** The section a path belongs to: its own page or one under it (Square's mapping screen). */
function isCurrent(pathname: string, href: string): boolean {
  return href === '/settings'
    ? pathname === href
    : pathname === href || pathname.startsWith(`${href}/`);
}

/** Settings with a section list; owner-only sections are hidden from staff. */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const { isOwner } = useSession();
  return (
    <>
      <nav className="sub-nav" aria-label="Settings sections">
        <ul className="sub-nav__list">
          {SECTIONS.filter((s) => !('ownerOnly' in s) || isOwner).map((section) => (
            <li key={section.href}>
              <Link
                href={section.href}
                className="sub-nav__link"
                aria-current={isCurrent(pathname, section.href) ? 'page' : undefined}
              >
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </>
  );
}
