import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { CheckInView } from '../../../../../features/check-in/check-in-view';
import { OfflineSupport } from '../../../../../features/offline/offline-support';
import { isMarketDayParams } from '../../../../../features/prep-list/route-params';
import '../../../../../features/prep-list/prep-list.css';

export const metadata: Metadata = { title: 'Check-in', manifest: '/manifest.webmanifest' };

export default async function CheckInPage({
  params,
}: {
  params: Promise<{ marketId: string; date: string }>;
}) {
  const { marketId, date } = await params;
  if (!isMarketDayParams({ marketId, date })) notFound();
  return (
    <>
      <OfflineSupport />
      <CheckInView marketId={marketId} date={date} />
    </>
  );
}
