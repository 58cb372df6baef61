/**
 * Writes to the API with the session cookie: every write carries the CSRF token from
 * `GET /v1/auth/session` (fetched once and kept in memory; fetched again once when the API refuses
 * it). Errors are the api-client's: ApiError, NetworkError, ResponseSchemaError.
 * TODO(web shell): switch to `apiFetch` from `lib/session.ts` once it exists.
 */
import { ProblemSchema, SessionSchema } from '@marketprep/contracts';
import type { z } from 'zod';

import {
  ApiError,
  NetworkError,
  ResponseSchemaError,
  fetchApi,
  type ApiResponse,
} from '../../lib/api-client';

let csrfToken: string | undefined;

async function loadCsrfToken(fetchImpl: typeof fetch, refresh: boolean): Promise<string> {
  if (csrfToken !== undefined && !refresh) return csrfToken;
  const { data } = await fetchApi({ path: '/v1/auth/session', schema: SessionSchema, fetchImpl });
  csrfToken = data.csrfToken;
  return csrfToken;
}

/** Options of {@link writeApi}. */
export interface WriteApiOptions<T> {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body: unknown;
  schema: z.ZodType<T>;
  fetchImpl?: typeof fetch;
}

async function send<T>(
  { method, path, body, schema, fetchImpl = globalThis.fetch }: WriteApiOptions<T>,
  token: string,
): Promise<ApiResponse<T>> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': token,
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError({ path, cause: error });
  }
  if (!response.ok) {
    let problem;
    try {
      const parsed = ProblemSchema.safeParse(await response.json());
      problem = parsed.success ? parsed.data : undefined;
    } catch {
      problem = undefined;
    }
    throw new ApiError({ path, status: response.status, ...(problem && { problem }) });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new ResponseSchemaError({ path, cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ResponseSchemaError({ path, issues: parsed.error.issues });
  return { data: parsed.data, status: response.status, headers: response.headers };
}

/** Sends a JSON write with the CSRF token; retries once with a fresh token on a 403. */
export async function writeApi<T>(options: WriteApiOptions<T>): Promise<ApiResponse<T>> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch;
  const token = await loadCsrfToken(fetchImpl, false);
  try {
    return await send(options, token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      return send(options, await loadCsrfToken(fetchImpl, true));
    }
    throw error;
  }
}
