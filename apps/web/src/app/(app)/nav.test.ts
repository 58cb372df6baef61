import { describe, expect, it } from 'vitest';

import { homePathOf, isBusinessPath, NAV_ITEMS, visibleNavItems } from './nav';

const labels = (viewer: Parameters<typeof visibleNavItems>[1]) =>
  visibleNavItems(NAV_ITEMS, viewer).map((item) => item.label);

describe('navigation by who is looking', () => {
  it('offers an operator without a business Admin and Settings only, and sends them to Admin', () => {
    const operator = { isOwner: false, isPlatformAdmin: true, hasBusiness: false };
    expect(labels(operator)).toEqual(['Settings', 'Admin']);
    expect(homePathOf(operator)).toBe('/admin');
  });

  it('offers an operator with a business everything, and a vendor everything but Admin', () => {
    expect(labels({ isOwner: true, isPlatformAdmin: true, hasBusiness: true })).toEqual([
      'Dashboard',
      'Prep list',
      'Check-in',
      'This week',
      'Insights',
      'Products',
      'Markets',
      'Settings',
      'Admin',
    ]);
    const vendor = { isOwner: true, isPlatformAdmin: false, hasBusiness: true };
    expect(labels(vendor)).not.toContain('Admin');
    expect(labels(vendor)).toContain('Prep list');
    expect(homePathOf(vendor)).toBe('/dashboard');
    // A new sign-up without a business yet keeps the dashboard (it creates the business there).
    expect(labels({ isOwner: false, isPlatformAdmin: false, hasBusiness: false })).toContain(
      'Dashboard',
    );
  });

  it('knows the business pages and the pages below them', () => {
    expect(
      isBusinessPath(NAV_ITEMS, '/prep-list/6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b/2026-12-12'),
    ).toBe(true);
    expect(isBusinessPath(NAV_ITEMS, '/dashboard')).toBe(true);
    expect(isBusinessPath(NAV_ITEMS, '/settings')).toBe(false);
    expect(isBusinessPath(NAV_ITEMS, '/admin')).toBe(false);
    expect(isBusinessPath(NAV_ITEMS, '/marketsx')).toBe(false);
  });
});
