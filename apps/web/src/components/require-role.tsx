'use client';

import type { ReactNode } from 'react';

import { useSession } from '../lib/session';
import { ForbiddenState } from './error-state';

/**
 * Renders `children` only for owners of the active business (or platform admins with `admin`);
 * everyone else gets the 403 screen, also when they typed the address by hand.
 */
export function RequireRole({ role, children }: { role: 'owner' | 'admin'; children: ReactNode }) {
  const state = useSession();
  if (role === 'admin' && !state.isPlatformAdmin) {
    return (
      <ForbiddenState title="This page is for MarketPrep operators">
        The health dashboard is only for platform administrators.
      </ForbiddenState>
    );
  }
  if (role === 'owner' && !state.isOwner) return <ForbiddenState />;
  return <>{children}</>;
}
