import { HealthRepository, checkDatabase, type DatabaseClient } from '@marketprep/db';
import {
  WORKER_STATUS_STALE_AFTER_SECONDS,
  WorkerStatusSchema,
  type HealthDetailed,
  type WorkerStatus,
} from '@marketprep/contracts';
import type { Redis } from 'ioredis';

type Status = 'ok' | 'degraded' | 'down';

/** Inputs of {@link checkHealthDetailed}. */
export interface HealthDetailedInput {
  db: DatabaseClient;
  redis?: Redis;
  queuePrefix: string;
  queueNames: string[];
  now: Date;
}

/** Pending outbox work older than this is "degraded": the relay is behind or Redis is gone. */
const OUTBOX_LAG_DEGRADED_S = 300;
/** Weather is refreshed several times a day; older than 12 h is degraded, 48 h down. */
const WEATHER_DEGRADED_S = 12 * 3600;
const WEATHER_DOWN_S = 48 * 3600;
/** Sales arrive after each market day; no new sales anywhere in 8 days is degraded. */
const SALES_DEGRADED_S = 8 * 86_400;

async function settle<T>(work: () => Promise<T>, ms: number): Promise<T | Error> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

function ageOf(at: Date | null, now: Date): number | null {
  return at ? Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)) : null;
}

async function checkRedis(redis: Redis | undefined): Promise<HealthDetailed['checks']['redis']> {
  if (!redis) {
    return {
      status: 'ok',
      configured: false,
      detail: 'not configured: in-process jobs and rate limits',
    };
  }
  if (redis.status !== 'ready') {
    return { status: 'down', configured: true, detail: `connection ${redis.status}` };
  }
  const started = performance.now();
  const result = await settle(() => redis.ping(), 500);
  const latencyMs = Math.round(performance.now() - started);
  return result instanceof Error
    ? { status: 'down', configured: true, latencyMs, detail: 'no PONG' }
    : { status: 'ok', configured: true, latencyMs };
}

async function bullmqWaiting(
  redis: Redis | undefined,
  prefix: string,
  names: string[],
): Promise<Record<string, number> | null> {
  if (!redis || redis.status !== 'ready') return null;
  const counts = await settle(
    () => Promise.all(names.map((name) => redis.llen(`${prefix}:${name}:wait`))),
    500,
  );
  if (counts instanceof Error) return null;
  return Object.fromEntries(names.map((name, i) => [name, counts[i] ?? 0]));
}

/** What the workers report, merged: the fresh reports, or the newest one when all are stale. */
interface WorkerView {
  status: 'ok' | 'stale';
  reportedAt: Date;
  /** Workers that reported within the stale limit. */
  workers: number;
  breakers: WorkerStatus['breakers'];
  syncLagSeconds: WorkerStatus['syncLagSeconds'];
}

const BREAKER_RANK = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * The workers' reports from PostgreSQL (`monitoring.worker_statuses()`, one row per worker
 * process; see apps/worker observability/worker-status.ts), or null when none is readable.
 * Reports younger than 60 s are merged: each breaker at its worst state across workers (one
 * worker seeing a provider fail is an outage worth showing), sync lag from the newest report (every
 * worker computes it from the same rows). With no fresh report the newest one is shown as stale.
 */
async function readWorkerStatus(
  repository: HealthRepository,
  now: Date,
): Promise<WorkerView | Error | null> {
  const rows = await settle(() => repository.workerStatuses(), 2_000);
  if (rows instanceof Error) return rows;
  const reports = rows.flatMap((row) => {
    const parsed = WorkerStatusSchema.safeParse(row.status);
    return parsed.success ? [{ ...parsed.data, at: new Date(parsed.data.reportedAt) }] : [];
  });
  reports.sort((a, b) => b.at.getTime() - a.at.getTime());
  const newest = reports[0];
  if (!newest) return null;
  const fresh = reports.filter(
    (report) => (ageOf(report.at, now) ?? 0) <= WORKER_STATUS_STALE_AFTER_SECONDS,
  );
  if (fresh.length === 0) {
    return {
      status: 'stale',
      reportedAt: newest.at,
      workers: 0,
      breakers: newest.breakers,
      syncLagSeconds: newest.syncLagSeconds,
    };
  }
  const breakers: WorkerStatus['breakers'] = {};
  for (const report of fresh) {
    for (const [provider, state] of Object.entries(report.breakers)) {
      const seen = breakers[provider];
      if (!seen || BREAKER_RANK[state] > BREAKER_RANK[seen]) breakers[provider] = state;
    }
  }
  return {
    status: 'ok',
    reportedAt: newest.at,
    workers: fresh.length,
    breakers,
    syncLagSeconds: newest.syncLagSeconds,
  };
}

