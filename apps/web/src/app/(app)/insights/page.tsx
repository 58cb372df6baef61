import type { Metadata } from 'next';

import { InsightsView } from '../../../features/insights/insights-view';
import { OfflineSupport } from '../../../features/offline/offline-support';
import '../../../features/prep-list/prep-list.css';
import '../../../features/insights/insights.css';

export const metadata: Metadata = { title: 'Insights', manifest: '/manifest.webmanifest' };

export default function InsightsPage() {
  return (
    <>
      <OfflineSupport />
      <InsightsView />
    </>
  );
}
