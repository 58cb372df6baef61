import type { Metadata } from 'next';
import { Suspense } from 'react';

import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { ResetPasswordForm } from './reset-password-form';

export const metadata: Metadata = { title: 'Set a new password' };

export default function ResetPasswordPage() {
  return (
    <Suspense fallback={<LoadingSkeleton />}>
      <ResetPasswordForm />
    </Suspense>
  );
}
