import type { Metadata } from 'next';
import { Suspense } from 'react';

import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { Onboarding } from './onboarding';

export const metadata: Metadata = { title: 'Get set up' };

export default function OnboardingPage() {
  return (
    <Suspense fallback={<LoadingSkeleton />}>
      <Onboarding />
    </Suspense>
  );
}
