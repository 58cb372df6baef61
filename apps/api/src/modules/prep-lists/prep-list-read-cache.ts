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
const MAX_ENTRIES = 1_000;

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
 * Serialized prep lists by recommendation id (ids are unique across vendors, and an entry is only
 * served after the caller's own row-level-secured query named that id). The key holds everything
 * the JSON depends on that can change without a new recommendation: the overrides fingerprint and
 * the market/vendor header fields.
 */
export class PrepListJsonCache {
  private readonly entries = new Map<string, { key: string; json: string }>();

  get(recommendationId: string, key: string): string | undefined {
    const entry = this.entries.get(recommendationId);
    return entry?.key === key ? entry.json : undefined;
  }

  set(recommendationId: string, key: string, json: string): void {
    this.entries.delete(recommendationId);
    this.entries.set(recommendationId, { key, json });
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(recommendationId: string): void {
    this.entries.delete(recommendationId);
  }
}

/** What the cached JSON of a servable state depends on besides the recommendation id. */
export function jsonKeyOf(state: Pick<PrepListState, 'current' | 'market'>, date: string): string {
  const { current, market } = state;
  return JSON.stringify([
    current?.inputsHash,
    current?.overrides,
    market?.name,
    market?.timezone,
    market?.vendorName,
    market?.currency,
    date,
  ]);
}
