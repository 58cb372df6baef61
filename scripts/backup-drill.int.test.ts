import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VENDOR_ID, REPO_ROOT, seedDemoVendor } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { PrepListPlanner } from '@marketprep/planning';
import { runBackupDrill } from './backup-drill';

// The backup drill on a seeded database: the demo vendor's two years of history, a stored prep
// list, a user with a session. The dump restores into a fresh database that the app role reads.

let db: TestDatabase;
let prepListId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  await seedDemoVendor({ prisma: db.app.prisma, today, now });
  const [day] = await db.adminQuery<{ market_id: string; date: string }>(
    `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
      WHERE vendor_id = $1 AND date >= current_date AND status = 'SCHEDULED'
      ORDER BY date LIMIT 1`,
    [DEMO_VENDOR_ID],
  );
  const planner = new PrepListPlanner({ db: db.app, now: () => now });
  const generated = await planner.generatePrepList({
    vendorId: DEMO_VENDOR_ID,
    marketId: day!.market_id,
    date: day!.date,
  });
  prepListId = generated.stored.id;
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('scripts/backup-drill.ts', () => {
  it('restores a pg_dump into a fresh database whose rows match and which the app reads', async () => {
    const lines: string[] = [];
    const report = await runBackupDrill({ sourceUrl: db.adminUrl, log: (l) => lines.push(l) });
    expect(report.problems).toEqual([]);
    expect(report.dumpBytes).toBeGreaterThan(10_000);
    const rows = new Map(report.tables.map((t) => [t.name, t.rows]));
    expect(rows.get('public.vendors')).toBeGreaterThanOrEqual(1);
    expect(rows.get('public.daily_sales')).toBeGreaterThan(100);
    expect(rows.get('public._prisma_migrations')).toBeGreaterThan(10);
    expect(report.vendorsRead).toBeGreaterThanOrEqual(1);
    const loaded = report.prepListsLoaded.find((list) => list.id === prepListId);
    expect(loaded?.lines).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/pg_dump: .* KiB/);
    // The restored copy was dropped.
    const left = await db.adminQuery<{ n: string }>(
      `SELECT count(*) AS n FROM pg_database WHERE datname = $1`,
      [report.restoredDatabase],
    );
    expect(Number(left[0]?.n)).toBe(0);
  }, 120_000);

  it('runs from the command line and says OK', async () => {
    const { stdout } = await promisify(execFile)(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/backup-drill.ts', '--source', db.adminUrl],
      { cwd: REPO_ROOT, timeout: 120_000 },
    );
    expect(stdout).toMatch(/\[backup-drill\] OK/);
    expect(stdout).toMatch(/verified in \d+ ms: \d+ tables/);
  }, 130_000);
});
