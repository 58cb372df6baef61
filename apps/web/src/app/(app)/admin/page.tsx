import type { Metadata } from 'next';

import { RequireRole } from '../../../components/require-role';
import { BillingOverview } from './billing-overview';
import { HealthDashboard } from './health-dashboard';

export const metadata: Metadata = { title: 'Admin health' };

export default function AdminPage() {
  return (
    <RequireRole role="admin">
      <HealthDashboard />
      <BillingOverview />
    </RequireRole>
  );
}
