import type { ProblemCode } from '@marketprep/contracts';

/** Every error the API's services can raise; each maps to exactly one HTTP status below. */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'PAYMENT_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** A complete map: adding a code without a status does not compile. */
export const STATUS_BY_CODE: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Short human title per code, used as the problem `title`. */
export const TITLE_BY_CODE: Record<AppErrorCode, string> = {
  BAD_REQUEST: 'Bad request',
  UNAUTHENTICATED: 'Not signed in',
  PAYMENT_REQUIRED: 'Billing needs attention',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  PRECONDITION_FAILED: 'Precondition failed',
  PAYLOAD_TOO_LARGE: 'Request too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Service unavailable',
  INTERNAL: 'Internal error',
};

/** The problem code of each error class when the thrower names none (also its `type`). */
export const PROBLEM_CODE_BY_CODE: Record<AppErrorCode, ProblemCode> = {
  BAD_REQUEST: 'bad-request',
  UNAUTHENTICATED: 'unauthenticated',
  PAYMENT_REQUIRED: 'payment-required',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
  PRECONDITION_FAILED: 'precondition-failed',
  PAYLOAD_TOO_LARGE: 'payload-too-large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported-media-type',
  RATE_LIMITED: 'rate-limited',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'internal',
};

/** Extension members of a problem; `code` names the precise problem (its docs/errors.md entry). */
export type ProblemExtensions = { code?: ProblemCode } & Record<string, string | null>;

/**
 * The one error type services throw; the error handler turns it into problem+json. `extensions`
 * are RFC 9457 extension members added to the problem (e.g. `nextMarketDate`); the route's
 * response schema must name them, or the serializer drops them. `extensions.code` is the
 * machine-readable problem code (default: the class's, e.g. `not-found`).
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: { path: string; message: string }[],
    readonly extensions?: ProblemExtensions,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/** The problem code `error` answers with: the one it names, else its class's. */
export function problemCodeOf(error: AppError): ProblemCode {
  return error.extensions?.code ?? PROBLEM_CODE_BY_CODE[error.code];
}
