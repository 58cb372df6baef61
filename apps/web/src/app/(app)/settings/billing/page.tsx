'use client';

import type { BillingStatus, Plan } from '@marketprep/contracts';
import { useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';

import { Button } from '../../../../components/button';
import { ErrorState } from '../../../../components/error-state';
import { FormError } from '../../../../components/field';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import {
  bannerOf,
  formatBillingDate,
  isSubscribed,
  openBillingPortal,
  startCheckout,
  useBillingStatus,
} from '../../../../features/billing/billing.api';
import '../../../../features/billing/billing.css';
import { formatMoney } from '../../../../lib/format';
import { describeWriteError, useSession } from '../../../../lib/session';

const STATE_TEXT: Record<BillingStatus['state'], string> = {
  not_configured: 'Billing is not configured',
  trialing: 'Free trial',
  trial_expired: 'Trial ended',
  active: 'Active',
  past_due: 'Payment past due',
  canceled: 'Canceled',
  incomplete: 'Incomplete',
  unpaid: 'Unpaid',
  paused: 'Paused',
};

const LIMIT_ROWS = [
  ['markets', 'Markets'],
  ['products', 'Products'],
  ['seats', 'Staff seats'],
  ['apiTokens', 'API tokens'],
  ['webhookEndpoints', 'Webhook endpoints'],
] as const;

const day = (iso: string) => formatBillingDate(iso);

function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; items: string[] } | null>(null);
  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeWriteError(caught));
      setBusy(null);
    }
  };
  return { busy, error, run };
}

function PlanCard({
  plan,
  interval,
  current,
  canChoose,
  busy,
  onChoose,
}: {
  plan: Plan;
  interval: 'month' | 'year';
  current: boolean;
  canChoose: boolean;
  busy: boolean;
  onChoose: () => void;
}) {
  const price = plan.prices.find((p) => p.interval === interval);
  const limit = (value: number | null, one: string, many: string) =>
    value === null
      ? `Unlimited ${many}`
      : value === 0
        ? `No ${many}`
        : `${value} ${value === 1 ? one : many}`;
  return (
    <li className="card plan-card" aria-labelledby={`plan-${plan.id}`}>
      <h3 id={`plan-${plan.id}`} className="card__title">
        {plan.name}
        {current && <span className="plan-card__current"> (your plan)</span>}
      </h3>
      <p className="plan-card__price">
        {price
          ? `${formatMoney(price.amountCents)} / ${interval === 'year' ? 'year' : 'month'}`
          : '—'}
      </p>
      <p className="muted">{plan.description}</p>
      <ul className="plan-card__limits">
        <li>{limit(plan.limits.markets, 'market', 'markets')}</li>
        <li>{limit(plan.limits.products, 'product', 'products')}</li>
        <li>{limit(plan.limits.seats, 'staff seat', 'staff seats')}</li>
        <li>{limit(plan.limits.apiTokens, 'API token', 'API tokens')}</li>
        <li>{limit(plan.limits.webhookEndpoints, 'webhook endpoint', 'webhook endpoints')}</li>
      </ul>
      {canChoose && (
        <Button
          onClick={onChoose}
          busy={busy}
          busyLabel="Opening checkout…"
          disabled={!price?.available}
          aria-label={`Choose ${plan.name}`}
        >
          Choose {plan.name}
        </Button>
      )}
    </li>
  );
}

