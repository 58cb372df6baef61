import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';

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

/**
 * Request context: the request id is returned in `x-request-id` on every answer (also errors, 404s
 * and 429s) and passed explicitly to the work a request enqueues (no AsyncLocalStorage: on Node 20
 * its promise hooks cost about a tenth of the API's CPU on the hot routes). The id itself is chosen
 * by `genReqId` in app.ts (a caller's well-formed `x-request-id` is kept). Also records the route
 * table (`app.routeTable`).
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
      next();
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
        code: 'bad-request',
        title: 'Bad request',
        status: 400,
        detail: tooLong
          ? 'A path segment of this URL is too long.'
          : 'This URL is not valid (bad percent-encoding).',
        requestId: request.id,
      }),
    );
}
