/**
 * The signed-in app's navigation, in display order. Each area adds its own entries here (one line
 * each); the shell hides entries the signed-in person may not open.
 */

/** One navigation entry. */
export interface NavItem {
  href: string;
  label: string;
  /** A one-character glyph shown above the label in the mobile bottom bar. */
  icon: string;
  /** Shown only to owners of the active business (staff also get a 403 screen on the page). */
  ownerOnly?: boolean;
  /** Shown only to platform admins. */
  adminOnly?: boolean;
  /** Also in the mobile bottom bar (keep it to four or five entries). */
  primary?: boolean;
}

/** Every navigation entry of the signed-in app. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/dashboard', label: 'Dashboard', icon: '⌂', primary: true },
  // Prep list, check-in and insights entries go here (their area adds them).
  { href: '/prep-list', label: 'Prep list', icon: '☰', primary: true },
  { href: '/check-in', label: 'Check-in', icon: '✓', primary: true },
  { href: '/insights', label: 'Insights', icon: '▤' },
  { href: '/products', label: 'Products', icon: '▦' },
  { href: '/markets', label: 'Markets', icon: '⚑' },
  { href: '/settings', label: 'Settings', icon: '⚙', primary: true },
  { href: '/admin', label: 'Admin', icon: '♥', adminOnly: true },
];

/** The entries a person may see: owner-only ones for owners, admin ones for platform admins. */
export function visibleNavItems(
  items: readonly NavItem[],
  { isOwner, isPlatformAdmin }: { isOwner: boolean; isPlatformAdmin: boolean },
): NavItem[] {
  return items.filter(
    (item) => (!item.ownerOnly || isOwner) && (!item.adminOnly || isPlatformAdmin),
  );
}

/** Whether `pathname` is inside the entry `href` (so /settings/team highlights Settings). */
export function isActivePath(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
