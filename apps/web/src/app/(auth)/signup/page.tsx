import type { Metadata } from 'next';
import { Suspense } from 'react';

import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { SignupForm } from './signup-form';

export const metadata: Metadata = { title: 'Create an account' };

export default function SignupPage() {
  return (
    <Suspense fallback={<LoadingSkeleton />}>
      <SignupForm />
    </Suspense>
  );
}
