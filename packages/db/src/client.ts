import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { enableFastTenantPath } from './tenant';

/** The role every request runs as: owns nothing, not superuser, no BYPASSRLS (migration 0001). */
export const APP_ROLE = 'marketprep_app';

/** Options for {@link createDatabaseClient}. */
export interface DatabaseClientOptions {
  /** PostgreSQL URL. The login role may be the owner: connections switch to `appRole` at start-up. */
  connectionString: string;
  /** Role the connection assumes (`-c role=...`), so row-level security applies. */
  appRole?: string;
  /** Pool size. */
  maxConnections?: number;
  /** Fail a connection attempt after this long instead of hanging (ms). */
  connectionTimeoutMs?: number;
  /** Abort any statement that runs longer than this (ms). */
  statementTimeoutMs?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

/** Result of {@link DatabaseClient.probe}. */
export interface DatabaseProbe {
  ok: boolean;
  /** How long the probe has waited (a probe still pending on a frozen server keeps counting). */
  latencyMs: number;
  error?: string;
}

/** A Prisma client running as the app role, and the pool beneath it. */
export interface DatabaseClient {
  prisma: PrismaClient;
  pool: pg.Pool;
  /**
   * `SELECT 1` on a dedicated connection outside the pool (so a busy pool cannot fail it), at most
   * one in flight: while an earlier probe still waits on a frozen server, this answers "not ok"
   * after `timeoutMs` without opening another connection.
   */
  probe(timeoutMs: number): Promise<DatabaseProbe>;
  /**
   * Destroys every pooled connection's socket at once: queries waiting on a frozen or vanished
   * server fail now (their callers answer 503) instead of hanging; the pool reconnects on demand.
   */
  dropConnections(): number;
  /** Closes Prisma and the pool. */
  close(): Promise<void>;
}

/** The socket under a pg client (pg keeps it on `connection.stream`). */
function socketOf(client: pg.Client): { destroy(): void } | undefined {
  return (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
    ?.stream;
}

/**
 * Creates the Prisma client the apps use. Every pooled connection assumes the app role as a
 * start-up parameter, before any query can run, so even a connection string of the database owner
 * cannot bypass row-level security through this client.
 */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const role = options.appRole ?? APP_ROLE;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'marketprep',
    options: `-c role=${quoteGucValue(role)} -c statement_timeout=${options.statementTimeoutMs ?? 15_000}`,
  });
  // An idle client that dies (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const pooled = new Set<pg.Client>();
  pool.on('connect', (client) => {
    pooled.add(client);
    // A checked-out client whose connection dies (database stopped, dropConnections) emits
    // 'error' with no pool listener attached; its pending query already fails with the same
    // error, which the caller answers as 503, so the event itself must not crash the process.
    client.on('error', () => undefined);
  });
  pool.on('remove', (client) => pooled.delete(client));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // withScope/withTenant on this client run on pinned pool connections (tenant-pinned.ts).
  const pinned = enableFastTenantPath(prisma, pool);

  let probeClient: pg.Client | null = null;
  let pending: { promise: Promise<void>; startedAt: number } | null = null;
  const discardProbeClient = (client: pg.Client | null) => {
    if (!client) return;
    if (probeClient === client) probeClient = null;
    socketOf(client)?.destroy();
  };
  const runProbe = async (timeoutMs: number): Promise<void> => {
    if (!probeClient) {
      const client = new pg.Client({
        connectionString: options.connectionString,
        connectionTimeoutMillis: timeoutMs,
        application_name: `${options.applicationName ?? 'marketprep'}-probe`,
        options: `-c role=${quoteGucValue(role)}`,
      });
      client.on('error', () => discardProbeClient(client));
      probeClient = client;
      try {
        await client.connect();
      } catch (error) {
        discardProbeClient(client);
        throw error;
      }
    }
    const client = probeClient;
    try {
      await client.query('SELECT 1');
    } catch (error) {
      discardProbeClient(client);
      throw error;
    }
  };

  return {
    prisma,
    pool,
    async probe(timeoutMs) {
      const started = performance.now();
      if (!pending) {
        const promise = runProbe(timeoutMs);
        pending = { promise: promise.then(() => undefined), startedAt: started };
        void promise.then(
          () => (pending = null),
          () => (pending = null),
        );
      }
      const current = pending;
      let settled = false;
      void current.promise.then(
        () => (settled = true),
        () => (settled = true),
      );
      let timer: NodeJS.Timeout | undefined;
      try {
        const left = Math.max(0, timeoutMs - (performance.now() - current.startedAt));
        await Promise.race([
          current.promise,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), left);
          }),
        ]);
        return { ok: true, latencyMs: Math.round(performance.now() - current.startedAt) };
      } catch (error) {
        // A blocked event loop runs timers before the socket's data: give the answer that may
        // already be waiting one turn of I/O before calling the database slow.
        await new Promise((resolve) => setImmediate(resolve));
        if (settled && pending !== current) {
          const again = await current.promise.then(
            () => true,
            () => false,
          );
          if (again)
            return { ok: true, latencyMs: Math.round(performance.now() - current.startedAt) };
        }
        return {
          ok: false,
          latencyMs: Math.round(performance.now() - current.startedAt),
          error: error instanceof Error ? error.message.split('\n')[0] : 'unknown error',
        };
      } finally {
        clearTimeout(timer);
      }
    },
    dropConnections() {
      const clients = [...pooled];
      for (const client of clients) socketOf(client)?.destroy();
      return clients.length;
    },
    async close() {
      discardProbeClient(probeClient);
      await prisma.$disconnect();
      await pinned.close();
      await pool.end();
    },
  };
}

function quoteGucValue(value: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(value)) {
    throw new Error(`Invalid database role name: ${value}`);
  }
  return value;
}
