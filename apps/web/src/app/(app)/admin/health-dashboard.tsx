'use client';

import { HealthDetailedSchema, type HealthDetailed } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { ErrorState } from '../../../components/error-state';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { apiFetch } from '../../../lib/session';
import { formatSeconds } from '../dashboard/freshness';

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

function Row({ name, status, children }: { name: string; status: Status; children?: ReactNode }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>
        <StatusBadge status={status} />
      </td>
      <td>{children}</td>
    </tr>
  );
}

const ms = (value: number | undefined) => (value === undefined ? '' : `${Math.round(value)} ms`);

/** `/health/detailed` for operators, refreshed every 10 s. */
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
  return (
    <>
      <div className="page-header">
        <h1>Platform health</h1>
        <p className="page-header__lede">
          Dependencies, queues, provider breakers and data ages. Refreshes every 10 seconds.
        </p>
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
                    {health.checks.redis.configured
                      ? ms(health.checks.redis.latencyMs)
                      : 'not configured (jobs run in-process)'}{' '}
                    {health.checks.redis.detail}
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
                      <Row key={name} name={name} status={provider.status}>
                        {provider.breaker} {provider.detail}
                      </Row>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}
