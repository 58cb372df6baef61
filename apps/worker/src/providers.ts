import {
  createNwsClient,
  createOpenMeteoClient,
  createTicketmasterClient,
  startFakeProviders,
  type BreakerRegistry,
} from '@marketprep/integrations';
import type { WorkerEnv } from './env';
import type { ProviderDeps } from './jobs/background-deps';

/**
 * The weather and events clients from the worker's configuration. With PROVIDER_FAKES (demo
 * mode) the local fakes are started in this process and every client points at them.
 */
export async function createProviders(
  env: WorkerEnv,
  breakers: BreakerRegistry,
): Promise<{ providers: ProviderDeps; stop(): Promise<void> }> {
  const fakes = env.PROVIDER_FAKES ? await startFakeProviders() : undefined;
  const userAgent = env.NWS_USER_AGENT;
  const providers: ProviderDeps = {
    breakers,
    nws: createNwsClient({ userAgent, baseUrl: fakes?.urls.nws ?? env.NWS_BASE_URL }),
    openMeteo: createOpenMeteoClient({
      userAgent,
      forecastBaseUrl: fakes?.urls.openMeteoForecast ?? env.OPEN_METEO_BASE_URL,
      archiveBaseUrl: fakes?.urls.openMeteoArchive ?? env.OPEN_METEO_ARCHIVE_URL,
    }),
    ticketmaster: createTicketmasterClient({
      userAgent,
      apiKey: fakes?.ticketmasterApiKey ?? env.TICKETMASTER_API_KEY,
      baseUrl: fakes?.urls.ticketmaster ?? env.TICKETMASTER_BASE_URL,
    }),
  };
  return { providers, stop: async () => fakes?.stop() };
}
