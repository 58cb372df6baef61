/**
 * The soak bench's 30-second version (issue 16): the API and the worker as processes, mixed
 * traffic, Redis killed and restarted in the middle. Nothing acknowledged may be lost or stored
 * twice, and every dispatched outbox row must be a completed job. The full 10-minute run and its
 * figures are in docs/performance.md ("Soak").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { formatSoakReport, runSoak } from './soak';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('bench/soak.ts, 30 seconds', () => {
  it('loses and duplicates nothing across a Redis kill and restart', async () => {
    const report = await runSoak({
      databaseUrl: db.adminUrl,
      durationSec: 30,
      rate: 20,
      periodSec: 10,
      redisDownSec: 5,
      drainTimeoutSec: 90,
    });
    const summary = formatSoakReport(report);
    expect(report.acknowledged.checkIns, summary).toBeGreaterThan(20);
    expect(report.acknowledged.webhooks, summary).toBeGreaterThan(10);
    expect(report.acknowledged.imports, summary).toBeGreaterThan(0);
    expect(report.lost, summary).toEqual({ checkIns: 0, imports: 0, webhooks: 0, jobs: 0 });
    expect(report.duplicated, summary).toEqual({ checkIns: 0, imports: 0, webhooks: 0 });
    expect(report.jobs.dispatched, summary).toBeGreaterThan(0);
    // Every dispatched row is a BullMQ job that completed, or is still queued when a busy machine
    // made the worker late (late is not lost: a missing or failed job counts in lost.jobs).
    expect(report.jobs.completed, summary).toBeGreaterThan(0);
    expect(report.jobs.completed + report.jobs.queued, summary).toBe(report.jobs.dispatched);
    expect(report.jobs.failedRows, summary).toBe(0);
    // The API kept answering while Redis was away: no request went unanswered.
    expect(
      Object.keys(report.errors).filter((key) => key.endsWith('no answer')),
      summary,
    ).toEqual([]);
  }, 240_000);
});
