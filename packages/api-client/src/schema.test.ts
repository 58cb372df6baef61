import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, renderSchema } from '../scripts/generate';

describe('generated types', () => {
  it('src/schema.ts matches openapi.json (run `npm run api-client:generate` when this fails)', async () => {
    expect(await readFile(SCHEMA_PATH, 'utf8')).toBe(await renderSchema());
  });
});
