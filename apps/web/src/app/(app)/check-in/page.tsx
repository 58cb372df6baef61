import type { Metadata } from 'next';

import { OfflineSupport } from '../../../features/offline/offline-support';
import { MarketDayPicker } from '../../../features/prep-list/market-day-picker';
import '../../../features/prep-list/prep-list.css';

export const metadata: Metadata = { title: 'Check-in', manifest: '/manifest.webmanifest' };

export default function CheckInIndexPage() {
  return (
    <>
      <OfflineSupport />
      <div className="page-header">
        <h1>Pack-up check-in</h1>
        <p className="page-header__lede">
          After the market: what is left, wasted and given away. Works without signal too.
        </p>
      </div>
      <MarketDayPicker target="check-in" />
    </>
  );
}
