import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabaseClient, type DatabaseClient } from '../client';
import { withDatabase } from './global-setup';

/** A database of one test file, cloned from the migrated template. */
export interface TestDatabase {
  name: string;
  /** Owner (superuser) URL: for setup and for inspecting what the app could not see. */
  adminUrl: string;
  /** A Prisma client as the app role (RLS applies), like the apps use. */
  app: DatabaseClient;
  /** Another app-role client with its own options (e.g. a pool of one connection). */
  createAppClient(options?: { maxConnections?: number }): DatabaseClient;
  /** One query as the owner, on a connection of its own: what is really stored, RLS aside. */
  adminQuery<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * Clones a fresh database from the template built by global-setup. Call in `beforeAll`, and
 * `drop()` in `afterAll`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('pgAdminUrl');
  const template = inject('pgTemplateDatabase');
  const name = `mp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const adminUrl = withDatabase(serverUrl, name);
  const clients: DatabaseClient[] = [];
  const createAppClient = (options: { maxConnections?: number } = {}) => {
    const client = createDatabaseClient({ connectionString: adminUrl, ...options });
    clients.push(client);
    return client;
  };
  const app = createAppClient();
  return {
    name,
    adminUrl,
    app,
    createAppClient,
    async adminQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** An empty database (no migrations): for the migration runner's own tests. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('pgAdminUrl');
  const name = `mp_empty_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
