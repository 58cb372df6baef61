/**
 * Soak bench (issue 16, RELIABILITY.md "Soak"): the real API and worker as separate processes
 * (apps/api/src/server.ts, apps/worker/src/main.ts through tsx) on a fresh database and a private
 * Redis (AOF, appendfsync always) on a free port, all on 127.0.0.1. An open-loop generator sends
 * mixed traffic at a fixed rate: reads (markets, prep lists), check-ins (some replayed with the
 * same clientSubmissionId, as an offline queue does), CSV imports (some uploaded twice) and Square
 * webhooks (some delivered twice). Halfway through, Redis is killed (SIGKILL) and restarted on
 * the same port and data directory.
 *
 * Prints, per period (a minute by default): requests, p50/p99 latency, errors, the API's and the
 * worker's heap (the lowest sample of the period: the heap after the period's collections) and
 * RSS, event-loop delay, PostgreSQL connections. At the end: every acknowledged check-in, import
 * and webhook is checked against the database (rows lost, rows duplicated), every dispatched
 * outbox row against BullMQ (a completed job, run once), and the heap growth after warm-up.
 *
 *   npx tsx bench/soak.ts                    # 10 minutes at 40 requests/s
 *   npx tsx bench/soak.ts --duration 120     # seconds (or 2m)
 *   npx tsx bench/soak.ts --rate 80          # requests per second
 *   npx tsx bench/soak.ts --heap-snapshots /tmp/soak-heap   # API heap snapshots: warm, end
 *
 * Uses TEST_DATABASE_URL (a superuser URL; default postgresql://postgres@127.0.0.1:5432/postgres):
 * creates a fresh database, migrates it, and drops it at the end. Never touches the machine's
 * own Redis. bench/soak.int.test.ts runs a 30-second version in the test suite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import pg from 'pg';
import {
  MIGRATIONS_DIR,
  createDatabaseClient,
  migrate,
  type DatabaseClient,
} from '../packages/db/src';
import { SQUARE_SIGNATURE_HEADER, signSquareWebhook } from '../packages/integrations/src';
import { seedShop } from '../apps/api/src/modules/check-ins/check-ins.fixtures';
import { freePort } from '@marketprep/db/ports';
import {
  sampleValue,
  stackSettings,
  signUpThroughLog,
  startApi,
  startRedis,
  startWorker,
  waitUntil,
  type ApiProcess,
  type StackProcess,
  type WorkerProcess,
} from './lib/stack';

type Kind = 'read-markets' | 'read-prep-list' | 'check-in' | 'import' | 'webhook';

/** Share of each kind of request in the mix. */
const MIX: [Kind, number][] = [
  ['read-markets', 0.4],
  ['read-prep-list', 0.2],
  ['check-in', 0.2],
  ['import', 0.05],
  ['webhook', 0.15],
];
/** Share of check-ins, imports and webhooks that repeat an earlier, acknowledged one. */
const REPLAY_SHARE = 0.1;
const VENDORS = 4;
const MAX_IN_FLIGHT = 64;
const SAMPLE_MS = 2_000;
/** Interval of the heap-after-GC probe (a full collection blocks each process for a moment). */
const GC_PROBE_MS = 10_000;

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Owner URL of a migrated, empty database. */
  databaseUrl: string;
  durationSec: number;
  /** Requests per second (open loop). */
  rate: number;
  /** Length of a reporting period (default 60 s). */
  periodSec?: number;
  /** Seconds Redis stays down, from the middle of the run (default 15). */
  redisDownSec?: number;
  /** Longest wait for the outbox and the queue to drain after the load (default 120 s). */
  drainTimeoutSec?: number;
  log?: (line: string) => void;
  /**
   * Directory for two heap snapshots of the API (`warm.heapsnapshot` after the first period,
   * `end.heapsnapshot` after the load), to compare in Chrome DevTools; none when omitted. Each
   * pauses the API for a few seconds.
   */
  heapSnapshotDir?: string;
}

/** One reporting period. */
export interface SoakPeriod {
  startSec: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  apiHeapMb: number;
  apiRssMb: number;
  workerHeapMb: number;
  workerRssMb: number;
  eventLoopP99Ms: number;
  pgConnections: number;
}

