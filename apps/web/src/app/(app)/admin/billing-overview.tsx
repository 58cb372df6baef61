'use client';

import { AdminBillingSchema } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';

import { ErrorState } from '../../../components/error-state';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { formatBillingDate } from '../../../features/billing/billing.api';
import { formatMoney } from '../../../lib/format';
import { apiFetch } from '../../../lib/session';

const STATE_NAMES: Record<string, string> = {
  not_configured: 'billing off (demo)',
  trialing: 'trialing',
  trial_expired: 'trial ended',
  active: 'active',
  past_due: 'past due',
  canceled: 'canceled',
  incomplete: 'incomplete',
  unpaid: 'unpaid',
  paused: 'paused',
};

const day = (iso: string) => formatBillingDate(iso);
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The operators' billing section: MRR, businesses by plan and state, trials ending, past due. */
export function BillingOverview() {
  const query = useQuery({
    queryKey: ['admin', 'billing'],
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/admin/billing', schema: AdminBillingSchema, signal }),
  });
  return (
    <section className="section" aria-labelledby="billing-title">
      <h2 id="billing-title">Billing</h2>
      {query.isPending && <LoadingSkeleton label="Loading billing…" />}
      {query.isError && (
        <ErrorState
          title="We could not load billing"
          error={query.error}
          onRetry={() => void query.refetch()}
          headingLevel={3}
        />
      )}
      {query.data && !query.data.configured && (
        <p className="muted">Billing is not configured (no Stripe keys): nothing is limited.</p>
      )}
      {query.data?.configured && (
        <>
          <dl className="facts">
            <div className="facts__row">
              <dt>MRR</dt>
              <dd data-testid="admin-mrr">{formatMoney(query.data.mrrCents)}</dd>
            </div>
            {query.data.byPlanAndStatus.map((row) => (
              <div key={`${row.plan}-${row.status}`} className="facts__row">
                <dt>
                  {row.status === 'not_configured'
                    ? 'Demo business (not billed)'
                    : `${capitalize(row.plan)}, ${STATE_NAMES[row.status] ?? row.status}`}
                </dt>
                <dd>{row.count}</dd>
              </div>
            ))}
          </dl>
          <h3>Trials ending within 7 days</h3>
          {query.data.trialsEnding.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul>
              {query.data.trialsEnding.map((row) => (
                <li key={row.vendorId}>
                  {row.name}: {day(row.trialEndsAt)}
                </li>
              ))}
            </ul>
          )}
          <h3>Past due</h3>
          {query.data.pastDue.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul>
              {query.data.pastDue.map((row) => (
                <li key={row.vendorId}>
                  {row.name} ({capitalize(row.plan)})
                  {row.pastDueSince ? `, since ${day(row.pastDueSince)}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
