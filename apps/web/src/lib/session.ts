'use client';

/**
 * The signed-in session and the one way to write to the API: `useSession()` reads
 * `GET /v1/auth/session` (null when signed out; the signed-in layout prefetches it on the server),
 * `apiFetch()` sends reads and writes with the CSRF token every cookie-authenticated write needs,
 * and parses answers with a contracts schema or a light shape check.
 */
import type { MemberRole, Session } from '@marketprep/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { z } from 'zod';

import { ApiError, NetworkError, ResponseSchemaError } from './api-client';
import { problemShape } from './api-shapes';
import type { ResponseParser } from './response-shape';
import { describeSession, readSession, sessionQueryKey } from './session-read';

export { describeSession, sessionQueryKey };

// The CSRF token of the current session, kept from the last session read so writes need no extra
// round trip. Module state is fine: it is per browser tab, and the server rejects a stale one.
let csrfToken: string | null = null;

/** Remembers the CSRF token of a session the app just received (login, signup, switch). */
export function rememberSession(session: Session | null): void {
  csrfToken = session?.csrfToken ?? null;
}

/** `GET /v1/auth/session`: the session, or null when nobody is signed in (401). */
export async function fetchSession(
  options: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<Session | null> {
  const session = await readSession(options);
  rememberSession(session);
  return session;
}

/** Query options of the session: `useQuery(sessionQueryOptions())`. */
export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => fetchSession({ signal }),
    staleTime: 5 * 60_000,
  });
}

/** What {@link useSession} tells a screen. */
export interface SessionState {
  status: 'loading' | 'signed-in' | 'signed-out' | 'error';
  session: Session | null;
  error: unknown;
  /** The role in the active business, or null (no business yet, or signed out). */
  role: MemberRole | null;
  isOwner: boolean;
  isPlatformAdmin: boolean;
  /** Name of the active business. */
  vendorName: string | null;
  refetch: () => void;
}

/** The signed-in session with the active role; `status` tells loading, signed out and failures. */
export function useSession(): SessionState {
  const query = useQuery(sessionQueryOptions());
  const session = query.data ?? null;
  // A session rendered by the server arrives in the cache without passing through fetchSession.
  useEffect(() => {
    if (session !== null && csrfToken === null) rememberSession(session);
  }, [session]);
  const { role, vendorName } = describeSession(session);
  const status = query.isPending
    ? 'loading'
    : query.data === undefined
      ? 'error'
      : session === null
        ? 'signed-out'
        : 'signed-in';
  return {
    status,
    session,
    error: query.error,
    role,
    isOwner: role === 'OWNER',
    isPlatformAdmin: session?.isPlatformAdmin ?? false,
    vendorName,
    refetch: () => {
      void query.refetch();
    },
  };
}

/** An error answer of a write, with the raw body (an import refusal carries its report). */
export class ApiWriteError extends ApiError {
  readonly body: unknown;

  constructor(options: ConstructorParameters<typeof ApiError>[0] & { body: unknown }) {
    super(options);
    this.body = options.body;
  }
}

