import { createDatabaseClient } from '@marketprep/db';
import { buildApp } from './app';

/**
 * The OpenAPI document exactly as `/openapi.json` serves it, built without a database (the app is
 * never started or queried: routes and schemas only). The typed client (packages/api-client) is
 * generated from it; `npm run api-client:generate` writes it there.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  // A client that is never used: building the app opens no connection.
  const db = createDatabaseClient({
    connectionString: 'postgresql://openapi@127.0.0.1:1/openapi',
    maxConnections: 1,
  });
  const app = await buildApp({
    db,
    logger: false,
    rateLimit: false,
    sessionSecret: 'openapi-document-only-0123456789abcdef',
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await db.close();
  }
}