const BREAKER_HEALTH = {
  closed: { status: 'ok', breaker: 'closed' },
  halfOpen: { status: 'degraded', breaker: 'half-open' },
  open: { status: 'down', breaker: 'open' },
} as const;

/**
 * The operators' view of every dependency. Each probe is bounded in time and failures become a
 * `down` entry with a short detail (never an error message that could reveal internals).
 */
export async function checkHealthDetailed(input: HealthDetailedInput): Promise<HealthDetailed> {
  const repository = new HealthRepository(input.db.prisma);
  const [database, redis, backlog, freshness, waiting, reported] = await Promise.all([
    checkDatabase(input.db.prisma),
    checkRedis(input.redis),
    settle(() => repository.outboxBacklog(), 2_000),
    settle(() => repository.dataFreshness(), 2_000),
    bullmqWaiting(input.redis, input.queuePrefix, input.queueNames),
    readWorkerStatus(repository, input.now),
  ]);
  const worker = reported instanceof Error ? null : reported;

  const oldestAge = backlog instanceof Error ? null : ageOf(backlog.oldestPendingAt, input.now);
  const queueStatus: Status =
    backlog instanceof Error
      ? 'down'
      : (oldestAge ?? 0) > OUTBOX_LAG_DEGRADED_S || backlog.failed > 0
        ? 'degraded'
        : 'ok';

  const salesAt = freshness instanceof Error ? null : freshness.newestSalesAt;
  const weatherAt = freshness instanceof Error ? null : freshness.newestWeatherAt;
  const salesAge = ageOf(salesAt, input.now);
  const weatherAge = ageOf(weatherAt, input.now);
  const unknown: Status = freshness instanceof Error ? 'down' : 'ok';

  const checks: HealthDetailed['checks'] = {
    database: {
      status: database.ok ? 'ok' : 'down',
      latencyMs: database.latencyMs,
      ...(database.ok ? {} : { detail: 'database unreachable' }),
    },
    redis,
    queue: {
      status: queueStatus,
      outboxPending: backlog instanceof Error ? 0 : backlog.pending,
      outboxFailed: backlog instanceof Error ? 0 : backlog.failed,
      oldestPendingAgeSeconds: oldestAge,
      bullmqWaiting: waiting,
      ...(backlog instanceof Error ? { detail: 'outbox unreadable' } : {}),
    },
    // Each provider's circuit breaker as the workers report it; from a stale report, marked so.
    providers: Object.fromEntries(
      Object.entries(worker?.breakers ?? {}).map(([provider, state]) => [
        provider,
        {
          ...BREAKER_HEALTH[state],
          ...(worker?.status === 'stale'
            ? { detail: `as of ${worker.reportedAt.toISOString()} (worker not reporting)` }
            : {}),
        },
      ]),
    ),
    data: {
      sales: {
        status: salesAge === null ? unknown : salesAge > SALES_DEGRADED_S ? 'degraded' : 'ok',
        newestAt: salesAt?.toISOString() ?? null,
        ageSeconds: salesAge,
      },
      weather: {
        status:
          weatherAge === null
            ? unknown
            : weatherAge > WEATHER_DOWN_S
              ? 'down'
              : weatherAge > WEATHER_DEGRADED_S
                ? 'degraded'
                : 'ok',
        newestAt: weatherAt?.toISOString() ?? null,
        ageSeconds: weatherAge,
      },
    },
    worker: worker
      ? {
          status: worker.status,
          reportedAt: worker.reportedAt.toISOString(),
          ageSeconds: ageOf(worker.reportedAt, input.now),
          workers: worker.workers,
          syncLagSeconds: worker.syncLagSeconds,
          ...(worker.status === 'stale'
            ? { detail: `no worker has reported for over ${WORKER_STATUS_STALE_AFTER_SECONDS} s` }
            : {}),
        }
      : {
          status: 'unknown',
          reportedAt: null,
          ageSeconds: null,
          workers: 0,
          syncLagSeconds: {},
          detail:
            reported instanceof Error ? 'worker status unreadable' : 'no worker has reported yet',
        },
  };
  const statuses: Status[] = [
    checks.redis.status,
    checks.queue.status,
    checks.data.sales.status,
    checks.data.weather.status,
    ...Object.values(checks.providers).map((p) => p.status),
    // A worker that stopped reporting means background work has stopped: degraded. Unknown (none
    // ever reported, e.g. an API-only deployment's first minute) is informational.
    ...(worker?.status === 'stale' ? (['degraded'] as const) : []),
  ];
  const status: Status =
    checks.database.status === 'down'
      ? 'down'
      : statuses.every((s) => s === 'ok')
        ? 'ok'
        : 'degraded';
  return { status, checkedAt: input.now.toISOString(), checks };
}