/** Options of {@link apiFetch}. */
export interface ApiFetchOptions<T> {
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON body (serialised here) ... */
  json?: unknown;
  /** ... or a raw body (a CSV file) with its content type. */
  body?: BodyInit;
  contentType?: string;
  /** A `Prefer` header (RFC 7240), e.g. `return=minimal` where the answer is not read. */
  prefer?: string;
  /** Schema (or light shape check) of a 2xx body; omit for 204 answers. */
  schema?: ResponseParser<T>;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

const CSRF_MESSAGE = /csrf/i;

/** The session's CSRF token for a write (read from the session when not known yet). */
export async function ensureCsrfToken(fetchImpl: typeof fetch | undefined): Promise<string | null> {
  if (csrfToken !== null) return csrfToken;
  await fetchSession(fetchImpl ? { fetchImpl } : {});
  return csrfToken;
}

async function readBody(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Calls the API on the same origin. Writes carry `x-csrf-token` (fetched from the session when not
 * known yet; refreshed and retried once when the server says it is stale). Throws
 * {@link ApiWriteError} (an {@link ApiError}) for a non-2xx answer, {@link NetworkError} when there
 * is no answer, {@link ResponseSchemaError} for a body that breaks `schema`.
 */
export async function apiFetch<T = undefined>({
  path,
  method = 'GET',
  json,
  body,
  contentType,
  prefer,
  schema,
  signal,
  fetchImpl = globalThis.fetch,
}: ApiFetchOptions<T>): Promise<T> {
  const isWrite = method !== 'GET';
  const send = async (): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json !== undefined) headers['content-type'] = 'application/json';
    else if (contentType) headers['content-type'] = contentType;
    if (prefer) headers.prefer = prefer;
    if (isWrite) {
      const token = await ensureCsrfToken(fetchImpl);
      if (token) headers['x-csrf-token'] = token;
    }
    try {
      return await fetchImpl(path, {
        method,
        credentials: 'same-origin',
        headers,
        body: json !== undefined ? JSON.stringify(json) : body,
        ...(signal && { signal }),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError({ path, cause: error });
    }
  };

  let response = await send();
  if (response.status === 403 && isWrite) {
    const raw = await readBody(response);
    const problem = problemShape.safeParse(raw);
    const stale = problem.success && CSRF_MESSAGE.test(problem.data.detail ?? problem.data.title);
    if (!stale) {
      throw new ApiWriteError({
        path,
        status: 403,
        body: raw,
        ...(problem.success && { problem: problem.data }),
      });
    }
    csrfToken = null;
    response = await send();
  }

  if (!response.ok) {
    const raw = await readBody(response);
    const problem = problemShape.safeParse(raw);
    throw new ApiWriteError({
      path,
      status: response.status,
      body: raw,
      ...(problem.success && { problem: problem.data }),
    });
  }
  if (response.status === 204 || schema === undefined) return undefined as T;
  const raw = await readBody(response);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ResponseSchemaError({ path, issues: parsed.error.issues });
  return parsed.data;
}

/**
 * The words to show for a failed write: the server's validation messages are meant for people
 * (4xx `detail` and per-field `errors`); 5xx and network failures get a generic sentence.
 */
export function describeWriteError(error: unknown): { message: string; items: string[] } {
  if (error instanceof ApiError) {
    const problem = error.problem;
    if (error.status >= 400 && error.status < 500 && problem) {
      const items = (problem.errors ?? []).map((item) =>
        item.path ? `${item.path}: ${item.message}` : item.message,
      );
      if (error.status === 429) {
        return { message: problem.detail ?? 'Too many attempts. Wait a minute and retry.', items };
      }
      return { message: problem.detail ?? problem.title, items };
    }
    if (error.status === 413)
      return { message: 'That file is too large (50 MB at most).', items: [] };
    return {
      message: `MarketPrep is having trouble right now. Please try again in a minute.${
        error.problem?.requestId ? ` (Reference: ${error.problem.requestId})` : ''
      }`,
      items: [],
    };
  }
  if (error instanceof NetworkError) {
    return {
      message: 'We could not reach MarketPrep. Check your internet connection and try again.',
      items: [],
    };
  }
  return { message: 'Something went wrong. Please try again.', items: [] };
}

/** A zod issue in words a vendor reads (the schemas' own messages are kept). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (!/^(Too small|Too big|Invalid input|Invalid)/.test(issue.message)) return issue.message;
  if (issue.code === 'too_small') {
    if (issue.origin === 'string') {
      return Number(issue.minimum) <= 1 ? 'Required' : `Use at least ${issue.minimum} characters`;
    }
    if (issue.origin === 'array') return 'Choose at least one';
    return `Must be at least ${issue.minimum}`;
  }
  if (issue.code === 'too_big') {
    if (issue.origin === 'string') return `Use at most ${issue.maximum} characters`;
    return `Must be at most ${issue.maximum}`;
  }
  if (issue.code === 'invalid_type') return 'Enter a number';
  return 'Check this value';
}

/** Turns zod issues into `{ field: message }` for the first problem of each field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    errors[key] ??= describeIssue(issue);
  }
  return errors;
}

/** A text field of a submitted form ('' when missing or a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
