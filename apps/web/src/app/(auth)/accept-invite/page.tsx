import type { Metadata } from 'next';
import { Suspense } from 'react';

import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { AcceptInvite } from './accept-invite';

export const metadata: Metadata = { title: 'Accept invitation' };

export default function AcceptInvitePage() {
  return (
    <Suspense fallback={<LoadingSkeleton />}>
      <AcceptInvite />
    </Suspense>
  );
}
