import type { Metadata } from 'next';

import { OfflineSupport } from '../../../features/offline/offline-support';
import { MarketDayPicker } from '../../../features/prep-list/market-day-picker';
import '../../../features/prep-list/prep-list.css';

export const metadata: Metadata = { title: 'Prep list', manifest: '/manifest.webmanifest' };

export default function PrepListIndexPage() {
  return (
    <>
      <OfflineSupport />
      <div className="page-header">
        <h1>Prep list</h1>
        <p className="page-header__lede">
          How much of each product to bring. Pick a market day; the next one is first.
        </p>
      </div>
      <MarketDayPicker target="prep-list" />
    </>
  );
}
