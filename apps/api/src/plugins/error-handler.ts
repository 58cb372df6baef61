import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '@marketprep/contracts';
import { AppError, STATUS_BY_CODE, TITLE_BY_CODE, type AppErrorCode } from '../errors';

const PROBLEM_TYPE_BASE = 'https://marketprep.app/problems/';

function codeForStatus(status: number): AppErrorCode {
  const match = (Object.entries(STATUS_BY_CODE) as [AppErrorCode, number][]).find(
    ([, s]) => s === status,
  );
  if (match) return match[0];
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: AppErrorCode,
  problem: Partial<Problem>,
) {
  const status = STATUS_BY_CODE[code];
  const body: Problem = {
    type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLE_BY_CODE[code],
    status,
    requestId: request.id,
    ...problem,
  };
  return reply.status(status).type('application/problem+json').send(body);
}

/**
 * The single error handler: AppError and validation errors become RFC 9457 problem+json with the
 * request id; anything else is logged in full and answered as a bare 500 that reveals nothing.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return send(reply, request, error.code, {
        ...error.extensions,
        // 503s are deliberate, user-facing messages ("Square is not configured"); other 5xx hide.
        detail: error.status >= 500 && error.code !== 'UNAVAILABLE' ? undefined : error.message,
        errors: error.details,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(reply, request, 'BAD_REQUEST', {
        detail: `The request ${error.validationContext ?? 'input'} is not valid.`,
        errors: error.validation.map((issue) => ({
          path: issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)',
          message: issue.message ?? 'invalid',
        })),
      });
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx (bad JSON, body too large, wrong content type): safe to describe.
      return send(reply, request, codeForStatus(status), { detail: error.message });
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
