import { createHash } from 'node:crypto';
import type { PrepListState } from '@marketprep/db';
import { toDayNumber } from '@marketprep/forecast';
import { MODEL_MAX_LAG_DAYS } from '@marketprep/planning';

/**
 * The prep-list read fast path's decisions, mirroring `@marketprep/planning`'s planner: when the
 * CURRENT stored list's inputs hash matches what the planner would compute now, the stored list
 * is served as is. Should the two ever disagree the fast path only misses (the planner then
 * answers), so a divergence costs speed, never correctness; `cache_misses_total{cache="prep-list"}`
 * shows it.
 */
const CACHE_VERSION = 'prep-list-3';

/**
 * The answer's shape, part of every JSON cache key: a list serialized before a field was added
 * (version 2: `priced` on each line; 4: `costed`) stays in Redis up to its TTL and must not be served as is.
 */
const JSON_SHAPE_VERSION = 'prep-list-json-4';

/** The stored list is servable: market day scheduled, a fresh model, a CURRENT list, same hash. */
export function currentIsFresh(
  state: PrepListState,
  date: string,
): state is PrepListState & {
  market: NonNullable<PrepListState['market']>;
  marketDay: NonNullable<PrepListState['marketDay']>;
  model: NonNullable<PrepListState['model']>;
  current: NonNullable<PrepListState['current']>;
} {
  const { market, marketDay, model, current, freshness } = state;
  if (!market || !marketDay || marketDay.status !== 'SCHEDULED' || !model || !current) return false;
  if (freshness.latestSalesDate) {
    if (!model.trainedThrough) return false;
    const lag = toDayNumber(freshness.latestSalesDate) - toDayNumber(model.trainedThrough);
    if (lag > MODEL_MAX_LAG_DAYS) return false;
  }
  const time = (value: Date | null) => value?.toISOString() ?? null;
  const canonical = JSON.stringify([
    CACHE_VERSION,
    model.id,
    marketDay.id,
    date,
    time(marketDay.updatedAt),
    time(market.updatedAt),
    time(freshness.salesAsOf),
    freshness.salesVersion,
    freshness.latestSalesDate,
    time(freshness.feedbackAsOf),
    freshness.feedbackVersion,
    time(freshness.productsAsOf),
    freshness.productCount,
    time(freshness.weatherAsOf),
    time(freshness.eventsAsOf),
    freshness.eventCount,
  ]);
  return createHash('sha256').update(canonical).digest('hex') === current.inputsHash;
}

/**
 * The cache key of a servable state's JSON: the recommendation id (unique across vendors) and a
 * digest of everything the JSON depends on that can change without a new recommendation (the
 * overrides fingerprint, the market and vendor header fields). A key therefore names one JSON
 * text for good: no replica needs telling when a list changes, its key changes instead.
 */
export function jsonCacheKeyOf(
  state: Pick<PrepListState, 'current' | 'market'> & {
    current: NonNullable<PrepListState['current']>;
  },
  date: string,
): string {
  const { current, market } = state;
  const depends = JSON.stringify([
    CACHE_VERSION,
    JSON_SHAPE_VERSION,
    current?.inputsHash,
    current?.overrides,
    market?.name,
    market?.timezone,
    market?.countryCode,
    market?.regionCode,
    market?.vendorName,
    market?.currency,
    date,
  ]);
  return `${current.id}:${createHash('sha256').update(depends).digest('base64url')}`;
}
