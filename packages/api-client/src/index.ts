/**
 * packages/api-client: a typed client of the MarketPrep REST API, generated from the API's own
 * OpenAPI document (openapi-typescript) and called through openapi-fetch. Paths, parameters,
 * bodies and answers are checked by the compiler against the document the API serves, so a
 * consumer proves the document: the web app's Developers screen and the MCP server use it.
 *
 * ```ts
 * const api = createApiClient({ baseUrl: 'https://api.example.com', token: 'mp_t_...' });
 * const { data, error } = await api.GET('/v1/markets/{marketId}', { params: { path: { marketId } } });
 * ```
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths } from './schema';

/** A client of the whole API (`api.GET('/v1/markets')`, `api.POST(...)`, ...). */
export type ApiClient = Client<paths>;

/** A schema of the document's components by name, e.g. `ApiSchema<'WebhookEndpoint'>`. */
export type ApiSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Origin of the API (`''` for same-origin calls in a browser). */
  baseUrl: string;
  /** An API token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** The fetch to use (tests, server-side proxies); the global one by default. */
  fetch?: typeof fetch;
  /** Runs before each request, e.g. to add the CSRF header of a cookie session. */
  onRequest?: (request: Request) => Request | Promise<Request>;
}

/** A typed client of the MarketPrep API. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      accept: 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
  });
  if (options.onRequest) {
    const onRequest = options.onRequest;
    const middleware: Middleware = { onRequest: ({ request }) => onRequest(request) };
    client.use(middleware);
  }
  return client;
}
