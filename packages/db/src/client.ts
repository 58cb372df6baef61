import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

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

/** A Prisma client running as the app role, and the pool beneath it. */
export interface DatabaseClient {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Closes Prisma and the pool. */
  close(): Promise<void>;
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
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
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
