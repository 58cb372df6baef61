'use client';

import {
  ImportListSchema,
  ImportReportSchema,
  LoginBodySchema,
  SessionSchema,
  type ImportScheduleSuggestion,
  type Market,
} from '@marketprep/contracts';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

import { Button, ButtonLink } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorState } from '../../../components/error-state';
import { FormError } from '../../../components/field';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { RequireRole } from '../../../components/require-role';
import { ReplayCard } from '../../../features/insights/replay-card';
import { marketsQueryOptions } from '../../../features/markets/markets.api';
import { soonestMarketDay } from '../../../features/markets/soonest-market-day';
import {
  apiFetch,
  describeWriteError,
  rememberSession,
  sessionQueryKey,
} from '../../../lib/session';
import { prepListHref } from '../dashboard/dashboard';
import { lacksLocation } from '../../../features/markets/market-location';
import { MarketForm } from '../markets/market-form';
import { EconomicsExplainer } from '../products/economics-form';
import { productsQueryOptions } from '../products/products.api';
import { SquarePanel, useSquareConnect } from '../settings/integrations/square-panel';
import { formatLocalDate } from '../../../lib/format';
import { CsvImport } from './csv-import';
import { ProductsEconomicsForm } from './products-step';
import {
  describeSuggestion,
  suggestedScheduleEntries,
  suggestionsForMarkets,
} from './schedule-suggestions';

const STEPS = [
  { id: 'sales', label: 'Sales' },
  { id: 'markets', label: 'Markets' },
  { id: 'products', label: 'Products' },
  { id: 'done', label: 'Prep list' },
] as const;
type StepId = (typeof STEPS)[number]['id'];

function StepList({ current }: { current: StepId }) {
  const index = STEPS.findIndex((step) => step.id === current);
  return (
    <ol className="steps" aria-label="Setup progress">
      {STEPS.map((step, i) => (
        <li
          key={step.id}
          className={`steps__item${i < index ? ' steps__item--done' : ''}`}
          aria-current={i === index ? 'step' : undefined}
        >
          <span className="steps__number" aria-hidden="true">
            {i < index ? '✓' : i + 1}
          </span>
          {step.label}
          {i < index && <span className="visually-hidden"> (done)</span>}
        </li>
      ))}
    </ol>
  );
}

function DemoChoice() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const explore = async () => {
    setBusy(true);
    setError(null);
    try {
      // The demo business is its own account: switch to it (the vendor's own stays as it is).
      await apiFetch({ path: '/v1/auth/logout', method: 'POST' }).catch(() => undefined);
      rememberSession(null);
      const session = await apiFetch({
        path: '/v1/auth/login',
        method: 'POST',
        json: LoginBodySchema.parse({
          email: 'demo@marketprep.local',
          password: 'marketprep-demo',
        }),
        schema: SessionSchema,
      });
      rememberSession(session);
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, session);
      router.replace('/dashboard');
    } catch (caught) {
      setError(describeWriteError(caught));
      setBusy(false);
    }
  };
  return (
    <>
      <FormError message={error?.message ?? null} items={error?.items ?? []} />
      <p className="muted small">
        Signs you out of your business and into the demo bakery (two years of sales at three
        markets). Sign back in any time to continue your own setup.
      </p>
      <Button variant="secondary" onClick={() => void explore()} busy={busy} busyLabel="Opening…">
        Explore the demo
      </Button>
    </>
  );
}

function SalesStep({ go }: { go: (step: StepId) => void }) {
  const { connect, busy, error } = useSquareConnect();
  return (
    <>
      <h2 id="step-title">Bring in your sales history</h2>
      <p className="muted">
        Your own past sales are what the prep list learns from. Pick one way; you can add the other
        later.
      </p>
      <div className="card-grid card-grid--choices">
        <section className="card" aria-labelledby="choice-square">
          <h3 id="choice-square" className="card__title">
            Connect Square
          </h3>
          <p>Past orders sync in automatically, then every new sale.</p>
          <FormError message={error?.message ?? null} items={error?.items ?? []} />
          <Button onClick={() => void connect()} busy={busy} busyLabel="Opening Square…">
            Connect Square
          </Button>
          <details className="explainer">
            <summary>Already connected? See sync progress</summary>
            <SquarePanel headingLevel={3} />
          </details>
        </section>
        <section className="card" aria-labelledby="choice-csv">
          <h3 id="choice-csv" className="card__title">
            Import a CSV
          </h3>
          <CsvImport onImported={() => go('markets')} />
        </section>
        <section className="card" aria-labelledby="choice-demo">
          <h3 id="choice-demo" className="card__title">
            Just looking?
          </h3>
          <DemoChoice />
        </section>
      </div>
      <p>
        <Button variant="link" onClick={() => go('markets')}>
          Skip: I will add sales later
        </Button>
      </p>
    </>
  );
}

