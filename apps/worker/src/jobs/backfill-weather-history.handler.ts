import { localDate } from '@marketprep/planning';
import { backfillWeatherHistoryJob } from './backfill-weather-history.job';
import { addDays, unrecoverableIfFinal, withVendor, type BackgroundDeps } from './background-deps';
import { parsePayload, type JobHandler } from './job';

/** The archive lags real time by a few days. */
const ARCHIVE_LAG_DAYS = 5;
/** Dates per run and market (the rest waits for the next run). */
const MAX_DATES = 800;
/** One archive request covers at most this many days. */
const CHUNK_DAYS = 366;

/**
 * Observed weather for past market days without any (Open-Meteo archive, through its breaker),
 * stored as OBSERVED rows: the history the model trains on. Idempotent (upsert per date).
 */
export function createBackfillWeatherHistoryHandler(deps: BackgroundDeps): JobHandler {
  return async (payload) => {
    const { vendorId, marketId } = parsePayload(backfillWeatherHistoryJob, payload);
    const { openMeteo, breakers } = deps.providers;
    if (!openMeteo) return { skipped: 'open-meteo not configured' };
    const now = deps.now();
    const markets = await withVendor(deps.db, vendorId, (repo) => repo.listMarkets(marketId));
    let stored = 0;
    for (const market of markets) {
      const before = addDays(localDate(now, market.timezone), -ARCHIVE_LAG_DAYS + 1);
      const missing = await withVendor(deps.db, vendorId, (repo) =>
        repo.datesWithoutObservedWeather({ marketId: market.id, before, limit: MAX_DATES }),
      );
      const wanted = new Set(missing);
      for (let i = 0; i < missing.length;) {
        const start = missing[i] as string;
        const limit = addDays(start, CHUNK_DAYS - 1);
        let j = i;
        while (j + 1 < missing.length && (missing[j + 1] as string) <= limit) j++;
        const end = missing[j] as string;
        i = j + 1;
        let days;
        try {
          days = await breakers.get('open-meteo-archive').run(() =>
            openMeteo.getDailyArchive({
              latitude: market.latitude,
              longitude: market.longitude,
              timeZone: market.timezone,
              startDate: start,
              endDate: end,
            }),
          );
        } catch (error) {
          throw unrecoverableIfFinal(error);
        }
        const fetchedAt = deps.now();
        await withVendor(deps.db, vendorId, async (repo) => {
          for (const day of days) {
            if (!wanted.has(day.date)) continue;
            if (Object.values(day.values).every((v) => v === null)) continue;
            await repo.upsertWeather({
              vendorId,
              marketId: market.id,
              date: day.date,
              provider: 'OPEN_METEO',
              kind: 'OBSERVED',
              fetchedAt,
              values: day.values,
            });
            stored++;
          }
        });
      }
    }
    return { stored };
  };
}
