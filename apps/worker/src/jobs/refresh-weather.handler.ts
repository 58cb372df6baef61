import type { WeatherColumns, WeatherProviderName } from '@marketprep/db';
import {
  isNwsCountry,
  isProviderCircuitOpenError,
  resolveWeather,
  type CachedWeather,
} from '@marketprep/integrations';
import { parsePayload, type JobHandler } from './job';
import {
  requestWork,
  upcomingMarketDays,
  withVendor,
  type BackgroundDeps,
} from './background-deps';
import { refreshWeatherJob } from './refresh-weather.job';

/** Market days this far ahead get weather. */
export const WEATHER_HORIZON_DAYS = 10;
/** A changed forecast this close to a market day regenerates its prep list at once. */
const REGENERATE_WITHIN_DAYS = 3;

const PROVIDER_OF = {
  nws: 'NWS',
  'open-meteo': 'OPEN_METEO',
  climatology: 'CLIMATOLOGY',
  demo: 'DEMO',
} as const satisfies Record<string, WeatherProviderName>;

const SOURCE_OF: Record<WeatherProviderName, CachedWeather['source']> = {
  NWS: 'nws',
  OPEN_METEO: 'open-meteo',
  CLIMATOLOGY: 'climatology',
  DEMO: 'demo',
};

const sameValues = (a: WeatherColumns, b: WeatherColumns) =>
  (Object.keys(a) as (keyof WeatherColumns)[]).every((key) => a[key] === b[key]);

/**
 * Refreshes the weather of one vendor's upcoming market days through the chain. Provider values
 * and climatology are stored as FORECAST rows; a stale cached value or nothing at all is not
 * stored (the previous row stays). Changed forecasts regenerate imminent prep lists and alerts.
 */
export function createRefreshWeatherHandler(deps: BackgroundDeps): JobHandler {
  return async (payload, context) => {
    const { vendorId } = parsePayload(refreshWeatherJob, payload);
    const { providers } = deps;
    const now = deps.now();
    const { markets, days } = await withVendor(deps.db, vendorId, async (repo) => {
      const markets = await repo.listMarkets();
      return { markets, days: await upcomingMarketDays(repo, markets, now, WEATHER_HORIZON_DAYS) };
    });
    const counts = { stored: 0, changed: 0, climatology: 0, skipped: 0, providerErrors: 0 };
    const changed: { marketId: string; date: string }[] = [];
    for (const market of markets) {
      const dates = days.filter((d) => d.market.id === market.id).map((d) => d.date);
      if (dates.length === 0) continue;
      const results = await resolveWeather({
        market: {
          latitude: market.latitude,
          longitude: market.longitude,
          timeZone: market.timezone,
          countryCode: market.countryCode,
        },
        dates,
        now,
        deps: {
          ...(providers.nws && isNwsCountry(market.countryCode)
            ? { nws: { client: providers.nws, breaker: providers.breakers.get('nws') } }
            : {}),
          ...(providers.openMeteo
            ? {
                openMeteo: {
                  client: providers.openMeteo,
                  breaker: providers.breakers.get('open-meteo'),
                },
              }
            : {}),
          lastCached: async (date) => {
            const rows = await withVendor(deps.db, vendorId, (repo) =>
              repo.weatherOn(market.id, date),
            );
            const newest = rows.find((r) => r.kind === 'FORECAST' && r.provider !== 'CLIMATOLOGY');
            return newest
              ? {
                  source: SOURCE_OF[newest.provider],
                  fetchedAt: newest.fetchedAt,
                  values: newest.values,
                }
              : null;
          },
          climatology: (date) =>
            withVendor(deps.db, vendorId, (repo) => repo.climatology(market.id, date)),
          onProviderError: (source, error) => {
            counts.providerErrors++;
            // An open breaker is the expected state during an outage (the health dashboard shows
            // it): one line, no stack, per market and refresh; real failures keep their detail.
            if (isProviderCircuitOpenError(error)) {
              context.logger?.info(
                { source, marketId: market.id },
                'weather provider skipped: breaker open',
              );
              return;
            }
            context.logger?.warn(
              { source, err: error, marketId: market.id },
              'weather provider failed',
            );
          },
        },
      });
      for (const result of results) {
        if (result.stale || result.source === 'none') {
          counts.skipped++;
          continue;
        }
        const provider = PROVIDER_OF[result.source];
        const didChange = await withVendor(deps.db, vendorId, async (repo) => {
          const previous = (await repo.weatherOn(market.id, result.date)).find(
            (r) => r.kind === 'FORECAST',
          );
          await repo.upsertWeather({
            vendorId,
            marketId: market.id,
            date: result.date,
            provider,
            kind: 'FORECAST',
            fetchedAt: now,
            values: result.values,
          });
          return !previous || !sameValues(previous.values, result.values);
        });
        counts.stored++;
        if (provider === 'CLIMATOLOGY') counts.climatology++;
        if (didChange) {
          counts.changed++;
          changed.push({ marketId: market.id, date: result.date });
        }
      }
    }
    const soon = new Set(
      days
        .filter((d) => d.opensAt.getTime() - now.getTime() <= REGENERATE_WITHIN_DAYS * 86_400_000)
        .map((d) => `${d.market.id}|${d.date}`),
    );
    for (const day of changed) {
      if (!soon.has(`${day.marketId}|${day.date}`)) continue;
      await requestWork(deps.db, vendorId, {
        jobName: 'generate-prep-list',
        payload: { vendorId, marketId: day.marketId, date: day.date, trigger: 'inputs-changed' },
        dedupeKey: `prep:${day.marketId}:${day.date}:inputs`,
        requestId: context.requestId ?? null,
      });
    }
    if (changed.length > 0) {
      await requestWork(deps.db, vendorId, {
        jobName: 'send-alerts',
        payload: { vendorId },
        dedupeKey: `alerts:${vendorId}`,
        requestId: context.requestId ?? null,
      });
    }
    return counts;
  };
}
