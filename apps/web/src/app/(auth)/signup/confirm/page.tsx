import type { Metadata } from 'next';
import { Suspense } from 'react';

import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { ConfirmSignup } from './confirm-signup';

export const metadata: Metadata = { title: 'Confirm your account' };

export default function ConfirmSignupPage() {
  return (
    <Suspense fallback={<LoadingSkeleton />}>
      <ConfirmSignup />
    </Suspense>
  );
}
