import type { HealthDetailed } from '@marketprep/contracts';

import { formatSeconds } from '../dashboard/freshness';

const ms = (value: number | undefined) => (value === undefined ? '' : `${Math.round(value)} ms`);

/**
 * The Redis row's details: latency and any problem when configured; when not, the API's own
 * sentence (it already says what runs instead), so the row does not say it twice.
 */
export function redisDetails(redis: HealthDetailed['checks']['redis']): string {
  if (!redis.configured) return redis.detail ?? 'not configured: in-process jobs and rate limits';
  return [ms(redis.latencyMs), redis.detail].filter(Boolean).join(' ');
}

/** One row of the Square sync lag list. */
export interface SyncLagRow {
  id: string;
  /** "Square connection", numbered when there are several. */
  label: string;
  /** The id's first block, to match the logs; the whole id goes in a tooltip. */
  shortId: string;
  text: string;
}

/**
 * The worker reports sync lag per Square connection id, without the business, so an operator
 * reads "Square connection N" and not a raw UUID.
 */
export function syncLagRows(syncLagSeconds: Record<string, number | null>): SyncLagRow[] {
  const entries = Object.entries(syncLagSeconds);
  return entries.map(([id, lag], index) => ({
    id,
    label: entries.length === 1 ? 'Square connection' : `Square connection ${index + 1}`,
    shortId: id.split('-')[0] ?? id,
    text: lag === null ? 'never synced' : `synced ${formatSeconds(lag)}`,
  }));
}
