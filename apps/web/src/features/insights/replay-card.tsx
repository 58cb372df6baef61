'use client';

import {
  ReplayRunListSchema,
  ReplayRunSchema,
  type ReplayMoney,
  type ReplayRun,
} from '@marketprep/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';
import { formatMoney } from '../../lib/format';
import { apiFetch, describeWriteError, useSession } from '../../lib/session';
import { moneyEffects } from './replay-money';
import './replay-card.css';

const KEY = ['replays', 'latest'] as const;

/**
 * The latest replay, or null when none was asked for (the list, not `/latest`: its 404 on a new
 * business would be an error in the browser's console). Polled while it runs.
 */
function useLatestReplay() {
  return useQuery({
    queryKey: KEY,
    queryFn: async ({ signal }): Promise<ReplayRun | null> =>
      (await fetchApi({ path: '/v1/replays?limit=1', schema: ReplayRunListSchema, signal })).data
        .data[0] ?? null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'pending' || status === 'running' ? 2_000 : false;
    },
  });
}

/** One money comparison: the net with its range, then what it is made of (waste, sell-outs). */
export function MoneyLine({
  label,
  money,
  currency,
}: {
  label: string;
  money: ReplayMoney;
  currency: string;
}) {
  const m = (minor: number) => formatMoney(minor, currency);
  return (
    <div className="replay__row">
      <dt>{label}</dt>
      <dd>
        <strong>{m(money.netMinor)}</strong>
        <span className="pl-muted">
          {/* A range only where sell-outs leave the demand uncertain. */}
          {money.netLowMinor === money.netHighMinor
            ? ''
            : ` (${m(money.netLowMinor)} to ${m(money.netHighMinor)})`}
          : {moneyEffects(money, m)}
        </span>
      </dd>
    </div>
  );
}

/**
 * "Your last season, replayed" (docs/replay.md): start a replay (owners), its progress, then what
 * MarketPrep would have changed in money, against the rule of thumb and against what was brought
 * (check-in days only, and the card says so).
 */
export function ReplayCard({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const query = useLatestReplay();
  const start = useMutation({
    mutationFn: () =>
      apiFetch({
        path: '/v1/replays',
        method: 'POST',
        json: { months: 12 },
        schema: ReplayRunSchema,
      }),
    onSuccess: (run) => queryClient.setQueryData(KEY, run),
  });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const run = query.data;
  const running = run?.status === 'pending' || run?.status === 'running';
  const result = run?.status === 'completed' ? run.result : null;
  return (
    <section
      className="insights__card replay"
      aria-labelledby="replay-title"
      data-testid="replay-card"
    >
      <Heading id="replay-title" className="insights__title">
        Your last season, replayed
      </Heading>
      <p className="pl-muted">
        What MarketPrep would have told you the evening before each market day of the last months,
        scored in money with your prices and costs.
      </p>
      {query.isPending && <p className="pl-muted">Loading…</p>}
      {running && run && (
        <div role="status">
          <p>Replaying your market days… {run.progress}%</p>
          <progress className="replay__progress" max={100} value={run.progress} />
        </div>
      )}
      {run?.status === 'failed' && <p className="notice notice--warning">{run.error}</p>}
      {result && (
        <>
          <p>
            {`${result.marketDays} market days (${result.from} to ${result.to}), ${result.productDays} products-days.`}
          </p>
          <dl className="replay__money">
            <MoneyLine
              label="Against your rule of thumb"
              money={result.vsRule}
              currency={result.currency}
            />
            {result.vsBrought.productDays > 0 && (
              <MoneyLine
                label="Against what you brought"
                money={result.vsBrought}
                currency={result.currency}
              />
            )}
          </dl>
          <p className="pl-muted replay__note">
            {result.vsBrought.productDays < result.productDays &&
              `${result.productDays - result.vsBrought.productDays} of ${result.productDays} product-days have no check-in saying what was brought: they are compared to your rule of thumb only. `}
            {result.soldOutProductDays > 0 &&
              `${result.soldOutProductDays} product-days sold out: their true demand is estimated, hence the range. `}
            {result.productsLeftOut.length > 0 &&
              `Left out (no price or cost): ${result.productsLeftOut.join(', ')}.`}
          </p>
        </>
      )}
      {session.isOwner && !running && (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => start.mutate()}
          disabled={start.isPending}
        >
          {run ? 'Replay again' : 'Replay my last 12 months'}
        </button>
      )}
      {start.isError && (
        <p role="alert" className="field__error">
          {describeWriteError(start.error).message}
        </p>
      )}
    </section>
  );
}
