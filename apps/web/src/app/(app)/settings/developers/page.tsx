'use client';

import { RequireRole } from '../../../../components/require-role';
import { DevelopersScreen } from '../../../../features/developers/developers-screen';

/** Settings › Developers: owners only (an endpoint receives the business's data). */
export default function DevelopersPage() {
  return (
    <RequireRole role="owner">
      <title>Developers · MarketPrep</title>
      <DevelopersScreen />
    </RequireRole>
  );
}
