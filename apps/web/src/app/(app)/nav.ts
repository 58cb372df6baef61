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
  /**
   * A page of the active business (it can only error without one): not offered to an operator
   * who has no business, who gets Admin and their account instead.
   */
  business?: boolean;
  /** Also in the mobile bottom bar (keep it to four or five entries). */
  primary?: boolean;
}

/** Every navigation entry of the signed-in app. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/dashboard', label: 'Dashboard', icon: '⌂', primary: true, business: true },
  // Prep list, check-in and insights entries go here (their area adds them).
  { href: '/prep-list', label: 'Prep list', icon: '☰', primary: true, business: true },
  { href: '/check-in', label: 'Check-in', icon: '✓', primary: true, business: true },
  { href: '/week', label: 'This week', icon: '▥', business: true },
  { href: '/insights', label: 'Insights', icon: '▤', business: true },
  { href: '/products', label: 'Products', icon: '▦', business: true },
  { href: '/markets', label: 'Markets', icon: '⚑', business: true },
  { href: '/settings', label: 'Settings', icon: '⚙', primary: true },
  { href: '/admin', label: 'Admin', icon: '♥', adminOnly: true, primary: true },
];

/** Who is looking: their role in the active business and whether they operate the platform. */
export interface NavViewer {
  isOwner: boolean;
  isPlatformAdmin: boolean;
  /** Whether the session has an active business. */
  hasBusiness: boolean;
}

/** An operator without a business: the business pages would only error for them. */
export function isOperatorWithoutBusiness({ isPlatformAdmin, hasBusiness }: NavViewer): boolean {
  return isPlatformAdmin && !hasBusiness;
}

/**
 * The entries a person may see: owner-only ones for owners, admin ones for platform admins, and
 * for an operator without a business no business pages (Admin and Settings remain).
 */
export function visibleNavItems(items: readonly NavItem[], viewer: NavViewer): NavItem[] {
  const operatorOnly = isOperatorWithoutBusiness(viewer);
  return items.filter(
    (item) =>
      (!item.ownerOnly || viewer.isOwner) &&
      (!item.adminOnly || viewer.isPlatformAdmin) &&
      !(item.business && operatorOnly),
  );
}

/** Where the brand link and a business page take an operator without a business: Admin. */
export function homePathOf(viewer: NavViewer): string {
  return isOperatorWithoutBusiness(viewer) ? '/admin' : '/dashboard';
}

/**
 * Whether `pathname` is a business page an operator without a business is sent away from (to
 * {@link homePathOf}): a page of a `business` entry or below it.
 */
export function isBusinessPath(items: readonly NavItem[], pathname: string): boolean {
  return items.some((item) => item.business && isActivePath(pathname, item.href));
}

/** Whether `pathname` is inside the entry `href` (so /settings/team highlights Settings). */
export function isActivePath(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
