import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEM_TYPE_BASE, type Problem, type ProblemCode } from '@marketprep/contracts';
import {
  AppError,
  PROBLEM_CODE_BY_CODE,
  STATUS_BY_CODE,
  TITLE_BY_CODE,
  problemCodeOf,
  type AppErrorCode,
} from '../errors';

function codeForStatus(status: number): AppErrorCode {
  const match = (Object.entries(STATUS_BY_CODE) as [AppErrorCode, number][]).find(
    ([, s]) => s === status,
  );
  if (match) return match[0];
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

/**
 * Sends a problem: its `code` (the class's unless `problemCode` names a precise one) and the
 * `type` URI built from it, so the two always agree (docs/errors.md has a heading per code).
 */
function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: AppErrorCode,
  problem: Partial<Problem>,
  problemCode: ProblemCode = PROBLEM_CODE_BY_CODE[code],
) {
  const status = STATUS_BY_CODE[code];
  const body: Problem = {
    title: TITLE_BY_CODE[code],
    status,
    requestId: request.id,
    ...problem,
    type: `${PROBLEM_TYPE_BASE}${problemCode}`,
    code: problemCode,
  };
  return reply.status(status).type('application/problem+json').send(body);
}

/** Prisma, pg and socket codes of "the database is away, frozen or out of connections". */
const DATABASE_UNAVAILABLE_CODES = new Set([
  'P1001', // can't reach the server
  'P1002', // server reached but timed out
  'P1008', // operation timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error (could not start one in time, or it expired)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const DATABASE_UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|Server has closed the connection|Unable to start a transaction in the given time|Transaction already closed|Connection closed|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down)/i;

/**
 * Whether `error` (or any cause beneath it) says PostgreSQL could not be reached or did not
 * answer in time: such a failure is the database's, not the request's, and answers 503.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, message, cause, originalCode, originalMessage } = error as Record<string, unknown>;
  if (typeof code === 'string' && DATABASE_UNAVAILABLE_CODES.has(code)) return true;
  if (typeof originalCode === 'string' && DATABASE_UNAVAILABLE_CODES.has(originalCode)) return true;
  for (const text of [message, originalMessage]) {
    if (typeof text === 'string' && DATABASE_UNAVAILABLE_MESSAGE.test(text)) return true;
  }
  return isDatabaseUnavailable(cause, depth + 1);
}

/** Seconds a client is told to wait on a 503 that names no wait of its own. */
const DEFAULT_RETRY_AFTER_S = 2;

/**
 * The single error handler: AppError and validation errors become RFC 9457 problem+json with the
 * request id; anything else is logged in full and answered as a bare 500 that reveals nothing.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500 && error.code !== 'UNAVAILABLE')
        request.log.error({ err: error }, error.message);
      // A dependency away: say when to come back (RFC 9110), unless the thrower already did.
      if (error.code === 'UNAVAILABLE' && !reply.hasHeader('retry-after'))
        void reply.header('retry-after', String(DEFAULT_RETRY_AFTER_S));
      return send(
        reply,
        request,
        error.code,
        {
          ...error.extensions,
          // 503s are deliberate, user-facing messages ("Square is not configured"); other 5xx hide.
          detail: error.status >= 500 && error.code !== 'UNAVAILABLE' ? undefined : error.message,
          errors: error.details,
        },
        problemCodeOf(error),
      );
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(
        reply,
        request,
        'BAD_REQUEST',
        {
          detail: `The request ${error.validationContext ?? 'input'} is not valid.`,
          errors: error.validation.map((issue) => ({
            path: issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)',
            message: issue.message ?? 'invalid',
          })),
        },
        'validation-failed',
      );
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx (bad JSON, body too large, wrong content type): safe to describe.
      return send(reply, request, codeForStatus(status), { detail: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      void reply.header('retry-after', String(DEFAULT_RETRY_AFTER_S));
      return send(
        reply,
        request,
        'UNAVAILABLE',
        { detail: 'The database is not answering right now. Try again in a few seconds.' },
        'database-unavailable',
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, 'INTERNAL', {
      detail: 'Something went wrong on our side. Try again; if it persists, quote the request id.',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 'NOT_FOUND', {
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}
