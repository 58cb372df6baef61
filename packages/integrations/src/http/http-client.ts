import type { z } from 'zod';
import {
  ProviderHttpError,
  ProviderNetworkError,
  ProviderSchemaError,
  ProviderTimeoutError,
  isProviderError,
  type ProviderError,
  type ProviderName,
} from './errors';

/** Per-provider HTTP settings; every value comes from the app's config, none from env here. */
export interface HttpClientOptions {
  provider: ProviderName;
  /** Sent on every request; NWS rejects requests without one. */
  userAgent: string;
  /** Per attempt, covering headers and body. Default 5,000 ms. */
  timeoutMs?: number;
  /** Extra attempts after the first, for retryable failures only. Default 2. */
  retries?: number;
  /** Backoff before retry n is uniform in [0, min(maxMs, baseMs * 2^n)] (full jitter). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** A Retry-After longer than this is not waited for: the error is thrown at once. Default 10 s. */
  maxRetryAfterMs?: number;
  /** Bytes of an error body kept on ProviderHttpError. Default 512. */
  errorBodyLimit?: number;
  /** Injectable for tests. */
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (for logs/metrics). */
  onRetry?: (info: RetryInfo) => void;
}

/** What a retry was caused by, passed to `onRetry`. */
export interface RetryInfo {
  provider: ProviderName;
  attempt: number;
  delayMs: number;
  error: ProviderError;
}

/** One GET; `schema` parses the JSON body on arrival. */
export interface GetJsonRequest<S extends z.ZodType> {
  url: URL;
  schema: S;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A small fetch wrapper: timeout per attempt, jittered retries for retryable failures, zod on arrival. */
export interface HttpClient {
  readonly provider: ProviderName;
  getJson<S extends z.ZodType>(request: GetJsonRequest<S>): Promise<z.output<S>>;
}

const SECRET_PARAMS = new Set(['apikey', 'api_key', 'key', 'token', 'access_token']);

/** A URL safe to log: secret query parameters replaced by `***`. */
export function redactUrl(url: URL | string): string {
  const copy = new URL(url.toString());
  for (const name of [...copy.searchParams.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) copy.searchParams.set(name, '***');
  }
  return copy.toString();
}

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^attempt)]. */
export function fullJitterDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number; random: () => number },
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.floor(options.random() * ceiling);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds the HTTP client for one provider. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 2;
  const baseMs = options.backoff?.baseMs ?? 200;
  const maxMs = options.backoff?.maxMs ?? 5_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  const errorBodyLimit = options.errorBodyLimit ?? 512;
  const doFetch = options.fetch ?? fetch;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;

  async function attemptOnce(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const safeUrl = redactUrl(url);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    try {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method: 'GET',
          headers: { accept: 'application/json', 'user-agent': options.userAgent, ...headers },
          signal: combined,
        });
        // The body is read under the same timeout: a server may send headers and then stall.
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw error; // the caller gave up: not a provider failure
        if (controller.signal.aborted) {
          throw new ProviderTimeoutError({ provider, timeoutMs, url: safeUrl });
        }
        throw new ProviderNetworkError({ provider, url: safeUrl, cause: error });
      }
      if (!response.ok) {
        throw new ProviderHttpError({
          provider,
          status: response.status,
          url: safeUrl,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
          body: text.slice(0, errorBodyLimit),
        });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ProviderSchemaError({
          provider,
          message: 'response body is not valid JSON',
          url: safeUrl,
          cause: error,
        });
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async function getJson<S extends z.ZodType>(request: GetJsonRequest<S>): Promise<z.output<S>> {
    const safeUrl = redactUrl(request.url);
    for (let attempt = 0; ; attempt += 1) {
      try {
        const body = await attemptOnce(request.url, request.headers ?? {}, request.signal);
        const parsed = request.schema.safeParse(body);
        if (!parsed.success) {
          throw new ProviderSchemaError({
            provider,
            message: 'response does not match the expected schema',
            issues: parsed.error.issues,
            url: safeUrl,
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
        options.onRetry?.({ provider, attempt: attempt + 1, delayMs, error });
        await sleep(delayMs, request.signal);
      }
    }
  }

  return { provider, getJson };
}
