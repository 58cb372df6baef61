import { createNwsFake, type NwsFakeOptions } from './nws.fake';
import { createOpenMeteoFake, type OpenMeteoFakeOptions } from './open-meteo.fake';
import {
  FAKE_TICKETMASTER_API_KEY,
  createTicketmasterFake,
  type TicketmasterFakeOptions,
} from './ticketmaster.fake';
import type { FakeHttpServer, FakeMode, FakeModeOptions } from './fake-server';

/** All provider fakes, started, with the base URLs to configure the clients with. */
export interface FakeProviders {
  nws: FakeHttpServer;
  openMeteo: FakeHttpServer;
  ticketmaster: FakeHttpServer;
  urls: {
    nws: string;
    openMeteoForecast: string;
    openMeteoArchive: string;
    ticketmaster: string;
  };
  /** The key the Ticketmaster fake accepts. */
  ticketmasterApiKey: string;
  /** Switches every fake to one mode. */
  setMode(mode: FakeMode, options?: FakeModeOptions): void;
  stop(): Promise<void>;
}

/** Options passed on to each fake. */
export interface StartFakeProvidersOptions {
  nws?: NwsFakeOptions;
  openMeteo?: OpenMeteoFakeOptions;
  ticketmaster?: TicketmasterFakeOptions;
}

/** Starts the NWS, Open-Meteo and Ticketmaster fakes on 127.0.0.1 (free ports). */
export async function startFakeProviders(
  options: StartFakeProvidersOptions = {},
): Promise<FakeProviders> {
  const nws = createNwsFake(options.nws);
  const openMeteo = createOpenMeteoFake(options.openMeteo);
  const ticketmaster = createTicketmasterFake(options.ticketmaster);
  const all = [nws, openMeteo, ticketmaster];
  try {
    await Promise.all(all.map((fake) => fake.start()));
  } catch (error) {
    await Promise.all(all.map((fake) => fake.stop()));
    throw error;
  }
  return {
    nws,
    openMeteo,
    ticketmaster,
    urls: {
      nws: nws.baseUrl,
      openMeteoForecast: openMeteo.baseUrl,
      openMeteoArchive: openMeteo.baseUrl,
      ticketmaster: ticketmaster.baseUrl,
    },
    ticketmasterApiKey: options.ticketmaster?.apiKey ?? FAKE_TICKETMASTER_API_KEY,
    setMode(mode, modeOptions) {
      for (const fake of all) fake.setMode(mode, modeOptions);
    },
    async stop() {
      await Promise.all(all.map((fake) => fake.stop()));
    },
  };
}
