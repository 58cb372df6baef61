import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi-document';
import { API_CLIENT_DOCUMENT, serializeDocument } from './openapi-export';

describe('the typed client (packages/api-client)', () => {
  it('is generated from the OpenAPI document the API serves now (else run `npm run api-client:generate`)', async () => {
    const served = serializeDocument(await buildOpenApiDocument());
    const stored = await readFile(API_CLIENT_DOCUMENT, 'utf8');
    // One message that says what to do instead of an 800 KB diff.
    expect(
      stored === served,
      'packages/api-client/openapi.json is stale: run `npm run api-client:generate`',
    ).toBe(true);
  });
});
