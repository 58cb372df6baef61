import type { Metadata } from 'next';

import { RequireRole } from '../../../components/require-role';
import { HealthDashboard } from './health-dashboard';

export const metadata: Metadata = { title: 'Admin health' };

export default function AdminPage() {
  return (
    <RequireRole role="admin">
      <HealthDashboard />
    </RequireRole>
  );
}
