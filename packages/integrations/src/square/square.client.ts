import { SquareClient, SquareError, SquareTimeoutError } from 'square';
import { z } from 'zod';
import type { CircuitBreakerLike } from '../http/breaker';
import {
  ProviderHttpError,
  ProviderNetworkError,
  ProviderSchemaError,
  ProviderTimeoutError,
  isProviderError,
  type ProviderError,
} from '../http/errors';
import { fullJitterDelay, parseRetryAfter, type RetryInfo } from '../http/http-client';

/** Square's production host; the fake's base URL replaces it in development and tests. */
export const SQUARE_PRODUCTION_URL = 'https://connect.squareup.com';

/** The scopes MarketPrep asks for: read-only, and only what the sync needs. */
export const SQUARE_SCOPES = [
  'MERCHANT_PROFILE_READ',
  'ITEMS_READ',
  'ORDERS_READ',
  'PAYMENTS_READ',
] as const;

/** SearchOrders takes at most this many location ids per call. */
export const SQUARE_MAX_LOCATIONS_PER_SEARCH = 10;

/** Settings of the Square client; every value comes from the app's config. */
export interface SquareClientOptions {
  /** `https://connect.squareup.com`, the sandbox, or the fake's `http://127.0.0.1:<port>`. */
  baseUrl: string;
  applicationId: string;
  applicationSecret: string;
  /** The Square breaker (from the `BreakerRegistry`): every call runs through it. */
  breaker: CircuitBreakerLike;
  /** Per attempt. Default 10,000 ms. */
  timeoutMs?: number;
  /** Extra attempts for retryable failures (429, 5xx, timeouts, network). Default 3. */
  retries?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  /** A Retry-After longer than this is not waited for (the job reschedules). Default 30 s. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
}

const money = z
  .object({
    amount: z
      .union([z.bigint(), z.number(), z.string()])
      .nullish()
      .transform((value) => (value === null || value === undefined ? 0 : Number(value))),
    currency: z.string().nullish(),
  })
  .nullish();

const TokenSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).nullish(),
  expiresAt: z.string().nullish(),
  merchantId: z.string().min(1),
  tokenType: z.string().nullish(),
});

const LocationSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  timezone: z.string().nullish(),
  country: z.string().nullish(),
  status: z.string().nullish(),
  coordinates: z
    .object({ latitude: z.number().nullish(), longitude: z.number().nullish() })
    .nullish(),
  address: z
    .object({ addressLine1: z.string().nullish(), locality: z.string().nullish() })
    .loose()
    .nullish(),
});

const CatalogObjectSchema = z
  .object({
    type: z.string(),
    id: z.string().min(1),
    isDeleted: z.boolean().nullish(),
    itemData: z
      .object({ name: z.string().nullish(), categoryId: z.string().nullish() })
      .loose()
      .nullish(),
    itemVariationData: z
      .object({
        itemId: z.string().nullish(),
        name: z.string().nullish(),
        priceMoney: money,
      })
      .loose()
      .nullish(),
  })
  .loose();

const LineItemSchema = z.object({
  uid: z.string().min(1),
  name: z.string().nullish(),
  variationName: z.string().nullish(),
  quantity: z.string().regex(/^\d+(\.\d+)?$/),
  catalogObjectId: z.string().nullish(),
  basePriceMoney: money,
  grossSalesMoney: money,
  totalMoney: money,
});

const ReturnLineItemSchema = z.object({
  uid: z.string().min(1),
  sourceLineItemUid: z.string().nullish(),
  quantity: z.string().regex(/^\d+(\.\d+)?$/),
  catalogObjectId: z.string().nullish(),
  basePriceMoney: money,
  grossReturnMoney: money,
  totalMoney: money,
});

const OrderSchema = z.object({
  id: z.string().min(1),
  locationId: z.string().min(1),
  state: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  closedAt: z.string().nullish(),
  version: z.number().nullish(),
  lineItems: z.array(LineItemSchema).nullish(),
  returns: z
    .array(
      z.object({
        uid: z.string().nullish(),
        sourceOrderId: z.string().nullish(),
        returnLineItems: z.array(ReturnLineItemSchema).nullish(),
      }),
    )
    .nullish(),
  refunds: z
    .array(z.object({ id: z.string(), status: z.string().nullish(), amountMoney: money }).loose())
    .nullish(),
});

const SearchOrdersSchema = z.object({
  orders: z.array(OrderSchema).nullish(),
  cursor: z.string().nullish(),
});

/** OAuth tokens as Square returns them. */
export interface SquareTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  merchantId: string;
}

