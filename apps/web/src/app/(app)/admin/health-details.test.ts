import { describe, expect, it } from 'vitest';

import { redisDetails, syncLagRows } from './health-details';

describe('redisDetails', () => {
  it('says "not configured" once, in the API\'s words', () => {
    const text = redisDetails({
      status: 'ok',
      configured: false,
      detail: 'not configured: in-process jobs and rate limits',
    });
    expect(text).toBe('not configured: in-process jobs and rate limits');
  });

  it('shows latency and any problem when configured', () => {
    expect(redisDetails({ status: 'ok', configured: true, latencyMs: 1.6 })).toBe('2 ms');
    expect(redisDetails({ status: 'down', configured: true, detail: 'connection end' })).toBe(
      'connection end',
    );
  });
});

describe('syncLagRows', () => {
  const a = '6f1c2d3e-0000-4000-8000-000000000001';
  const b = '9a8b7c6d-0000-4000-8000-000000000002';

  it('names a single connection without its UUID in the label', () => {
    expect(syncLagRows({ [a]: 120 })).toEqual([
      { id: a, label: 'Square connection', shortId: '6f1c2d3e', text: 'synced 2 min ago' },
    ]);
  });

  it('numbers several connections and says when one never synced', () => {
    const rows = syncLagRows({ [a]: 30, [b]: null });
    expect(rows.map((row) => [row.label, row.shortId, row.text])).toEqual([
      ['Square connection 1', '6f1c2d3e', 'synced just now'],
      ['Square connection 2', '9a8b7c6d', 'never synced'],
    ]);
    for (const row of rows) expect(row.label).not.toContain(row.id);
  });
});