/** What {@link runSoak} measured. */
export interface SoakReport {
  periods: SoakPeriod[];
  requests: Record<Kind, number>;
  /** p99 latency per kind of request over the whole run (ms). */
  p99ByKindMs: Record<Kind, number>;
  /** Answers other than the expected 2xx (and 429), by kind and status ("check-in 503"). */
  errors: Record<string, number>;
  /** Requests not sent because MAX_IN_FLIGHT were outstanding (the system fell behind). */
  skipped: number;
  acknowledged: { checkIns: number; imports: number; webhooks: number; replays: number };
  /** Acknowledged writes whose rows are missing, and rows beyond one per acknowledged write. */
  lost: { checkIns: number; imports: number; webhooks: number; jobs: number };
  duplicated: { checkIns: number; imports: number; webhooks: number };
  /** Outbox rows and the BullMQ jobs they became. */
  jobs: {
    dispatched: number;
    completed: number;
    failedRows: number;
    pendingDue: number;
    /** Dispatched, still waiting or running in BullMQ when the drain wait ended. */
    queued: number;
    retried: number;
  };
  /** The API's last error log lines (5xx causes), at most 5. */
  apiErrorLog: string[];
  /** Seconds from Redis's return until the outbox had no due row left. */
  drainSec: number;
  /** Lowest heap of the last period minus that of the first period after warm-up (MB). */
  apiHeapGrowthMb: number;
  workerHeapGrowthMb: number;
}

interface Vendor {
  id: string;
  cookie: string;
  csrf: string;
  marketId: string;
  productIds: string[];
  nextCheckInDay: number;
}

const isoDaysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