/** How many recent committed imports the markets step reads schedule suggestions from. */
const SUGGESTION_IMPORTS = 5;

/**
 * The weekly schedules the vendor's latest imports suggest (newest last, so it wins per market).
 * Read back from the stored import reports, so a reload of the step keeps them.
 */
function scheduleSuggestionsQueryOptions() {
  return queryOptions({
    queryKey: ['imports', 'schedule-suggestions'],
    queryFn: async ({ signal }): Promise<ImportScheduleSuggestion[]> => {
      const list = await apiFetch({
        path: '/v1/imports?limit=50',
        schema: ImportListSchema,
        signal,
      });
      const committed = list.data
        .filter((i) => i.status === 'COMMITTED')
        .slice(0, SUGGESTION_IMPORTS)
        .reverse();
      const reports = await Promise.all(
        committed.map((i) =>
          apiFetch({ path: `/v1/imports/${i.id}`, schema: ImportReportSchema, signal }),
        ),
      );
      return reports.flatMap((report) => report.suggestedSchedules ?? []);
    },
  });
}

function MarketsStep({ go }: { go: (step: StepId) => void }) {
  const query = useQuery(marketsQueryOptions());
  const suggestionsQuery = useQuery(scheduleSuggestionsQueryOptions());
  // The forms start from the suggestions, so wait for them (an error just means none).
  if (query.isPending || suggestionsQuery.isPending) {
    return <LoadingSkeleton label="Loading your markets…" />;
  }
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your markets"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  const markets = query.data.markets;
  const missing = markets.filter(lacksLocation);
  const suggestions = suggestionsForMarkets(markets, suggestionsQuery.data ?? []);
  return (
    <>
      <h2 id="step-title">Confirm your markets</h2>
      <p className="muted">
        Each market needs its location (for the weather) and time zone (for its calendar): look it
        up by ZIP code or town, or type it. Imported markets have no location yet, and their market
        days are filled in from your sales for you to confirm.
      </p>
      {markets.length === 0 ? (
        <EmptyState title="No markets yet" headingLevel={3}>
          <p>Add the first market you sell at.</p>
        </EmptyState>
      ) : (
        <ul className="card-grid card-grid--wide">
          {markets.map((market) => (
            <li key={market.id} className="card">
              <div className="section__header">
                <h3 className="card__title">{market.name}</h3>
                <span className={`badge ${lacksLocation(market) ? 'badge--warn' : 'badge--ok'}`}>
                  {lacksLocation(market) ? 'Location missing' : 'Ready'}
                </span>
              </div>
              <SuggestedMarketForm market={market} suggestion={suggestions.get(market.id)} />
            </li>
          ))}
        </ul>
      )}
      <details className="explainer" open={markets.length === 0}>
        <summary>Add another market</summary>
        <MarketForm />
      </details>
      {missing.length > 0 && markets.length > 0 && (
        <p className="notice notice--warning" role="status">
          {missing.length === 1 ? '1 market still needs' : `${missing.length} markets still need`} a
          location.
        </p>
      )}
      <div className="button-row">
        <Button
          onClick={() => go('products')}
          disabled={markets.length === 0 || missing.length > 0}
        >
          Next: product economics
        </Button>
        <Button variant="link" onClick={() => go('sales')}>
          Back
        </Button>
      </div>
    </>
  );
}

/**
 * A market's form, its schedule prefilled from its sales while it has none saved. The form keeps
 * its place in the tree when the suggestion goes (after the save), so its "saved" state stays.
 */
