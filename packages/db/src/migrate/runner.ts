import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * Prisma Migrate's own advisory-lock key, so this runner and `prisma migrate deploy` (where its
 * engine is available) also exclude each other.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/** One migration folder on disk: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 of the file, hex: what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Every way a migration run can refuse or fail; `migration` names the folder concerned. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly code: 'CHECKSUM_MISMATCH' | 'FAILED_EARLIER' | 'MISSING_LOCALLY' | 'SQL_ERROR',
    readonly migration: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Connection of the role that owns the schema (not the app role). */
  connectionString: string;
  /** `prisma/migrations`. */
  migrationsDir: string;
  log?: (message: string) => void;
}

const BOOKKEEPING_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Reads the migration folders in name (= timestamp) order. */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations, keeping Prisma Migrate's `_prisma_migrations` bookkeeping.
 *
 * - Holds a session advisory lock for the whole run, so concurrent runners serialize.
 * - Refuses to go on when an applied migration's file has changed (checksum), when an applied
 *   migration is missing locally, or when one failed earlier and was not resolved.
 * - Runs each migration in its own transaction (DDL is transactional in PostgreSQL), except one
 *   that builds an index CONCURRENTLY, which PostgreSQL forbids inside a transaction.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const files = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    await acquireLock(client);
    try {
      await client.query(BOOKKEEPING_DDL);
      const { rows } = await client.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const applied = new Map<string, AppliedRow>();
      for (const row of rows) {
        if (row.rolled_back_at) continue;
        if (!row.finished_at) {
          throw new MigrationError(
            `Migration ${row.migration_name} failed earlier and was not resolved; fix the database by hand, then mark it rolled back in _prisma_migrations.`,
            'FAILED_EARLIER',
            row.migration_name,
          );
        }
        applied.set(row.migration_name, row);
      }
      const local = new Set(files.map((f) => f.name));
      for (const name of applied.keys()) {
        if (!local.has(name)) {
          throw new MigrationError(
            `Migration ${name} is applied to the database but missing from ${options.migrationsDir}: is this checkout older than the database?`,
            'MISSING_LOCALLY',
            name,
          );
        }
      }
      const result: MigrateResult = { applied: [], alreadyApplied: [] };
      for (const file of files) {
        const done = applied.get(file.name);
        if (done) {
          if (done.checksum !== file.checksum) {
            throw new MigrationError(
              `Migration ${file.name} was changed after it was applied (checksum ${done.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). Applied migrations must not be edited: revert the file and add a new migration.`,
              'CHECKSUM_MISMATCH',
              file.name,
            );
          }
          result.alreadyApplied.push(file.name);
          continue;
        }
        log(`applying ${file.name}`);
        await applyOne(client, file);
        result.applied.push(file.name);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Waits for the migration lock by polling `pg_try_advisory_lock` rather than blocking in
 * `pg_advisory_lock`: a blocked waiter holds a snapshot, and `CREATE INDEX CONCURRENTLY` in the
 * holder's migration would wait for that snapshot forever (a deadlock no detector sees).
 */
async function acquireLock(client: pg.Client, timeoutMs = 15 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [MIGRATION_LOCK_KEY],
    );
    if (rows[0]?.locked) return;
    if (Date.now() > deadline) throw new Error('Another migration run held the lock for too long.');
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 150));
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  const transactional = !/\bCONCURRENTLY\b/i.test(file.sql);
  const record = async () => {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [id, file.checksum, file.name],
    );
  };
  try {
    if (transactional) {
      await client.query('BEGIN');
      await client.query(file.sql);
      await record();
      await client.query('COMMIT');
    } else {
      await client.query(file.sql);
      await record();
    }
  } catch (error) {
    if (transactional) await client.query('ROLLBACK').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    if (!transactional) {
      // Prisma's convention for a half-applied migration: a row without finished_at, with logs.
      await client
        .query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
           VALUES ($1, $2, $3, $4, now(), 0)`,
          [id, file.checksum, file.name, message],
        )
        .catch(() => undefined);
    }
    throw new MigrationError(`Migration ${file.name} failed: ${message}`, 'SQL_ERROR', file.name);
  }
}
