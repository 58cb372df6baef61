import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { DatabaseClient } from '@marketprep/db';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { healthRoutes } from './modules/health/health.routes';
import { marketsRoutes } from './modules/markets/markets.routes';
import { MarketsService } from './modules/markets/markets.service';
import { registerErrorHandler } from './plugins/error-handler';
import { tenantContextPlugin } from './plugins/tenant-context';

/** Everything the app needs from outside; the composition root (server.ts or a test) provides it. */
export interface AppDependencies {
  db: DatabaseClient;
  /** Fastify logger options (pino), or false. */
  logger?: FastifyServerOptions['logger'];
  demoVendorId?: string;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /** Largest accepted body in bytes. */
  bodyLimit?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Builds the API: plugins, routes and the one error handler. Never listens (server.ts does), so
 * tests drive it with `app.inject`.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 1_048_576,
    // A caller's request id is kept when it looks like one, so logs join up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  await app.register(helmet, {
    // The API serves JSON; only Swagger UI renders HTML, and it brings its own CSP (staticCSP).
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MarketPrep API',
        version: '1.0.0',
        description: 'Prep lists for farmers-market vendors. Errors are application/problem+json.',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(tenantContextPlugin, { demoVendorId: deps.demoVendorId });
  await app.register(healthRoutes, { db: deps.db });
  await app.register(marketsRoutes, {
    markets: new MarketsService(deps.db),
    now: deps.now ?? (() => new Date()),
  });
  return app;
}