function SuggestedMarketForm({
  market,
  suggestion,
}: {
  market: Market;
  suggestion: ImportScheduleSuggestion | undefined;
}) {
  return (
    <>
      {suggestion && <p className="notice notice--info">{describeSuggestion(suggestion)}</p>}
      <MarketForm
        market={market}
        initialSchedule={suggestion ? suggestedScheduleEntries(suggestion) : undefined}
      />
    </>
  );
}

function ProductsStep({ go }: { go: (step: StepId) => void }) {
  const query = useQuery(productsQueryOptions());
  const products = query.data?.data ?? [];
  const priced = products.filter((p) => p.priceMinor > 0).length;
  return (
    <>
      <h2 id="step-title">Check your product economics</h2>
      <p className="muted">
        {priced === products.length
          ? 'We filled in the price from your sales; cost and leftover value start at 0.'
          : priced === 0
            ? 'Your sales came without prices: enter what each product sells for. Cost and leftover value start at 0.'
            : `We filled in the price from your sales where they had one (${priced} of ${products.length} products); cost and leftover value start at 0.`}{' '}
        A minute here makes every prep list sharper. One save at the end keeps them all.
      </p>
      <EconomicsExplainer />
      {query.isPending ? (
        <LoadingSkeleton label="Loading your products…" />
      ) : query.data === undefined ? (
        <ErrorState
          title="We could not load your products"
          error={query.error}
          onRetry={() => void query.refetch()}
          headingLevel={3}
        />
      ) : query.data.data.length === 0 ? (
        <EmptyState
          title="No products yet"
          headingLevel={3}
          action={<ButtonLink href="/products">Add products</ButtonLink>}
        >
          <p>Import your sales, or add your products by hand.</p>
        </EmptyState>
      ) : (
        <ProductsEconomicsForm products={query.data.data} onDone={() => go('done')} />
      )}
      <div className="button-row">
        {query.data?.data.length === 0 && (
          <Button onClick={() => go('done')}>Next: your first prep list</Button>
        )}
        <Button variant="link" onClick={() => go('markets')}>
          Back
        </Button>
        {products.length > 0 && (
          <Button variant="link" onClick={() => go('done')}>
            Skip: I will add prices later
          </Button>
        )}
      </div>
    </>
  );
}

function DoneStep() {
  const markets = useQuery(marketsQueryOptions());
  const next = soonestMarketDay(markets.data?.markets ?? [], new Date());
  return (
    <>
      <h2 id="step-title">You are set up</h2>
      <p>
        {next !== null && !next.soon
          ? `Your markets are out of season now: the first market day is ${formatLocalDate(next.date, next)} at ${next.market.name}. Its prep list is ready to look at, and every list gets sharper with each check-in after a market.`
          : 'Your prep lists are ready for each upcoming market day, and they get sharper with every check-in after a market.'}
      </p>
      <div className="button-row">
        {next ? (
          <ButtonLink href={prepListHref(next.market.id, next.date)}>
            Open the prep list for {next.market.name}, {formatLocalDate(next.date, next)}
          </ButtonLink>
        ) : null}
        <ButtonLink href="/dashboard" variant={next ? 'secondary' : 'primary'}>
          Go to the dashboard
        </ButtonLink>
      </div>
      {/* What MarketPrep would have changed last season, from the sales just brought in. */}
      <ReplayCard headingLevel={3} />
    </>
  );
}

/** Onboarding: sales in (Square, CSV or the demo) → markets → product economics → prep list. */
export function Onboarding() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const requested = params.get('step');
  const step: StepId = STEPS.some((s) => s.id === requested) ? (requested as StepId) : 'sales';
  const heading = useRef<HTMLDivElement>(null);
  const go = (next: StepId) => router.push(`${pathname}?step=${next}`);

  // Move focus to the new step so keyboard and screen-reader users follow along.
  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  return (
    <RequireRole role="owner">
      <div className="page-header">
        <h1>Get set up</h1>
        <p className="page-header__lede">A few minutes to your first prep list.</p>
      </div>
      <StepList current={step} />
      <div ref={heading} tabIndex={-1} className="step-panel" aria-labelledby="step-title">
        {step === 'sales' && <SalesStep go={go} />}
        {step === 'markets' && <MarketsStep go={go} />}
        {step === 'products' && <ProductsStep go={go} />}
        {step === 'done' && <DoneStep />}
      </div>
    </RequireRole>
  );
}
