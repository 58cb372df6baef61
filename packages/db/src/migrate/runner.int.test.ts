import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../paths';
import { createEmptyDatabase } from '../testing/test-database';
import { MigrationError, migrate, readMigrations } from './runner';

let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
let dir: string;

beforeEach(async () => {
  db = await createEmptyDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'mp-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
});
afterEach(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function bookkeeping(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function addMigration(name: string, sql: string) {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

describe('migrate', () => {
  it('applies every migration to a fresh database with Prisma-compatible bookkeeping', async () => {
    const files = await readMigrations(dir);
    expect(files.length).toBeGreaterThanOrEqual(2);

    const result = await migrate({ connectionString: db.url, migrationsDir: dir });

    expect(result.applied).toEqual(files.map((f) => f.name));
    expect(result.alreadyApplied).toEqual([]);
    const rows = await bookkeeping(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const sql = await readFile(path.join(dir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.checksum).toBe(files[i]?.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('is a no-op when run again', async () => {
    await migrate({ connectionString: db.url, migrationsDir: dir });
    const before = await bookkeeping(db.url);

    const again = await migrate({ connectionString: db.url, migrationsDir: dir });

    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(before.map((r) => r.migration_name));
    expect(await bookkeeping(db.url)).toEqual(before);
  });

  it('applies only the new migration when one is added', async () => {
    await migrate({ connectionString: db.url, migrationsDir: dir });
    await addMigration('29990101000000_add_note', 'CREATE TABLE "note" (id int PRIMARY KEY);');

    const result = await migrate({ connectionString: db.url, migrationsDir: dir });

    expect(result.applied).toEqual(['29990101000000_add_note']);
  });

  it('refuses to proceed when an applied migration file has changed, naming it', async () => {
    await migrate({ connectionString: db.url, migrationsDir: dir });
    const [first] = await readMigrations(dir);
    const file = path.join(dir, first!.name, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited later\n`);
    await addMigration('29990101000000_add_note', 'CREATE TABLE "note" (id int PRIMARY KEY);');

    const error = await migrate({ connectionString: db.url, migrationsDir: dir }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('CHECKSUM_MISMATCH');
    expect((error as MigrationError).migration).toBe(first!.name);
    expect((error as MigrationError).message).toContain(first!.name);
    // Nothing after the refusal ran.
    expect((await bookkeeping(db.url)).map((r) => r.migration_name)).not.toContain(
      '29990101000000_add_note',
    );
  });

  it('rolls back a failing migration completely and names it', async () => {
    await addMigration(
      '29990101000000_broken',
      'CREATE TABLE "half_done" (id int PRIMARY KEY);\nSELECT no_such_function();',
    );

    const error = await migrate({ connectionString: db.url, migrationsDir: dir }).catch(
      (e: unknown) => e,
    );

    expect((error as MigrationError).code).toBe('SQL_ERROR');
    expect((error as MigrationError).message).toContain('29990101000000_broken');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('half_done') AS t");
    await client.end();
    expect(rows[0]).toEqual({ t: null });
    expect((await bookkeeping(db.url)).map((r) => r.migration_name)).not.toContain(
      '29990101000000_broken',
    );
  });

  it('serializes concurrent runners: every migration is applied exactly once', async () => {
    // A slow migration widens the window in which an unlocked second runner would collide.
    await addMigration(
      '29990101000000_slow',
      'SELECT pg_sleep(0.3); CREATE TABLE "slow" (id int);',
    );
    const files = await readMigrations(dir);

    const results = await Promise.all([
      migrate({ connectionString: db.url, migrationsDir: dir }),
      migrate({ connectionString: db.url, migrationsDir: dir }),
      migrate({ connectionString: db.url, migrationsDir: dir }),
    ]);

    const appliedCounts = results.map((r) => r.applied.length).sort((a, b) => b - a);
    expect(appliedCounts).toEqual([files.length, 0, 0]);
    const rows = await bookkeeping(db.url);
    expect(rows).toHaveLength(files.length);
  });
});
