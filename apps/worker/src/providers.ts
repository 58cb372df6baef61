import { Redis } from 'ioredis';
import {
  FailOpenRedis,
  createNwsClient,
  createOpenMeteoClient,
  redisAnswerCache,
  withCachedNwsForecasts,
  withCachedOpenMeteoForecasts,
  createTicketmasterClient,
  startFakeControlServer,
  startFakeProviders,
  type BreakerRegistry,
  type FakeControlServer,
  type FakeProvider,
  type SharedCacheCounters,
} from '@marketprep/integrations';
import type { Logger } from 'pino';
import type { WorkerEnv } from './env';
import type { ProviderDeps } from './jobs/background-deps';
import type { RegisteredJob } from './jobs/registry';

/**
 * The weather and events clients from the worker's configuration. With PROVIDER_FAKES (demo
 * mode) the local fakes are started in this process, every client points at them, and `fakes`
 * lists them (for their control server).
 */
export async function createProviders(
  env: WorkerEnv,
  breakers: BreakerRegistry,
  /** Hits, misses and fallbacks of the weather answer cache (the worker's /metrics). */
  cacheCounters?: SharedCacheCounters,
): Promise<{ providers: ProviderDeps; fakes: FakeProvider[]; stop(): Promise<void> }> {
  const fakes = env.PROVIDER_FAKES ? await startFakeProviders() : undefined;
  const userAgent = env.NWS_USER_AGENT;
  const nws = createNwsClient({ userAgent, baseUrl: fakes?.urls.nws ?? env.NWS_BASE_URL });
  const openMeteo = createOpenMeteoClient({
    userAgent,
    forecastBaseUrl: fakes?.urls.openMeteoForecast ?? env.OPEN_METEO_BASE_URL,
    archiveBaseUrl: fakes?.urls.openMeteoArchive ?? env.OPEN_METEO_ARCHIVE_URL,
  });
  // With Redis, forecasts are shared by every worker for their TTL (several vendors at one market
  // ask for the same point each hour); Redis away or slow means the provider is called, as before.
  // Not with the fakes: demo mode and browser tests make a provider fail and expect to see it.
  const redis =
    env.REDIS_URL && !env.PROVIDER_FAKES
      ? new Redis(env.REDIS_URL, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 1_000,
        })
      : undefined;
  redis?.on('error', () => undefined);
  const answers =
    redis &&
    redisAnswerCache(new FailOpenRedis({ redis, counters: cacheCounters }), {
      name: 'weather',
      prefix: 'mp:cache:weather:',
    });
  const providers: ProviderDeps = {
    breakers,
    nws: answers ? withCachedNwsForecasts(nws, answers) : nws,
    openMeteo: answers ? withCachedOpenMeteoForecasts(openMeteo, answers) : openMeteo,
    ticketmaster: createTicketmasterClient({
      userAgent,
      apiKey: fakes?.ticketmasterApiKey ?? env.TICKETMASTER_API_KEY,
      baseUrl: fakes?.urls.ticketmaster ?? env.TICKETMASTER_BASE_URL,
    }),
  };
  return {
    providers,
    fakes: fakes ? [fakes.nws, fakes.openMeteo, fakes.ticketmaster] : [],
    stop: async () => {
      redis?.disconnect();
      await fakes?.stop();
    },
  };
}

/**
 * Demo mode: the fakes' control server on 127.0.0.1:`port` (PROVIDER_FAKES_CONTROL_PORT), with
 * every schedule of the worker as a trigger, so a browser test or a demo can make a provider fail
 * and have the worker call it now (`POST /triggers/schedule-weather-refresh`) instead of within
 * the hour.
 */
export async function startFakeControl(options: {
  port: number;
  fakes: readonly FakeProvider[];
  jobs: readonly RegisteredJob[];
  logger: Logger;
}): Promise<FakeControlServer> {
  const triggers = Object.fromEntries(
    options.jobs
      .filter(({ definition }) => definition.everyMs !== undefined)
      .map(({ definition, handler }) => [
        definition.name,
        async () => {
          const logger = options.logger.child({ job: definition.name, trigger: 'fake-control' });
          try {
            const result = await handler({}, { jobId: `${definition.name}-${Date.now()}`, logger });
            logger.info({ result }, 'schedule run from the fakes control');
            return result;
          } catch (error) {
            logger.warn({ err: error }, 'schedule run from the fakes control failed');
            throw error;
          }
        },
      ]),
  );
  return startFakeControlServer({ fakes: options.fakes, port: options.port, triggers });
}
