'use client';

import { HealthDetailedSchema, type HealthDetailed } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { ErrorState } from '../../../components/error-state';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { apiFetch } from '../../../lib/session';
import { formatSeconds } from '../dashboard/freshness';
import { redisDetails, syncLagRows } from './health-details';

type Status = HealthDetailed['status'];

/** How often the dashboard asks again. */
export const HEALTH_REFRESH_MS = 10_000;

const TONE: Record<Status, string> = {
  ok: 'badge--ok',
  degraded: 'badge--warn',
  down: 'badge--bad',
};
const WORD: Record<Status, string> = { ok: 'OK', degraded: 'Degraded', down: 'Down' };

function StatusBadge({ status }: { status: Status }) {
  return <span className={`badge ${TONE[status]}`}>{WORD[status]}</span>;
}

function Row({
  name,
  status,
  badge,
  children,
}: {
  name: string;
  status?: Status;
  /** Replaces the status badge (states outside ok / degraded / down). */
  badge?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>{badge ?? (status && <StatusBadge status={status} />)}</td>
      <td>{children}</td>
    </tr>
  );
}

type Worker = NonNullable<HealthDetailed['checks']['worker']>;

/** Not reporting is degraded (background work stopped); unknown is neither good nor bad. */
function WorkerBadge({ status }: { status: Worker['status'] }) {
  if (status === 'ok') return <StatusBadge status="ok" />;
  if (status === 'stale') return <span className="badge badge--warn">Not reporting</span>;
  return <span className="badge badge--muted">Unknown</span>;
}

/** Operator-facing names of the providers the workers report breakers for. */
const PROVIDER_LABEL: Record<string, string> = {
  nws: 'NWS (weather)',
  'open-meteo': 'Open-Meteo (weather)',
  ticketmaster: 'Ticketmaster (events)',
  square: 'Square (sales)',
  stripe: 'Stripe (billing)',
};
const providerLabel = (name: string) => PROVIDER_LABEL[name] ?? name;

const BREAKER_WORDS: Record<HealthDetailed['checks']['providers'][string]['breaker'], string> = {
  closed: 'closed: calls flow',
  'half-open': 'half-open: the next call is a trial',
  open: 'open: calls fail fast, jobs use the fallbacks',
};

const ms = (value: number | undefined) => (value === undefined ? '' : `${Math.round(value)} ms`);

/** `/health/detailed` for operators, refreshed every 10 s or on demand. */
export function HealthDashboard() {
  const query = useQuery({
    queryKey: ['admin', 'health'],
    queryFn: ({ signal }) =>
      apiFetch({ path: '/health/detailed', schema: HealthDetailedSchema, signal }),
    refetchInterval: HEALTH_REFRESH_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
  const health = query.data;
  const outages = health
    ? Object.entries(health.checks.providers).filter(([, p]) => p.status === 'down')
    : [];
  return (
    <>
      <div className="page-header section__header">
        <div>
          <h1>Platform health</h1>
          <p className="page-header__lede">
            Dependencies, queues, provider breakers and data ages. Refreshes every 10 seconds.
          </p>
        </div>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void query.refetch()}
          disabled={query.isFetching}
          aria-busy={query.isFetching}
        >
          {query.isFetching ? 'Refreshing…' : 'Refresh now'}
        </button>
      </div>
      {query.isPending ? (
        <LoadingSkeleton label="Checking every dependency…" />
      ) : health === undefined ? (
        <ErrorState
          title="We could not read the platform health"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <>
          {query.isRefetchError && (
            <p className="notice notice--warning" role="status">
              The last refresh failed; showing the answer from{' '}
              {new Date(query.dataUpdatedAt).toLocaleTimeString('en-US')}.
            </p>
          )}
          <div className="notice notice--info" aria-live="polite">
            <p>
              Overall: <StatusBadge status={health.status} />{' '}
              <span className="muted small">
                checked {new Date(health.checkedAt).toLocaleTimeString('en-US')}
              </span>
            </p>
            {outages.length > 0 && (
              <p>
                Provider outage: {outages.map(([name]) => providerLabel(name)).join(', ')}. The
                breaker is open: calls fail fast and jobs fall back (weather: the next provider,
                then the cache, then climatology).
              </p>
            )}
          </div>
          <section className="section" aria-labelledby="deps-title">
            <h2 id="deps-title">Dependencies</h2>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Check</th>
                    <th scope="col">Status</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  <Row name="Database" status={health.checks.database.status}>
                    {ms(health.checks.database.latencyMs)} {health.checks.database.detail}
                  </Row>
                  <Row name="Redis" status={health.checks.redis.status}>
                    {redisDetails(health.checks.redis)}
                  </Row>
                  <Row name="Queue" status={health.checks.queue.status}>
                    {health.checks.queue.outboxPending} pending, {health.checks.queue.outboxFailed}{' '}
                    failed
                    {health.checks.queue.oldestPendingAgeSeconds !== null &&
                      `, oldest ${formatSeconds(health.checks.queue.oldestPendingAgeSeconds)}`}
                  </Row>
                  <Row name="Sales data" status={health.checks.data.sales.status}>
                    newest {formatSeconds(health.checks.data.sales.ageSeconds)}
                  </Row>
                  <Row name="Weather data" status={health.checks.data.weather.status}>
                    newest {formatSeconds(health.checks.data.weather.ageSeconds)}
                  </Row>
                  {health.checks.worker && (
                    <Row name="Worker" badge={<WorkerBadge status={health.checks.worker.status} />}>
                      {health.checks.worker.status === 'unknown'
                        ? health.checks.worker.detail
                        : `last report ${formatSeconds(health.checks.worker.ageSeconds)}, ${
                            health.checks.worker.workers
                          } reporting`}
                      {health.checks.worker.status === 'stale' &&
                        ` (${health.checks.worker.detail})`}
                    </Row>
                  )}
                </tbody>
              </table>
            </div>
          </section>
          <section className="section" aria-labelledby="queues-title">
            <h2 id="queues-title">Queue depth</h2>
            {health.checks.queue.bullmqWaiting === null ? (
              <p className="muted">
                No Redis: jobs run in-process; the outbox numbers above apply.
              </p>
            ) : (
              <dl className="facts">
                {Object.entries(health.checks.queue.bullmqWaiting).map(([queue, waiting]) => (
                  <div key={queue} className="facts__row">
                    <dt>{queue}</dt>
                    <dd>{waiting} waiting</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>
          <section className="section" aria-labelledby="providers-title">
            <h2 id="providers-title">Providers and breakers</h2>
            {Object.keys(health.checks.providers).length === 0 ? (
              <p className="muted">No provider has reported a circuit breaker yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Provider</th>
                      <th scope="col">Status</th>
                      <th scope="col">Breaker</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(health.checks.providers).map(([name, provider]) => (
                      <Row key={name} name={providerLabel(name)} status={provider.status}>
                        {BREAKER_WORDS[provider.breaker]} {provider.detail}
                      </Row>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="section" aria-labelledby="sync-title">
            <h2 id="sync-title">Square sync lag</h2>
            {Object.keys(health.checks.worker?.syncLagSeconds ?? {}).length === 0 ? (
              <p className="muted">No active Square connection.</p>
            ) : (
              <dl className="facts">
                {syncLagRows(health.checks.worker?.syncLagSeconds ?? {}).map((row) => (
                  <div key={row.id} className="facts__row">
                    <dt>
                      {row.label}{' '}
                      <span className="muted small" title={row.id}>
                        ({row.shortId})
                      </span>
                    </dt>
                    <dd>{row.text}</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>
        </>
      )}
    </>
  );
}
