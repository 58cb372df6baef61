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

const ORIGIN = 'https://app.marketprep.test';

describe('pathAfterSignIn', () => {
  it('follows a same-origin next path, with its query and hash', () => {
    expect(pathAfterSignIn('/settings/team', session, ORIGIN)).toBe('/settings/team');
    expect(pathAfterSignIn('/prep?date=2026-11-28#bread', session, ORIGIN)).toBe(
      '/prep?date=2026-11-28#bread',
    );
  });

  it('refuses to leave the site', () => {
    expect(pathAfterSignIn('//evil.test/x', session, ORIGIN)).toBe('/dashboard');
    expect(pathAfterSignIn('https://evil.test', session, ORIGIN)).toBe('/dashboard');
    expect(pathAfterSignIn('/\\evil.test', session, ORIGIN)).toBe('/dashboard');
    expect(pathAfterSignIn('javascript:alert(1)', session, ORIGIN)).toBe('/dashboard');
  });

  it('refuses the tab and line-break spellings the browser turns into another host', () => {
    // `?next=/%09/evil.example` arrives decoded: "/\t/evil.example" opens //evil.example.
    for (const sneaky of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r/evil.example',
      '/\t\\evil.example',
      '\t//evil.example',
    ]) {
      expect(pathAfterSignIn(sneaky, session, ORIGIN), JSON.stringify(sneaky)).toBe('/dashboard');
    }
  });

  it('sends an operator without a business to the admin dashboard', () => {
    expect(pathAfterSignIn(null, { ...session, isPlatformAdmin: true }, ORIGIN)).toBe('/admin');
    expect(
      pathAfterSignIn(
        null,
        {
          ...session,
          isPlatformAdmin: true,
          memberships: [
            { vendorId: '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5c', vendorName: 'B', role: 'OWNER' },
          ],
        },
        ORIGIN,
      ),
    ).toBe('/dashboard');
  });
});
