import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../embedded';
import { migrate, readMigrations } from '../migrate/runner';
import { MIGRATIONS_DIR } from '../paths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server's `postgres` database. */
    pgAdminUrl: string;
    /** Name of the migrated template database each test file clones. */
    pgTemplateDatabase: string;
  }
}

const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Integration-test setup: finds PostgreSQL (TEST_DATABASE_URL, default the machine's server on
 * 127.0.0.1:5432, else an embedded cluster), builds one migrated template database for this run,
 * and hands its name to the test files, which each clone their own database from it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let embeddedDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  if (!(await answers(adminUrl))) {
    embeddedDir = await mkdtemp(path.join(tmpdir(), 'marketprep-test-pg-'));
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(embeddedDir, 'data'),
      database: 'postgres',
    });
    adminUrl = embedded.connectionString;
  }

  const migrations = await readMigrations(MIGRATIONS_DIR);
  const digest = createHash('sha256')
    .update(migrations.map((m) => m.checksum).join(','))
    .digest('hex')
    .slice(0, 10);
  const template = `mp_tmpl_${digest}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await migrate({
    connectionString: withDatabase(adminUrl, template),
    migrationsDir: MIGRATIONS_DIR,
  });
  // A template must have no open connections while it is cloned; ours are closed by now.
  await admin.end();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.end();
    if (embedded) await embedded.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
