/**
 * @marketprep/integrations: clients for the services outside MarketPrep (weather, events,
 * holidays), the resilience around them (timeouts, retries, circuit breakers), and local fakes of
 * those services for demo mode and tests. Config always comes in as arguments (no env here).
 */

// --- HTTP and resilience -------------------------------------------------------------------

/** Provider error classes (HTTP status, timeout, network, schema, open breaker) and type guards. */
export {
  ProviderError,
  ProviderHttpError,
  ProviderTimeoutError,
  ProviderNetworkError,
  ProviderSchemaError,
  ProviderCircuitOpenError,
  isProviderError,
  isProviderHttpError,
  isProviderTimeoutError,
  isProviderNetworkError,
  isProviderSchemaError,
  isProviderCircuitOpenError,
  isNonRetryableClientError,
  isRetryableStatus,
  type ProviderName,
  type ProviderErrorKind,
} from './http/errors';

/** The fetch wrapper: per-attempt timeout, full-jitter retries, Retry-After, zod on arrival. */
export {
  createHttpClient,
  fullJitterDelay,
  parseRetryAfter,
  redactUrl,
  type HttpClient,
  type HttpClientOptions,
  type GetJsonRequest,
  type RetryInfo,
} from './http/http-client';

/** opossum circuit breakers per provider (4xx do not trip them), their state and events. */
export {
  ProviderBreaker,
  BreakerRegistry,
  type BreakerOptions,
  type BreakerState,
  type BreakerEvent,
  type CircuitBreakerLike,
} from './http/breaker';

/** The fail-open rule of every Redis cache, and provider answers kept in Redis with a TTL. */
export {
  FailOpenRedis,
  redisAnswerCache,
  type AnswerCache,
  type FailOpenRedisOptions,
  type RedisTextCommands,
  type SharedCacheCounters,
} from './cache/fail-open-redis';

// --- Weather -------------------------------------------------------------------------------

/** Daily weather values in the `weather` table's units, and date/unit helpers. */
export {
  emptyWeatherValues,
  fahrenheitToCelsius,
  localDateOf,
  type DailyWeather,
  type WeatherSource,
  type WeatherValues,
} from './weather/types';

/** National Weather Service client (US markets): points → gridpoint forecast → daily values. */
export {
  createNwsClient,
  isNwsCountry,
  isNwsError,
  NwsForecastSchema,
  NwsPointSchema,
  type NwsClient,
  type NwsClientOptions,
  type NwsForecastRequest,
} from './weather/nws.client';

/** Open-Meteo client: daily forecast and archive (observed history for training). */
export {
  createOpenMeteoClient,
  isOpenMeteoError,
  OPEN_METEO_ARCHIVE_DAILY,
  OPEN_METEO_FORECAST_DAILY,
  OpenMeteoResponseSchema,
  type OpenMeteoClient,
  type OpenMeteoClientOptions,
  type OpenMeteoDailyRequest,
} from './weather/open-meteo.client';

/** Provider forecasts kept in a shared cache (Redis) for a TTL, keyed by point and dates. */
export {
  WEATHER_ANSWER_TTL_MS,
  withCachedNwsForecasts,
  withCachedOpenMeteoForecasts,
} from './weather/weather-answer-cache';

/** The weather fallback chain: NWS → Open-Meteo → last cached (stale) → climatology. */
export {
  resolveWeather,
  type CachedWeather,
  type ChainedWeather,
  type ChainedWeatherSource,
  type ResolveWeatherRequest,
  type WeatherChainDeps,
  type WeatherChainMarket,
} from './weather/weather-chain';

// --- Events and holidays -------------------------------------------------------------------

/** Ticketmaster Discovery v2 event search near a market (off without an API key). */
export {
  createTicketmasterClient,
  encodeGeohash,
  isTicketmasterError,
  TicketmasterSearchResponseSchema,
  type NearbyEvent,
  type TicketmasterClient,
  type TicketmasterClientOptions,
  type TicketmasterSearchRequest,
} from './events/ticketmaster.client';

/** Public, bank and school holidays by country and region, from `date-holidays`. */
export {
  listHolidays,
  type ListHolidaysRequest,
  type MarketHoliday,
  type MarketHolidayType,
} from './holidays';

// --- Fakes ---------------------------------------------------------------------------------

/** Base fake server with switchable failure modes and request counters. */
export {
  FAKE_MODES,
  FakeHttpServer,
  type FakeMode,
  type FakeModeOptions,
  type FakeProvider,
  type FakeRequestRecord,
} from './fakes/fake-server';

/** Fake of api.weather.gov. */
export { createNwsFake, type NwsFakeOptions } from './fakes/nws.fake';

