'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';

import { countUnanswered } from '../../../../features/square/square-mapping';
import { useSquareMapping, useSquareStatus } from '../../../../features/square/square.api';
import { formatQuantity } from '../../../../lib/format';

const FAILURES: Record<string, string> = {
  denied: 'Square was not connected: the permission was declined.',
  error: 'Square could not be connected. Please try again.',
  'in-use': 'This Square account is already connected to another MarketPrep business.',
};

const count = (quantity: number, noun: string) =>
  formatQuantity(quantity, noun, quantity.toLocaleString('en-US'));

/**
 * The sales history coming in after a connect or a saved mapping: "coming in" while the backfill
 * runs (or waits for the worker), "History complete: N orders, M sale lines" once it has ended.
 */
function HistoryNotice({ result }: { result: 'connected' | 'mapped' }) {
  const status = useSquareStatus();
  const sync = status.data?.sync;
  if (!status.data?.connected) return null;
  const done = sync?.mode === 'backfill' && !sync.running;
  const first = result === 'connected' ? 'Square is connected.' : 'Your answers are saved.';
  return (
    <div className="notice notice--success" role="status">
      <p>
        {done
          ? `History complete: ${count(sync.ordersSoFar, 'order')}, ${count(sync.linesWritten, 'sale line')}.`
          : `${first} Your sales history is coming in now; you can follow it below.`}
      </p>
      {result === 'connected' && (
        <p>
          <Link href="/onboarding?step=markets">Continue setup: confirm your markets</Link>
        </p>
      )}
    </div>
  );
}

/**
 * Right after the OAuth round trip: with Square locations or items not matched yet, the mapping
 * screen comes first (their sales would not count); otherwise the history notice.
 */
function Connected() {
  const router = useRouter();
  const status = useSquareStatus();
  const mapping = useSquareMapping(status.data?.connected === true);
  const open = mapping.data ? countUnanswered(mapping.data) : null;
  const needsMapping = open !== null && open.locations + open.variations > 0;
  useEffect(() => {
    if (needsMapping) router.replace('/settings/integrations/mapping?connected=1');
  }, [needsMapping, router]);
  // Until the mapping is known (or could not be read), say nothing that might be wrong.
  if (needsMapping || (mapping.isPending && status.data?.connected)) return null;
  return <HistoryNotice result="connected" />;
}

/** The outcome of the OAuth round trip (`?square=` set by the API's callback) or of a mapping save. */
export function ConnectResult() {
  const result = useSearchParams().get('square');
  if (result === 'connected') return <Connected />;
  if (result === 'mapped') return <HistoryNotice result="mapped" />;
  const failure = result ? FAILURES[result] : undefined;
  if (!failure) return null;
  return (
    <div className="notice notice--error" role="alert">
      <p>{failure}</p>
    </div>
  );
}
