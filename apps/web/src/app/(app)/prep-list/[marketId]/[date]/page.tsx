import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { OfflineSupport } from '../../../../../features/offline/offline-support';
import { PrepListView } from '../../../../../features/prep-list/prep-list-view';
import { isMarketDayParams } from '../../../../../features/prep-list/route-params';
import '../../../../../features/prep-list/prep-list.css';

export const metadata: Metadata = { title: 'Prep list', manifest: '/manifest.webmanifest' };

export default async function PrepListPage({
  params,
}: {
  params: Promise<{ marketId: string; date: string }>;
}) {
  const { marketId, date } = await params;
  if (!isMarketDayParams({ marketId, date })) notFound();
  return (
    <>
      <OfflineSupport />
      <PrepListView marketId={marketId} date={date} />
    </>
  );
}