/** Fake of Open-Meteo forecast and archive. */
export { createOpenMeteoFake, type OpenMeteoFakeOptions } from './fakes/open-meteo.fake';

/** Fake of Ticketmaster Discovery v2 and the key it accepts. */
export {
  createTicketmasterFake,
  FAKE_TICKETMASTER_API_KEY,
  type TicketmasterFakeOptions,
} from './fakes/ticketmaster.fake';

/** A Web Push service on loopback that checks VAPID and decrypts like a browser (issue 19). */
export {
  createPushServiceFake,
  type FakePushSubscription,
  type PushServiceFake,
  type ReceivedPush,
} from './fakes/push-service.fake';
/** The demo's SMTP mail catcher on loopback, with a page of what was sent (issue 19). */
export { createMailCatcher, type CaughtMail, type MailCatcher } from './fakes/mail-catcher.fake';
/** Starts all provider fakes and returns their base URLs (demo mode, tests). */
export {
  startFakeProviders,
  type FakeProviders,
  type StartFakeProvidersOptions,
} from './fakes/index';

/** Loopback HTTP control of the fakes in demo mode (switch modes, run triggers). */
export {
  startFakeControlServer,
  type FakeControlServer,
  type FakeControlServerOptions,
} from './fakes/control-server';

// --- Square --------------------------------------------------------------------------------

/** Square client: the `square` SDK behind the breaker, OAuth helpers, zod-parsed answers. */
export {
  createSquareClient,
  isSquareError,
  SQUARE_MAX_LOCATIONS_PER_SEARCH,
  SQUARE_PRODUCTION_URL,
  SQUARE_SCOPES,
  type SearchOrdersRequest,
  type SquareApi,
  type SquareClientOptions,
  type SquareLocation,
  type SquareOrder,
  type SquareTokens,
  type SquareVariation,
} from './square/square.client';

/** Square webhook signatures (HMAC-SHA256 over notification URL + raw body) and the envelope. */
export {
  isSquareSalesEvent,
  signSquareWebhook,
  SQUARE_SIGNATURE_HEADER,
  SquareWebhookEventSchema,
  verifySquareWebhookSignature,
  type SquareWebhookEvent,
} from './square/square-webhooks';
/** Sell-out times read from Square order timestamps against each product's usual sales curve. */
export {
  FLAT_CURVE,
  SELL_OUT_RULES,
  deriveSellOutTimes,
  usualSalesCurves,
  usualShareBy,
} from './square/sell-out';
export type { DerivedSellOut, SalesCurve, TimedMarketDay, TimedSale } from './square/sell-out';

/** AES-256-GCM token encryption with a rotating key ring. */
export {
  parseTokenKeyRing,
  TokenCipher,
  TokenDecryptionError,
  type TokenKeyRing,
} from './crypto/token-cipher';

/** Fake of Square (OAuth, locations, catalog, orders search, webhook sender). */
export {
  createSquareFake,
  DEMO_SQUARE_LOCATIONS,
  DEMO_SQUARE_VARIATIONS,
  FAKE_SQUARE_APPLICATION_ID,
  FAKE_SQUARE_APPLICATION_SECRET,
  FAKE_SQUARE_MERCHANT_ID,
  SquareFake,
  type FakeSquareLocation,
  type FakeSquareOrder,
  type FakeSquareSellingPattern,
  type FakeSquareTotals,
  type FakeSquareVariation,
  type FakeSquareWebhook,
  type SquareFakeOptions,
} from './fakes/square.fake';

// --- Stripe --------------------------------------------------------------------------------

/** Stripe client: the official `stripe` SDK behind the breaker, webhooks verified, answers parsed. */
export {
  createStripeClient,
  signStripeWebhook,
  STRIPE_PRODUCTION_HOST,
  STRIPE_SIGNATURE_HEADER,
  STRIPE_WEBHOOK_TOLERANCE_SECONDS,
  StripeCheckoutSessionSchema,
  StripeEventSchema,
  StripeInvoiceSchema,
  StripeSubscriptionSchema,
  type StripeApi,
  type StripeClientOptions,
  type StripeEvent,
  type StripeSubscription,
} from './stripe/stripe.client';

/** Fake of Stripe (customers, Checkout, portal, subscriptions, prices, events, signed webhooks, test clock). */
export {
  createStripeFake,
  FAKE_STRIPE_SECRET_KEY,
  parseStripeForm,
  StripeFake,
  type FakeStripeDelivery,
  type FakeStripePrice,
  type StripeFakeOptions,
} from './fakes/stripe.fake';
export * from './webhooks-out';