/** A Square location (maps to a market). */
export type SquareLocation = z.infer<typeof LocationSchema>;

/** An item variation with its item's name (maps to a product). */
export interface SquareVariation {
  variationId: string;
  itemId: string | null;
  itemName: string;
  variationName: string;
  priceMinor: number | null;
}

/** An order from SearchOrders (camelCase, money amounts as numbers of minor units). */
export type SquareOrder = z.infer<typeof OrderSchema>;

/** One SearchOrders call: `closed_at` window, `CLOSED_AT` ascending, cursor pages. */
export interface SearchOrdersRequest {
  /** 1 to 10 location ids. */
  locationIds: string[];
  /** Inclusive lower bound of `closed_at` (RFC 3339). */
  closedAtFrom: string;
  /** Exclusive upper bound of `closed_at`. */
  closedAtTo?: string;
  cursor?: string | null;
  /** Orders per page, 1..1000 (Square's maximum). Default 500. */
  limit?: number;
  /** Default COMPLETED and CANCELED (cancellations must be reflected). */
  states?: ('COMPLETED' | 'CANCELED' | 'OPEN')[];
  signal?: AbortSignal;
}

/** The Square calls MarketPrep makes. Tokens are passed per call and never stored here. */
export interface SquareApi {
  /** The URL to send the owner's browser to; `state` comes back on the callback. */
  authorizeUrl(options: { state: string; redirectUri?: string }): string;
  exchangeCode(options: { code: string; redirectUri?: string }): Promise<SquareTokens>;
  refreshToken(refreshToken: string): Promise<SquareTokens>;
  revokeToken(accessToken: string): Promise<void>;
  listLocations(accessToken: string): Promise<SquareLocation[]>;
  listVariations(accessToken: string): Promise<SquareVariation[]>;
  searchOrders(
    accessToken: string,
    request: SearchOrdersRequest,
  ): Promise<{ orders: SquareOrder[]; cursor: string | null }>;
}

/** A 2xx answer whose body is not JSON (the SDK would otherwise hand it on as data). */
class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
}

/** fetch for the SDK: reads the body and refuses a 2xx answer that is not JSON. */
function jsonCheckedFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.ok) return response;
    const text = await response.text();
    if (text.trim() !== '') {
      try {
        JSON.parse(text);
      } catch (error) {
        throw new MalformedJsonError('response body is not valid JSON', { cause: error });
      }
    }
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Turns an SDK error into this package's provider errors (retryable or not). */
export function toProviderError(error: unknown, url?: string, timeoutMs = 0): unknown {
  if (isProviderError(error)) return error;
  // The SDK aborts a slow call with the reason 'timeout' (body reads included).
  if (
    error instanceof SquareTimeoutError ||
    (error instanceof SquareError && error.statusCode === undefined && error.cause === 'timeout')
  ) {
    return new ProviderTimeoutError({ provider: 'square', timeoutMs, url });
  }
  if (error instanceof SquareError) {
    const status = error.statusCode;
    if (status === undefined && error.cause instanceof MalformedJsonError) {
      return new ProviderSchemaError({
        provider: 'square',
        message: 'response body is not valid JSON',
        url,
        cause: error.cause,
      });
    }
    if (status === undefined) {
      return new ProviderNetworkError({ provider: 'square', url, cause: error.cause ?? error });
    }
    if (status >= 200 && status < 300) {
      return new ProviderSchemaError({
        provider: 'square',
        message: 'response body is not valid JSON',
        url,
        cause: error,
      });
    }
    const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body ?? '');
    return new ProviderHttpError({
      provider: 'square',
      status,
      url,
      retryAfterMs: parseRetryAfter(error.rawResponse?.headers.get('retry-after') ?? null),
      body: (body ?? '').slice(0, 512),
    });
  }
  return error;
}

