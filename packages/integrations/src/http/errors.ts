import type { z } from 'zod';

/** The external services this package talks to; every error and breaker names one. */
export type ProviderName =
  'nws' | 'open-meteo' | 'open-meteo-archive' | 'ticketmaster' | 'square' | 'stripe';

/** What went wrong, as a closed set callers can switch on. */
export type ProviderErrorKind = 'http' | 'timeout' | 'network' | 'schema' | 'circuit-open';

/** Base of every error a provider client throws; `retryable` tells jobs whether to try again later. */
export abstract class ProviderError extends Error {
  abstract readonly kind: ProviderErrorKind;
  readonly provider: ProviderName;
  readonly retryable: boolean;
  /** The request URL with secrets (api keys) removed, safe to log. */
  readonly url: string | undefined;

  protected constructor(
    message: string,
    options: { provider: ProviderName; retryable: boolean; url?: string; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.retryable = options.retryable;
    this.url = options.url;
  }
}

/** The provider answered with a non-2xx status. 429 and 5xx are retryable, other 4xx are not. */
export class ProviderHttpError extends ProviderError {
  override readonly name = 'ProviderHttpError';
  readonly kind = 'http' as const;
  readonly status: number;
  /** Delay the provider asked for (Retry-After), in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;
  /** The start of the response body, for diagnostics. */
  readonly body: string;

  constructor(options: {
    provider: ProviderName;
    status: number;
    url?: string;
    retryAfterMs?: number;
    body?: string;
  }) {
    super(`${options.provider} answered HTTP ${options.status}`, {
      provider: options.provider,
      retryable: isRetryableStatus(options.status),
      url: options.url,
    });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.body = options.body ?? '';
  }
}

/** No (complete) answer within the per-request timeout. Retryable. */
export class ProviderTimeoutError extends ProviderError {
  override readonly name = 'ProviderTimeoutError';
  readonly kind = 'timeout' as const;
  readonly timeoutMs: number;

  constructor(options: { provider: ProviderName; timeoutMs: number; url?: string }) {
    super(`${options.provider} did not answer within ${options.timeoutMs} ms`, {
      provider: options.provider,
      retryable: true,
      url: options.url,
    });
    this.timeoutMs = options.timeoutMs;
  }
}

/** The connection failed (refused, reset, DNS). Retryable. */
export class ProviderNetworkError extends ProviderError {
  override readonly name = 'ProviderNetworkError';
  readonly kind = 'network' as const;

  constructor(options: { provider: ProviderName; url?: string; cause?: unknown }) {
    super(`${options.provider} could not be reached: ${describeCause(options.cause)}`, {
      provider: options.provider,
      retryable: true,
      url: options.url,
      cause: options.cause,
    });
  }
}

/**
 * The provider answered 2xx but the body is not what its contract promises (invalid JSON, or a
 * shape that fails the zod schema). Not retried at once: the same request would get the same body.
 */
export class ProviderSchemaError extends ProviderError {
  override readonly name = 'ProviderSchemaError';
  readonly kind = 'schema' as const;
  /** zod issues; empty when the body was not JSON at all. */
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(options: {
    provider: ProviderName;
    message: string;
    issues?: readonly z.core.$ZodIssue[];
    url?: string;
    cause?: unknown;
  }) {
    super(`${options.provider}: ${options.message}`, {
      provider: options.provider,
      retryable: false,
      url: options.url,
      cause: options.cause,
    });
    this.issues = options.issues ?? [];
  }
}

/** The provider's circuit breaker is open: the call was not attempted (fail fast). */
export class ProviderCircuitOpenError extends ProviderError {
  override readonly name = 'ProviderCircuitOpenError';
  readonly kind = 'circuit-open' as const;

  constructor(options: { provider: ProviderName; cause?: unknown }) {
    super(`${options.provider} circuit is open`, {
      provider: options.provider,
      retryable: true,
      cause: options.cause,
    });
  }
}

/** 429 and 5xx are worth retrying; any other 4xx is our request's fault and is not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** True for any error thrown by a provider client of this package. */
export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** True for a non-2xx answer. */
export function isProviderHttpError(error: unknown): error is ProviderHttpError {
  return error instanceof ProviderHttpError;
}

/** True for a request that timed out. */
export function isProviderTimeoutError(error: unknown): error is ProviderTimeoutError {
  return error instanceof ProviderTimeoutError;
}

/** True for a connection failure. */
export function isProviderNetworkError(error: unknown): error is ProviderNetworkError {
  return error instanceof ProviderNetworkError;
}

/** True for a 2xx body that failed its contract (invalid JSON or schema). */
export function isProviderSchemaError(error: unknown): error is ProviderSchemaError {
  return error instanceof ProviderSchemaError;
}

/** True when a breaker refused the call without trying. */
export function isProviderCircuitOpenError(error: unknown): error is ProviderCircuitOpenError {
  return error instanceof ProviderCircuitOpenError;
}

/** True for a provider error that says "our request was wrong" (4xx other than 429). */
export function isNonRetryableClientError(error: unknown): boolean {
  return isProviderHttpError(error) && error.status < 500 && !error.retryable;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}