function Billing() {
  const { isOwner } = useSession();
  const params = useSearchParams();
  const confirming = params.get('checkout') === 'success';
  const query = useBillingStatus({ confirming });
  const action = useAction();
  const [interval, setInterval] = useState<'month' | 'year'>('month');

  if (query.isPending) return <LoadingSkeleton label="Loading billing…" />;
  if (query.isError) {
    return (
      <ErrorState
        title="We could not load billing"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  const status = query.data;
  if (!status.configured) {
    return (
      <section className="section">
        <h2>Plan</h2>
        <p role="status">
          Billing is not configured here (demo or self-hosted without Stripe keys): nothing is
          limited.
        </p>
      </section>
    );
  }
  const subscribed = isSubscribed(status);
  const banner = bannerOf(status, new Date());
  const currentPlan = status.plans.find((p) => p.id === status.plan);
  const canChoose = isOwner && !subscribed;
  return (
    <>
      {confirming && !subscribed && (
        <p className="notice notice--info" role="status">
          Confirming your payment with Stripe…
        </p>
      )}
      {params.get('checkout') === 'canceled' && !subscribed && (
        <p className="notice notice--info" role="status">
          Checkout was canceled: nothing was charged.
        </p>
      )}
      <section className="section" aria-labelledby="billing-plan-title">
        <h2 id="billing-plan-title">Plan</h2>
        <div className="card billing-summary">
          <p className="billing-summary__plan">
            <strong>{currentPlan?.name ?? 'No plan'}</strong>
            {subscribed && status.interval
              ? ` (${status.interval === 'year' ? 'yearly' : 'monthly'})`
              : ''}
            {' · '}
            <span data-testid="billing-state">
              {status.state === 'trialing' && subscribed ? 'Active' : STATE_TEXT[status.state]}
            </span>
          </p>
          {banner && (
            <p className={`billing-summary__note billing-summary__note--${banner.tone}`}>
              {banner.text}
            </p>
          )}
          {status.state === 'trialing' && subscribed && status.trialEndsAt && (
            <p className="muted">
              Free until {day(status.trialEndsAt)}; the first charge is on that day.
            </p>
          )}
          {status.state === 'active' && status.currentPeriodEnd && (
            <p className="muted">
              {status.cancelAtPeriodEnd ? 'Ends' : 'Renews'} on {day(status.currentPeriodEnd)}.
            </p>
          )}
          <table className="billing-usage">
            <caption className="visually-hidden">Usage against the plan</caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Used</th>
                <th scope="col">Plan allows</th>
              </tr>
            </thead>
            <tbody>
              {LIMIT_ROWS.map(([key, label]) => (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td>{status.usage[key]}</td>
                  <td>
                    {status.limits[key] === null
                      ? 'Unlimited'
                      : status.limits[key] === 0
                        ? 'None'
                        : status.limits[key]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {isOwner && status.hasCustomer && subscribed && (
            <Button
              variant="secondary"
              busy={action.busy === 'portal'}
              busyLabel="Opening…"
              onClick={() => void action.run('portal', openBillingPortal)}
            >
              Manage billing
            </Button>
          )}
          {!isOwner && <p className="muted">Only an owner can change the plan or the card.</p>}
        </div>
        <FormError message={action.error?.message ?? null} items={action.error?.items ?? []} />
      </section>
      {!subscribed && (
        <section className="section" aria-labelledby="billing-plans-title">
          <h2 id="billing-plans-title">Choose a plan</h2>
          <fieldset className="fieldset billing-interval">
            <legend>Billed</legend>
            <label className="radio">
              <input
                type="radio"
                name="interval"
                checked={interval === 'month'}
                onChange={() => setInterval('month')}
              />{' '}
              Monthly
            </label>
            <label className="radio">
              <input
                type="radio"
                name="interval"
                checked={interval === 'year'}
                onChange={() => setInterval('year')}
              />{' '}
              Yearly
            </label>
          </fieldset>
          <ul className="plan-grid">
            {status.plans.map((plan) => (
              <PlanCard
                key={plan.id}
                plan={plan}
                interval={interval}
                current={plan.id === status.plan && subscribed}
                canChoose={canChoose}
                busy={action.busy === plan.id}
                onChoose={() => void action.run(plan.id, () => startCheckout(plan.id, interval))}
              />
            ))}
          </ul>
          <p className="muted">
            Payments are handled by Stripe; promotion codes can be entered at checkout.
          </p>
        </section>
      )}
    </>
  );
}

/** Settings → Billing: plan, state, usage, Choose a plan (Checkout) and Manage billing (portal). */
export default function BillingPage() {
  return (
    <>
      <h1>Billing</h1>
      <Suspense fallback={<LoadingSkeleton label="Loading billing…" />}>
        <Billing />
      </Suspense>
    </>
  );
}