/** Builds the Square client: the `square` SDK pointed at `baseUrl`, behind the breaker. */
export function createSquareClient(options: SquareClientOptions): SquareApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutInSeconds = (options.timeoutMs ?? 10_000) / 1000;
  const retries = options.retries ?? 3;
  const baseMs = options.backoff?.baseMs ?? 250;
  const maxMs = options.backoff?.maxMs ?? 5_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;

  // The SDK's own retries are off: ours retry only retryable failures, with jitter, in the breaker.
  const sdk = (auth: { token: string } | { authorization: string } | null): SquareClient =>
    new SquareClient({
      baseUrl,
      maxRetries: 0,
      timeoutInSeconds,
      fetch: jsonCheckedFetch(options.fetch ?? fetch),
      ...(auth === null
        ? { auth: false as const }
        : 'token' in auth
          ? { token: auth.token }
          : { auth: false as const, headers: { Authorization: auth.authorization } }),
    });

  async function call<T>(path: string, task: () => Promise<unknown>, schema: z.ZodType<T>) {
    const url = `${baseUrl}${path}`;
    return options.breaker.run(async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          let body: unknown;
          try {
            body = await task();
          } catch (error) {
            throw toProviderError(error, url, timeoutInSeconds * 1000);
          }
          const parsed = schema.safeParse(body);
          if (!parsed.success) {
            throw new ProviderSchemaError({
              provider: 'square',
              message: 'response does not match the expected schema',
              issues: parsed.error.issues,
              url,
            });
          }
          return parsed.data;
        } catch (error) {
          if (!isProviderError(error) || !error.retryable || attempt >= retries) throw error;
          let delayMs = fullJitterDelay(attempt, { baseMs, maxMs, random });
          if (error instanceof ProviderHttpError && error.retryAfterMs !== undefined) {
            if (error.retryAfterMs > maxRetryAfterMs) throw error;
            delayMs = Math.max(delayMs, error.retryAfterMs);
          }
          options.onRetry?.({
            provider: 'square',
            attempt: attempt + 1,
            delayMs,
            error: error,
          });
          await sleep(delayMs);
        }
      }
    });
  }

  const toTokens = (data: z.infer<typeof TokenSchema>): SquareTokens => ({
    accessToken: data.accessToken,
    refreshToken: data.refreshToken ?? null,
    expiresAt: data.expiresAt ? new Date(data.expiresAt) : null,
    merchantId: data.merchantId,
  });

  return {
    authorizeUrl({ state, redirectUri }) {
      const url = new URL(`${baseUrl}/oauth2/authorize`);
      url.searchParams.set('client_id', options.applicationId);
      url.searchParams.set('scope', SQUARE_SCOPES.join(' '));
      url.searchParams.set('session', 'false');
      url.searchParams.set('state', state);
      if (redirectUri) url.searchParams.set('redirect_uri', redirectUri);
      return url.toString();
    },

    async exchangeCode({ code, redirectUri }) {
      const data = await call(
        '/oauth2/token',
        () =>
          sdk(null).oAuth.obtainToken({
            clientId: options.applicationId,
            clientSecret: options.applicationSecret,
            grantType: 'authorization_code',
            code,
            ...(redirectUri ? { redirectUri } : {}),
          }),
        TokenSchema,
      );
      return toTokens(data);
    },

    async refreshToken(refreshToken) {
      const data = await call(
        '/oauth2/token',
        () =>
          sdk(null).oAuth.obtainToken({
            clientId: options.applicationId,
            clientSecret: options.applicationSecret,
            grantType: 'refresh_token',
            refreshToken,
          }),
        TokenSchema,
      );
      return toTokens(data);
    },

    async revokeToken(accessToken) {
      await call(
        '/oauth2/revoke',
        () =>
          sdk({ authorization: `Client ${options.applicationSecret}` }).oAuth.revokeToken({
            clientId: options.applicationId,
            accessToken,
          }),
        z.object({ success: z.boolean().nullish() }).loose(),
      );
    },

    async listLocations(accessToken) {
      const data = await call(
        '/v2/locations',
        () => sdk({ token: accessToken }).locations.list(),
        z.object({ locations: z.array(LocationSchema).nullish() }),
      );
      return data.locations ?? [];
    },

    async listVariations(accessToken) {
      const client = sdk({ token: accessToken });
      const objects: z.infer<typeof CatalogObjectSchema>[] = [];
      const pageSchema = z.array(CatalogObjectSchema);
      let page: unknown = await call(
        '/v2/catalog/list',
        () => client.catalog.list({ types: 'ITEM,ITEM_VARIATION' }),
        z.any(),
      );
      for (let pages = 0; pages < 1_000; pages += 1) {
        const current = page as Awaited<ReturnType<typeof client.catalog.list>>;
        objects.push(...parseWith(pageSchema, current.data, `${baseUrl}/v2/catalog/list`));
        if (!current.hasNextPage()) break;
        page = await call('/v2/catalog/list', () => current.getNextPage(), z.any());
      }
      const items = new Map(
        objects
          .filter((o) => o.type === 'ITEM')
          .map((o) => [o.id, o.itemData?.name ?? 'Unnamed item']),
      );
      return objects
        .filter((o) => o.type === 'ITEM_VARIATION' && !o.isDeleted)
        .map((o) => {
          const itemId = o.itemVariationData?.itemId ?? null;
          return {
            variationId: o.id,
            itemId,
            itemName: (itemId ? items.get(itemId) : undefined) ?? 'Unnamed item',
            variationName: o.itemVariationData?.name ?? 'Regular',
            priceMinor: o.itemVariationData?.priceMoney?.amount ?? null,
          };
        });
    },

    async searchOrders(accessToken, request) {
      if (request.locationIds.length < 1 || request.locationIds.length > 10) {
        throw new RangeError('searchOrders: 1 to 10 location ids per call');
      }
      const data = await call(
        '/v2/orders/search',
        () =>
          sdk({ token: accessToken }).orders.search(
            {
              locationIds: request.locationIds,
              cursor: request.cursor ?? undefined,
              limit: request.limit ?? 500,
              returnEntries: false,
              query: {
                filter: {
                  stateFilter: { states: request.states ?? ['COMPLETED', 'CANCELED'] },
                  dateTimeFilter: {
                    closedAt: {
                      startAt: request.closedAtFrom,
                      ...(request.closedAtTo ? { endAt: request.closedAtTo } : {}),
                    },
                  },
                },
                sort: { sortField: 'CLOSED_AT', sortOrder: 'ASC' },
              },
            },
            request.signal ? { abortSignal: request.signal } : undefined,
          ),
        SearchOrdersSchema,
      );
      return { orders: data.orders ?? [], cursor: data.cursor ?? null };
    },
  };
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, url: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ProviderSchemaError({
      provider: 'square',
      message: 'response does not match the expected schema',
      issues: parsed.error.issues,
      url,
    });
  }
  return parsed.data;
}

/** True for an error from the Square client (any provider error naming Square). */
export function isSquareError(error: unknown): error is ProviderError {
  return isProviderError(error) && error.provider === 'square';
}