async function signupVendor(api: ApiProcess, db: DatabaseClient, n: number): Promise<Vendor> {
  const response = await signUpThroughLog(api, {
    email: `soak-${n}-${randomUUID().slice(0, 8)}@example.com`,
    password: 'a long enough password',
    name: `Soak ${n}`,
    vendorName: `Soak Bakery ${n}`,
  });
  if (response.status !== 201)
    throw new Error(`signup: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string; activeVendorId: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // A market open every day (any past date takes a check-in), two products, some history.
  const shop = await seedShop(db, body.activeVendorId, {
    market: {
      name: 'Soak Market',
      schedule: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
        weekday,
        opensAt: '08:00',
        closesAt: '13:00',
      })),
    },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 0 },
      { key: 'bun', name: 'Bun', priceMinor: 300, unitCostMinor: 100, salvageValueMinor: 0 },
    ],
    days: Array.from({ length: 8 }, (_, i) => ({
      date: isoDaysAgo(7 * (i + 1)),
      sales: [
        { key: 'bread', quantity: 30 + i, revenueMinor: (30 + i) * 800 },
        { key: 'bun', quantity: 50 - i, revenueMinor: (50 - i) * 300 },
      ],
    })),
  });
  return {
    id: body.activeVendorId,
    cookie,
    csrf: body.csrfToken,
    marketId: shop.marketId,
    productIds: Object.values(shop.productIds),
    nextCheckInDay: 1,
  };
}

/** Runs the soak against a fresh database; see the file comment. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const periodSec = options.periodSec ?? 60;
  const redisDir = await mkdtemp(path.join(tmpdir(), 'marketprep-soak-redis-'));
  const redisPort = await freePort();
  let redis: StackProcess | undefined = await startRedis(redisPort, { dataDir: redisDir });
  const settings = stackSettings(options.databaseUrl, `redis://127.0.0.1:${redisPort}`, {
    gcProbe: true,
    apiEnv: {
      ...(options.heapSnapshotDir
        ? {
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGURG --diagnostic-dir=${options.heapSnapshotDir}`,
          }
        : {}),
      RATE_LIMIT_ANONYMOUS_MAX: '1000000',
      RATE_LIMIT_IDENTITY_MAX: '1000000',
      RATE_LIMIT_IP_MAX: '1000000',
    },
  });
  const db = createDatabaseClient({ connectionString: options.databaseUrl, maxConnections: 2 });
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  let api: ApiProcess | undefined;
  let worker: WorkerProcess | undefined;
  let queue: Queue | undefined;
  try {
    [api, worker] = await Promise.all([startApi(settings), startWorker(settings)]);
    const apiUrl = api.url;
    const vendors: Vendor[] = [];
    for (let n = 0; n < VENDORS; n += 1) vendors.push(await signupVendor(api, db, n));
    const dbName = new URL(options.databaseUrl).pathname.slice(1);

    // What was acknowledged, to be found in the database afterwards.
    const ackedCheckIns = new Map<string, { vendor: Vendor; date: string; body: string }>();
    const ackedImports = new Map<string, { vendor: Vendor; date: string; csv: string }>();
    const ackedWebhooks = new Map<string, string>();
    let replays = 0;
    let importSeq = 0;
    const requests = Object.fromEntries(MIX.map(([kind]) => [kind, 0])) as Record<Kind, number>;
    const errors: Record<string, number> = {};
    let skipped = 0;
    let inFlight = 0;
    const started = Date.now();
    const latencies: number[][] = [];
    const byKind = Object.fromEntries(MIX.map(([kind]) => [kind, [] as number[]])) as Record<
      Kind,
      number[]
    >;
    const errorCounts: number[] = [];
    // Prep lists answered 200, by id (the id the API's prep-list JSON cache keys on) -> bytes.
    const servedLists = new Map<string, number>();
    const snapshot = async (label: string) => {
      const dir = options.heapSnapshotDir;
      if (!dir || !api) return;
      const before = new Set(await readdir(dir));
      process.kill(api.pid, 'SIGURG');
      let file: string | undefined;
      // Node writes the snapshot on the main thread: once the file exists and the API answers
      // again, it is complete.
      await waitUntil(
        `heap snapshot ${label}`,
        async () => {
          file ??= (await readdir(dir)).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
          return file !== undefined && (await fetch(`${api!.url}/health/live`)).ok;
        },
        300_000,
      );
      const size = (await stat(path.join(dir, file!))).size;
      await rename(path.join(dir, file!), path.join(dir, `${label}.heapsnapshot`));
      log(
        `t=${Math.round((Date.now() - started) / 1000)}s: heap snapshot ${label} (${(size / 1e6).toFixed(0)} MB); ` +
          `prep lists served so far: ${servedLists.size} ids, ${([...servedLists.values()].reduce((a, b) => a + b, 0) / 1e6).toFixed(2)} MB of JSON`,
      );
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
    const anyOf = <T>(map: Map<string, T>): T | undefined =>
      map.size === 0 ? undefined : pick([...map.values()].slice(-200));

    const send = async (kind: Kind): Promise<void> => {
      const vendor = pick(vendors);
      const auth = { cookie: vendor.cookie, 'x-csrf-token': vendor.csrf };
      let request: { url: string; init: RequestInit; ok: (status: number) => boolean };
      let onAck: () => void = () => undefined;
      const replay = Math.random() < REPLAY_SHARE;
      switch (kind) {
        case 'read-markets':
          request = { url: `${apiUrl}/v1/markets`, init: { headers: auth }, ok: (s) => s === 200 };
          break;
        case 'read-prep-list': {
          const date = isoDaysAgo(-1 - Math.floor(Math.random() * 5));
          request = {
            url: `${apiUrl}/v1/markets/${vendor.marketId}/prep-lists/${date}`,
            init: { headers: auth },
            ok: (s) => s === 200,
          };
          break;
        }
        case 'check-in': {
          const previous = replay ? anyOf(ackedCheckIns) : undefined;
          const target = previous ?? {
            vendor,
            date: isoDaysAgo(vendor.nextCheckInDay++),
            body: JSON.stringify({
              clientSubmissionId: randomUUID(),
              lines: vendor.productIds.map((productId, i) => ({
                productId,
                brought: 20 + i,
                sold: 15,
                leftOver: 5 + i,
                wasted: 0,
                donated: 0,
              })),
            }),
          };
          if (previous) replays += 1;
          const id = (JSON.parse(target.body) as { clientSubmissionId: string }).clientSubmissionId;
          request = {
            url: `${apiUrl}/v1/markets/${target.vendor.marketId}/check-ins/${target.date}`,
            init: {
              method: 'PUT',
              headers: {
                cookie: target.vendor.cookie,
                'x-csrf-token': target.vendor.csrf,
                'content-type': 'application/json',
              },
              body: target.body,
            },
            ok: (s) => s === 200,
          };
          onAck = () => ackedCheckIns.set(id, target);
          break;
        }
        case 'import': {
          const previous = replay ? anyOf(ackedImports) : undefined;
          // Each new file: one sale on its own date, in the import's own market and product.
          const seq = importSeq++;
          const date = new Date(Date.UTC(2001, 0, 1) + seq * 86_400_000).toISOString().slice(0, 10);
          const target = previous ?? {
            vendor,
            date,
            csv: `date,market,product,quantity\n${date},Soak Import Market,Soak Loaf,${(seq % 40) + 1}\n`,
          };
          if (previous) replays += 1;
          request = {
            url: `${apiUrl}/v1/imports?fileName=soak-${target.date}.csv`,
            init: {
              method: 'POST',
              headers: {
                cookie: target.vendor.cookie,
                'x-csrf-token': target.vendor.csrf,
                'content-type': 'text/csv',
              },
              body: target.csv,
            },
            ok: (s) => s === 200 || s === 201,
          };
          onAck = () => ackedImports.set(`${target.vendor.id}|${target.date}`, target);
          break;
        }
        case 'webhook': {
          const previous =
            replay && ackedWebhooks.size > 0
              ? pick([...ackedWebhooks.keys()].slice(-200))
              : undefined;
          const eventId = previous ?? randomUUID();
          if (previous) replays += 1;
          const rawBody =
            ackedWebhooks.get(eventId) ??
            JSON.stringify({
              merchant_id: 'MLSOAK00000',
              type: 'payment.updated',
              event_id: eventId,
              created_at: new Date().toISOString(),
              data: { type: 'payment', id: `P${eventId.slice(0, 8)}` },
            });
          request = {
            url: `${apiUrl}/v1/webhooks/square`,
            init: {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                [SQUARE_SIGNATURE_HEADER]: signSquareWebhook({
                  signatureKey: settings.squareSignatureKey,
                  notificationUrl: settings.squareWebhookUrl,
                  rawBody,
                }),
              },
              body: rawBody,
            },
            ok: (s) => s === 200,
          };
          onAck = () => ackedWebhooks.set(eventId, rawBody);
          break;
        }
      }
      requests[kind] += 1;
      const t0 = performance.now();
      const period = Math.floor((Date.now() - started) / 1000 / periodSec);
      let status = 0;
      try {
        const response = await fetch(request.url, {
          ...request.init,
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        const body = await response.arrayBuffer();
        if (kind === 'read-prep-list' && status === 200) {
          const id = /^\{"id":"([0-9a-f-]{36})"/.exec(Buffer.from(body.slice(0, 64)).toString());
          if (id?.[1]) servedLists.set(id[1], body.byteLength);
        }
      } catch {
        status = 0; // connection error or timeout
      }
      const elapsed = performance.now() - t0;
      (latencies[period] ??= []).push(elapsed);
      byKind[kind].push(elapsed);
      if (request.ok(status)) onAck();
      else {
        errors[`${kind} ${status || 'no answer'}`] =
          (errors[`${kind} ${status || 'no answer'}`] ?? 0) + 1;
        errorCounts[period] = (errorCounts[period] ?? 0) + 1;
      }
    };

    // Heap, RSS, event-loop delay and connections, sampled through the run.
    interface Sample {
      period: number;
      apiRss: number;
      workerRss: number;
      loopP99: number;
      connections: number;
    }
    const samples: Sample[] = [];
    let sampling = true;
    // Heap after a full collection (bench/gc-probe.cjs), every GC_PROBE_MS in both processes.
    const heaps: { period: number; api: number; worker: number }[] = [];
    const heapSampler = (async () => {
      while (sampling) {
        await new Promise((resolve) => setTimeout(resolve, GC_PROBE_MS));
        const [apiHeap, workerHeap] = await Promise.all([api.heapAfterGc(), worker.heapAfterGc()]);
        if (apiHeap !== null && workerHeap !== null) {
          heaps.push({
            period: Math.floor((Date.now() - started) / 1000 / periodSec),
            api: apiHeap,
            worker: workerHeap,
          });
        }
      }
    })();
    const sampler = (async () => {
      while (sampling) {
        try {
          const [apiText, workerText, conns] = await Promise.all([
            fetch(`${apiUrl}/metrics`).then((r) => r.text()),
            worker.metrics(),
            admin.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1`,
              [dbName],
            ),
          ]);
          samples.push({
            period: Math.floor((Date.now() - started) / 1000 / periodSec),
            apiRss: sampleValue(apiText, 'process_resident_memory_bytes'),
            workerRss: sampleValue(workerText, 'marketprep_worker_process_resident_memory_bytes'),
            loopP99: sampleValue(apiText, 'nodejs_eventloop_lag_p99_seconds'),
            connections: Number(conns.rows[0]?.n ?? 0),
          });
        } catch {
          // a sample lost (e.g. while a process is busy) is not an error of the system
        }
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    })();

    // The load: open loop at `rate` per second; Redis killed at the middle and brought back.
    const durationMs = options.durationSec * 1000;
    const outageAt = durationMs / 2;
    const outageMs = (options.redisDownSec ?? 15) * 1000;
    let redisBackAt = 0;
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, outageAt));
      log(`t=${Math.round((Date.now() - started) / 1000)}s: Redis killed (SIGKILL)`);
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, outageMs));
      redis = await startRedis(redisPort, { dataDir: redisDir });
      redisBackAt = Date.now();
      log(`t=${Math.round((redisBackAt - started) / 1000)}s: Redis restarted on the same data`);
    })();
    const pending = new Set<Promise<void>>();
    let sent = 0;
    const cumulative = MIX.reduce<[Kind, number][]>((acc, [kind, share]) => {
      acc.push([kind, (acc.at(-1)?.[1] ?? 0) + share]);
      return acc;
    }, []);
    let nextReport = periodSec * 1000;
    while (Date.now() - started < durationMs) {
      const due = Math.floor(((Date.now() - started) / 1000) * options.rate);
      while (sent < due) {
        sent += 1;
        if (inFlight >= MAX_IN_FLIGHT) {
          skipped += 1;
          continue;
        }
        const roll = Math.random();
        const kind = cumulative.find(([, upTo]) => roll < upTo)?.[0] ?? 'read-markets';
        inFlight += 1;
        const p = send(kind).finally(() => {
          inFlight -= 1;
          pending.delete(p);
        });
        pending.add(p);
      }
      if (Date.now() - started >= nextReport) {
        const period = Math.floor(nextReport / 1000 / periodSec) - 1;
        const sorted = [...(latencies[period] ?? [])].sort((a, b) => a - b);
        log(
          `t=${Math.round(nextReport / 1000)}s: ${sorted.length} requests, p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms, errors ${errorCounts[period] ?? 0}`,
        );
        nextReport += periodSec * 1000;
        if (period === 0) await snapshot('warm');
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(pending);
    await outage;
    await snapshot('end');
    sampling = false;
    await Promise.all([sampler, heapSampler]);

    // Drain: every due outbox row dispatched and every queued job finished.
    queue = new Queue('maintenance', {
      connection: { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: 1 },
      prefix: settings.queuePrefix,
    });
    const drainStarted = Date.now();
    await waitUntil(
      'the outbox and the queue drained',
      async () => {
        const { rows } = await admin.query<{ n: string }>(
          `SELECT count(*) AS n FROM outbox WHERE status = 'PENDING' AND available_at <= now()`,
        );
        // Not 'delayed': the job schedulers always hold their next run there.
        const counts = await queue!.getJobCounts('waiting', 'active', 'prioritized');
        return Number(rows[0]?.n) === 0 && Object.values(counts).every((n) => n === 0);
      },
      (options.drainTimeoutSec ?? 120) * 1000,
    ).catch((error: Error) => log(`drain: ${error.message}`));
    const drainSec = (Date.now() - Math.max(redisBackAt, drainStarted)) / 1000;

    // Lost and duplicated rows.
    const feedback = await admin.query<{ id: string; n: string }>(
      `SELECT split_part(client_submission_id, ':', 1) AS id, count(*) AS n FROM feedback
        WHERE client_submission_id IS NOT NULL GROUP BY 1`,
    );
    const feedbackById = new Map(feedback.rows.map((r) => [r.id, Number(r.n)]));
    let lostCheckIns = 0;
    let dupCheckIns = 0;
    for (const [id, target] of ackedCheckIns) {
      const rows = feedbackById.get(id) ?? 0;
      const lines = target.vendor.productIds.length;
      if (rows < lines) lostCheckIns += 1;
      if (rows > lines) dupCheckIns += rows - lines;
    }
    const sales = await admin.query<{ vendor_id: string; date: string; n: string }>(
      `SELECT s.vendor_id, to_char(s.market_date, 'YYYY-MM-DD') AS date, count(*) AS n
         FROM sales s JOIN products p ON p.vendor_id = s.vendor_id AND p.id = s.product_id
        WHERE p.name = 'Soak Loaf' GROUP BY 1, 2`,
    );
    const salesByKey = new Map(sales.rows.map((r) => [`${r.vendor_id}|${r.date}`, Number(r.n)]));
    let lostImports = 0;
    let dupImports = 0;
    for (const key of ackedImports.keys()) {
      const rows = salesByKey.get(key) ?? 0;
      if (rows === 0) lostImports += 1;
      if (rows > 1) dupImports += rows - 1;
    }
    const files = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM sales_imports WHERE status = 'COMMITTED' AND file_name LIKE 'soak-%'`,
    );
    dupImports += Math.max(0, Number(files.rows[0]?.n ?? 0) - ackedImports.size);
    const events = await admin.query<{ event_id: string; n: string }>(
      `SELECT event_id, count(*) AS n FROM webhook_events GROUP BY 1`,
    );
    const eventsById = new Map(events.rows.map((r) => [r.event_id, Number(r.n)]));
    let lostWebhooks = 0;
    let dupWebhooks = 0;
    for (const id of ackedWebhooks.keys()) {
      const rows = eventsById.get(id) ?? 0;
      if (rows === 0) lostWebhooks += 1;
      if (rows > 1) dupWebhooks += rows - 1;
    }

    // Every dispatched outbox row is a BullMQ job that completed; retried ones are counted.
    const outbox = await admin.query<{ id: string; status: string; due: boolean }>(
      `SELECT id, status, available_at <= now() AS due FROM outbox`,
    );
    const dispatched = outbox.rows.filter((r) => r.status === 'DISPATCHED');
    let completed = 0;
    let queued = 0;
    let retried = 0;
    let lostJobs = 0;
    for (const row of dispatched) {
      const job = await queue.getJob(row.id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'completed') completed += 1;
      else if (['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(state))
        queued += 1; // not run yet when the drain wait ended: late, not lost
      else lostJobs += 1; // gone from Redis, or failed for good
      if (job && (job.attemptsMade > 1 || (job.stalledCounter ?? 0) > 0)) retried += 1;
    }

    const periods: SoakPeriod[] = latencies.map((values, period) => {
      const sorted = [...(values ?? [])].sort((a, b) => a - b);
      const inPeriod = samples.filter((s) => s.period === period);
      const heapsIn = heaps.filter((h) => h.period === period);
      const lowest = (values: number[]) => (values.length ? Math.min(...values) : 0);
      const max = (pickOf: (s: Sample) => number) =>
        inPeriod.length ? Math.max(...inPeriod.map(pickOf)) : 0;
      return {
        startSec: period * periodSec,
        requests: sorted.length,
        errors: errorCounts[period] ?? 0,
        p50Ms: Math.round(quantile(sorted, 0.5) * 10) / 10,
        p99Ms: Math.round(quantile(sorted, 0.99) * 10) / 10,
        apiHeapMb: mb(lowest(heapsIn.map((h) => h.api))),
        apiRssMb: mb(max((s) => s.apiRss)),
        workerHeapMb: mb(lowest(heapsIn.map((h) => h.worker))),
        workerRssMb: mb(max((s) => s.workerRss)),
        eventLoopP99Ms: Math.round(max((s) => s.loopP99) * 1000 * 10) / 10,
        pgConnections: max((s) => s.connections),
      };
    });
    // Warm-up: the first period (code paths compiled, caches and pools filled).
    const measured = periods.filter((p) => p.requests > 0).slice(1);
    const growth = (heap: (p: SoakPeriod) => number) =>
      measured.length >= 2
        ? Math.round((heap(measured.at(-1)!) - heap(measured[0]!)) * 10) / 10
        : 0;
    return {
      periods,
      requests,
      p99ByKindMs: Object.fromEntries(
        MIX.map(([kind]) => [
          kind,
          Math.round(
            quantile(
              [...byKind[kind]].sort((a, b) => a - b),
              0.99,
            ),
          ),
        ]),
      ) as Record<Kind, number>,
      errors,
      skipped,
      acknowledged: {
        checkIns: ackedCheckIns.size,
        imports: ackedImports.size,
        webhooks: ackedWebhooks.size,
        replays,
      },
      lost: {
        checkIns: lostCheckIns,
        imports: lostImports,
        webhooks: lostWebhooks,
        jobs: lostJobs,
      },
      duplicated: { checkIns: dupCheckIns, imports: dupImports, webhooks: dupWebhooks },
      jobs: {
        dispatched: dispatched.length,
        completed,
        failedRows: outbox.rows.filter((r) => r.status === 'FAILED').length,
        pendingDue: outbox.rows.filter((r) => r.status === 'PENDING' && r.due).length,
        queued,
        retried,
      },
      apiErrorLog: api
        .errorLines()
        .filter((line) => !line.includes('database away'))
        .slice(-5)
        .map((line) => line.slice(0, 600)),
      drainSec: Math.round(drainSec * 10) / 10,
      apiHeapGrowthMb: growth((p) => p.apiHeapMb),
      workerHeapGrowthMb: growth((p) => p.workerHeapMb),
    };
  } finally {
    await queue?.close().catch(() => undefined);
    await Promise.all([api?.stop(), worker?.stop()]);
    await redis?.stop();
    await db.close();
    await admin.end();
    await rm(redisDir, { recursive: true, force: true });
  }
}

/** Prints a report as the bench's final table. */
export function formatSoakReport(report: SoakReport): string {
  const lines = [
    'period   req   err  p50 ms  p99 ms  api heap MB  api RSS MB  worker heap MB  worker RSS MB  loop p99 ms  pg conns',
    ...report.periods.map((p) =>
      [
        `${p.startSec}s`.padEnd(7),
        String(p.requests).padStart(5),
        String(p.errors).padStart(5),
        p.p50Ms.toFixed(1).padStart(7),
        p.p99Ms.toFixed(1).padStart(7),
        p.apiHeapMb.toFixed(1).padStart(12),
        p.apiRssMb.toFixed(1).padStart(11),
        p.workerHeapMb.toFixed(1).padStart(15),
        p.workerRssMb.toFixed(1).padStart(14),
        p.eventLoopP99Ms.toFixed(1).padStart(12),
        String(p.pgConnections).padStart(9),
      ].join(' '),
    ),
    `requests: ${JSON.stringify(report.requests)}; not sent (system behind): ${report.skipped}`,
    `p99 by kind (ms): ${JSON.stringify(report.p99ByKindMs)}`,
    `errors: ${JSON.stringify(report.errors)}`,
    `acknowledged: ${JSON.stringify(report.acknowledged)}`,
    `lost: ${JSON.stringify(report.lost)}`,
    `duplicated: ${JSON.stringify(report.duplicated)}`,
    `jobs: ${JSON.stringify(report.jobs)}; drained ${report.drainSec} s after Redis returned`,
    `heap after GC, growth after warm-up: api ${report.apiHeapGrowthMb} MB, worker ${report.workerHeapGrowthMb} MB`,
    ...report.apiErrorLog.map((line) => `api error log: ${line}`),
  ];
  return lines.join('\n');
}

function parseDuration(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text);
  if (!match) throw new Error(`--duration: expected seconds or e.g. 10m, got ${text}`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const durationSec = parseDuration(arg('--duration'), 600);
  const heapSnapshotDir = arg('--heap-snapshots');
  const rate = Number(arg('--rate') ?? 40);
  const serverUrl =
    process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `mp_soak_${randomBytes(4).toString('hex')}`;
  const server = new pg.Client({ connectionString: serverUrl });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate({ connectionString: url.toString(), migrationsDir: MIGRATIONS_DIR });
    console.log(
      `soak: ${durationSec} s at ${rate} requests/s, Redis down from the middle for 15 s`,
    );
    const report = await runSoak({
      databaseUrl: url.toString(),
      durationSec,
      rate,
      heapSnapshotDir,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(formatSoakReport(report));
  } finally {
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
