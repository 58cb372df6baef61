import type { InputHealth, PrepList } from '@marketprep/contracts';
import {
  InputHealthRepository,
  NotificationsRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import {
  INPUT_HEALTH_THRESHOLDS,
  assessInputHealth,
  formatMarketDate,
  localDate,
} from '@marketprep/planning';

/** A verdict is reused this long: ages in it read in hours and days, so a minute is invisible. */
const HEALTH_TTL_MS = 60_000;
const HEALTH_CACHE_SIZE = 2_000;

/** The part of a prep list its health depends on. */
export type HealthTarget = Pick<
  PrepList,
  'marketId' | 'marketName' | 'date' | 'timezone' | 'model' | 'lines'
>;

/**
 * Input health of prep lists (docs/input-health.md): the facts read in one tenant-scoped statement,
 * the verdict from @marketprep/planning, and a stale verdict's one alert per market day through the
 * notifications. Computed at read time because health ages while the stored list does not change.
 */
export class PrepListHealth {
  private readonly cache = new Map<string, { at: number; key: string; health: InputHealth }>();

  constructor(private readonly options: { db: DatabaseClient; now: () => Date }) {}

  /** The health of `list` (cached per list for a minute). */
  async healthOf(vendorId: string, list: HealthTarget, listKey: string): Promise<InputHealth> {
    const slot = `${vendorId}|${list.marketId}|${list.date}`;
    const now = this.options.now();
    const hit = this.cache.get(slot);
    if (hit && hit.key === listKey && now.getTime() - hit.at < HEALTH_TTL_MS) return hit.health;
    const facts = await withTenant(
      this.options.db.prisma,
      vendorId,
      (tx) =>
        new InputHealthRepository(tx).findFacts({
          marketId: list.marketId,
          date: list.date,
          rhythmWindowDays: INPUT_HEALTH_THRESHOLDS.salesRhythmWindowDays,
        }),
      { readOnly: true },
    );
    const health = assessInputHealth({
      now,
      today: localDate(now, list.timezone),
      date: list.date,
      sales: {
        square: facts.square,
        lastImportAt: facts.lastImportAt,
        latestSalesDate: facts.latestSalesDate,
        recentSaleDates: facts.recentSaleDates,
        markets: facts.markets,
      },
      weather: facts.weather,
      events: { lastLookupAt: facts.eventsLastLookupAt, onDay: facts.eventsOnDay },
      model: list.model ? { trainedThrough: list.model.trainedThrough } : null,
      lines: list.lines,
    });
    if (health.verdict === 'stale') await this.alertStale(vendorId, list, health, now);
    this.cache.delete(slot);
    this.cache.set(slot, { at: now.getTime(), key: listKey, health });
    while (this.cache.size > HEALTH_CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return health;
  }

  /** One notification per market day whose list was seen stale (the dedupe key holds it to one). */
  private async alertStale(vendorId: string, list: HealthTarget, health: InputHealth, now: Date) {
    const year = Number(localDate(now, list.timezone).slice(0, 4));
    await withTenant(this.options.db.prisma, vendorId, (tx) =>
      new NotificationsRepository(tx).createNotification({
        vendorId,
        kind: 'prep_list.inputs_stale',
        title: `Check the prep list for ${list.marketName}, ${formatMarketDate(list.date, year)}: its inputs are out of date`,
        body: health.summary ?? 'An input of this prep list is out of date.',
        data: { marketId: list.marketId, date: list.date, verdict: health.verdict },
        dedupeKey: `input-health:${list.marketId}:${list.date}`,
      }),
    );
  }
}

/** `json` (a serialized prep list without health) with `health` added as its last field. */
export function withHealthJson(json: string, health: InputHealth): string {
  // The list is an object literal: its closing brace is the last character.
  return `${json.slice(0, json.lastIndexOf('}'))},"health":${JSON.stringify(health)}}`;
}
