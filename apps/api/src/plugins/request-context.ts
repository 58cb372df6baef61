import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';

/** What is known about the request being served, wherever the code runs. */
export interface RequestContext {
  /** The request id (echoed in `x-request-id`, logged as `reqId`, stored on enqueued work). */
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * The id of the request whose work is running, or undefined outside a request (jobs, start-up).
 * Lets deep code (enqueueWork, audit) carry the id without threading it through every call.
 */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** One registered route, as declared (method, URL template, config, schema). */
export type RegisteredRoute = Pick<RouteOptions, 'method' | 'url' | 'config' | 'schema'>;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Every route registered after this plugin, as declared: the authorization-matrix and fuzz
     * tests walk it, so a new route cannot escape them.
     */
    routeTable: RegisteredRoute[];
  }
}

/** Runs `fn` as if serving request `requestId` (tests, scripts). */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/**
 * Request context: every request runs inside an AsyncLocalStorage scope holding its id, and the
 * id is returned in `x-request-id` on every answer (also errors, 404s and 429s). The id itself is
 * chosen by `genReqId` in app.ts (a caller's well-formed `x-request-id` is kept). Also records the
 * route table (`app.routeTable`).
 */
export const requestContextPlugin = fp(
  (app: FastifyInstance, _options: object, done: (err?: Error) => void) => {
    const routes: RegisteredRoute[] = [];
    app.decorate('routeTable', routes);
    app.addHook('onRoute', (route) => {
      routes.push({
        method: route.method,
        url: route.url,
        config: route.config,
        schema: route.schema,
      });
    });
    app.addHook('onRequest', (request, reply, next) => {
      void reply.header('x-request-id', request.id);
      storage.run({ requestId: request.id }, next);
    });
    done();
  },
  { name: 'request-context' },
);

/**
 * Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, or a path parameter
 * longer than the router accepts, is answered like every other error (problem+json with the
 * request id) instead of the router's bare JSON.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply
    .status(400)
    .header('x-request-id', request.id)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'https://marketprep.app/problems/bad-request',
        title: 'Bad request',
        status: 400,
        detail: tooLong
          ? 'A path segment of this URL is too long.'
          : 'This URL is not valid (bad percent-encoding).',
        requestId: request.id,
      }),
    );
}
