'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';

const RESULTS: Record<string, { tone: 'success' | 'error'; text: string }> = {
  connected: {
    tone: 'success',
    text: 'Square is connected. Your sales history is coming in now; you can follow it below.',
  },
  denied: { tone: 'error', text: 'Square was not connected: the permission was declined.' },
  error: { tone: 'error', text: 'Square could not be connected. Please try again.' },
  'in-use': {
    tone: 'error',
    text: 'This Square account is already connected to another MarketPrep business.',
  },
};

/** The outcome of the OAuth round trip (`?square=` set by the API's callback). */
export function ConnectResult() {
  const result = useSearchParams().get('square');
  const shown = result ? RESULTS[result] : undefined;
  if (!shown) return null;
  return (
    <div
      className={`notice ${shown.tone === 'success' ? 'notice--success' : 'notice--error'}`}
      role={shown.tone === 'success' ? 'status' : 'alert'}
    >
      <p>{shown.text}</p>
      {shown.tone === 'success' && (
        <p>
          <Link href="/onboarding?step=markets">Continue setup: confirm your markets</Link>
        </p>
      )}
    </div>
  );
}
