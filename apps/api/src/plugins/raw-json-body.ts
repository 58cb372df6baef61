import type { FastifyInstance } from 'fastify';

/**
 * Webhook intakes verify a signature over the exact bytes: inside the calling plugin (only),
 * JSON bodies arrive as the raw Buffer, at most `bodyLimit` bytes.
 */
export function acceptRawJsonBody(app: FastifyInstance, bodyLimit: number): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_request, body, parsed) => parsed(null, body),
  );
}
