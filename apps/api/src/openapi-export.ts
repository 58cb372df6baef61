import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '@marketprep/db';
import { buildOpenApiDocument } from './openapi-document';

/** Where the typed client keeps the document it is generated from. */
export const API_CLIENT_DOCUMENT = join(REPO_ROOT, 'packages', 'api-client', 'openapi.json');

/** The document as stored: stable key order from the app, two-space JSON, a final newline. */
export function serializeDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

// `tsx apps/api/src/openapi-export.ts`: the first step of `npm run api-client:generate`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const document = await buildOpenApiDocument();
  await writeFile(API_CLIENT_DOCUMENT, serializeDocument(document));
  console.log(`wrote ${API_CLIENT_DOCUMENT}`);
}
