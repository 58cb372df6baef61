import type { Session } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { pathAfterSignIn } from './auth-helpers';

const session: Session = {
  user: { id: '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b', email: 'a@b.test', name: 'A' },
  isPlatformAdmin: false,
  activeVendorId: null,
  memberships: [],
  csrfToken: 'x',
};

describe('pathAfterSignIn', () => {
  it('follows a same-origin next path', () => {
    expect(pathAfterSignIn('/settings/team', session)).toBe('/settings/team');
  });

  it('refuses to leave the site', () => {
    expect(pathAfterSignIn('//evil.test/x', session)).toBe('/dashboard');
    expect(pathAfterSignIn('https://evil.test', session)).toBe('/dashboard');
    expect(pathAfterSignIn('/\\evil.test', session)).toBe('/dashboard');
  });

  it('sends an operator without a business to the admin dashboard', () => {
    expect(pathAfterSignIn(null, { ...session, isPlatformAdmin: true })).toBe('/admin');
    expect(
      pathAfterSignIn(null, {
        ...session,
        isPlatformAdmin: true,
        memberships: [
          { vendorId: '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5c', vendorName: 'B', role: 'OWNER' },
        ],
      }),
    ).toBe('/dashboard');
  });
});
