/**
 * The web app's one way to call the API: same-origin fetch (Next.js rewrites `/v1/*` to the API),
 * every body parsed with a contracts schema or a light check of its shape (./response-shape), and
 * three error types the UI can tell apart. Server components pass a `fetchImpl` that sends the
 * path to the API directly (./server-fetch).
 */
import type { Problem } from '@marketprep/contracts';
import type { z } from 'zod';

import { problemShape } from './api-shapes';
import type { ResponseParser } from './response-shape';

/** The API answered with a non-2xx status; `problem` is its RFC 9457 body when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor({ path, status, problem }: { path: string; status: number; problem?: Problem }) {
    super(`API answered ${status} for ${path}${problem ? `: ${problem.title}` : ''}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The API answered 2xx with a body that is not JSON or does not match the expected schema. */
export class ResponseSchemaError extends Error {
  override readonly name = 'ResponseSchemaError';
  readonly issues: readonly z.core.$ZodIssue[];

  constructor({
    path,
    issues = [],
    cause,
  }: {
    path: string;
    issues?: readonly z.core.$ZodIssue[];
    cause?: unknown;
  }) {
    super(`Response from ${path} does not match its schema`, { cause });
    this.issues = issues;
  }
}

/** The request never got an answer (offline, DNS, connection refused). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor({ path, cause }: { path: string; cause: unknown }) {
    super(`No answer from ${path}`, { cause });
  }
}

/** A parsed API answer with the headers that came with it. */
export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

/** Options of {@link fetchApi}. */
export interface FetchApiOptions<T> {
  /** Same-origin path, e.g. `/v1/markets`. */
  path: string;
  /** The contracts schema of a successful body, or a light check of its shape. */
  schema: ResponseParser<T>;
  /** Cancels the request (TanStack Query passes one to every query function). */
  signal?: AbortSignal;
  /** The fetch to use; the browser's by default. */
  fetchImpl?: typeof fetch;
}

function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

async function readProblem(response: Response): Promise<Problem | undefined> {
  try {
    const parsed = problemShape.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Not JSON (a proxy's HTML error page, an empty 502): the status alone has to do.
    return undefined;
  }
}

/**
 * GETs `path` and parses the JSON body with `schema`. Throws {@link ApiError} for a non-2xx answer,
 * {@link ResponseSchemaError} for a body that is not what the contract says, {@link NetworkError}
 * when there is no answer at all; an abort is rethrown as-is.
 */
export async function fetchApi<T>({
  path,
  schema,
  signal,
  fetchImpl = globalThis.fetch,
}: FetchApiOptions<T>): Promise<ApiResponse<T>> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      signal,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new NetworkError({ path, cause: error });
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    throw new ApiError({ path, status: response.status, ...(problem && { problem }) });
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ResponseSchemaError({ path, cause: error });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ResponseSchemaError({ path, issues: parsed.error.issues });
  }
  return { data: parsed.data, status: response.status, headers: response.headers };
}

/** How many times a failed query is retried after the first attempt. */
export const MAX_QUERY_RETRIES = 2;

/**
 * TanStack Query's `retry`: retry what may heal on its own (no answer, 5xx, 408, 429), never a
 * client error (the same request will be refused again) nor a body that broke its contract.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_QUERY_RETRIES) return false;
  return canRetryHelp(error);
}

/**
 * Whether trying the same request again can help: not for a client error (4xx other than 408 and
 * 429), which the API would refuse again, nor for a body that broke its contract.
 */
export function canRetryHelp(error: unknown): boolean {
  if (error instanceof ResponseSchemaError) return false;
  if (error instanceof ApiError) {
    return error.status >= 500 || error.status === 408 || error.status === 429;
  }
  return true;
}

/** The problem `type` the API gives a date that is not a market day (docs/api.md). */
export const NOT_A_MARKET_DAY_TYPE = 'https://marketprep.app/problems/not-a-market-day';

/** Why a date is not a market day, as the API said it, with the market days either side. */
export interface NotAMarketDay {
  /** The API's sentence, e.g. "Riverside is closed on Tuesdays; its next market day is Sat, Dec 12." */
  reason: string;
  previousMarketDate: string | null;
  nextMarketDate: string | null;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The not-a-market-day refusal in `error` (a 404 of type {@link NOT_A_MARKET_DAY_TYPE}), or null. */
export function notAMarketDayOf(error: unknown): NotAMarketDay | null {
  if (!(error instanceof ApiError) || error.status !== 404) return null;
  const problem = error.problem as (Problem & Record<string, unknown>) | undefined;
  if (problem?.type !== NOT_A_MARKET_DAY_TYPE || problem.detail === undefined) return null;
  const dateOf = (value: unknown) =>
    typeof value === 'string' && LOCAL_DATE.test(value) ? value : null;
  return {
    reason: problem.detail,
    previousMarketDate: dateOf(problem.previousMarketDate),
    nextMarketDate: dateOf(problem.nextMarketDate),
  };
}

/** What went wrong, in words for the vendor. */
export interface LoadErrorDescription {
  kind:
    | 'signed-out'
    | 'forbidden'
    | 'not-found'
    | 'not-a-market-day'
    | 'offline'
    | 'unavailable'
    | 'unreadable'
    | 'unknown';
  /**
   * One plain sentence or two; never a status code, stack or server message (except the API's
   * not-a-market-day reason, written for the vendor).
   */
  message: string;
  /** The API's request id, for a support conversation. */
  reference?: string;
}

/** Turns any error from {@link fetchApi} (or anything else) into a message a vendor can act on. */
export function describeLoadError(error: unknown): LoadErrorDescription {
  if (error instanceof ApiError) {
    const reference = error.problem?.requestId;
    const withReference = (description: LoadErrorDescription): LoadErrorDescription =>
      reference === undefined ? description : { ...description, reference };
    if (error.status === 401) {
      return { kind: 'signed-out', message: 'You are signed out. Sign in to see your markets.' };
    }
    if (error.status === 403) {
      return withReference({
        kind: 'forbidden',
        message:
          'Your account does not have access to this. Ask the account owner to give you access.',
      });
    }
    const notAMarketDay = notAMarketDayOf(error);
    if (notAMarketDay !== null) {
      // The API's own sentence: it says why and names the nearest market days.
      return { kind: 'not-a-market-day', message: notAMarketDay.reason };
    }
    if (error.status === 404) {
      return withReference({
        kind: 'not-found',
        message: 'We could not find what you asked for. It may have been removed.',
      });
    }
    if (error.status >= 500 || error.status === 408 || error.status === 429) {
      return withReference({
        kind: 'unavailable',
        message: 'MarketPrep is having trouble right now. Please try again in a minute.',
      });
    }
    return withReference({
      kind: 'unknown',
      message: 'Something went wrong on our side. Please try again.',
    });
  }
  if (error instanceof NetworkError) {
    return {
      kind: 'offline',
      message: 'We could not reach MarketPrep. Check your internet connection and try again.',
    };
  }
  if (error instanceof ResponseSchemaError) {
    return {
      kind: 'unreadable',
      message:
        'MarketPrep sent something this page could not read. Reloading usually fixes it; if not, please contact support.',
    };
  }
  return { kind: 'unknown', message: 'Something went wrong on our side. Please try again.' };
}
