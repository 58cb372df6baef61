import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo, two tiers (STYLE.md #12):
// - unit: *.test.ts beside pure code, no infrastructure;
// - integration: *.int.test.ts against the real PostgreSQL and Redis; each test file gets its own
//   database cloned from a migrated template (packages/db/src/testing).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,packages,scripts,bench,ops}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', 'apps/web/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,packages,scripts,bench,ops}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', 'apps/web/e2e/**'],
          globalSetup: ['./packages/db/src/testing/global-setup.ts'],
        },
      },
    ],
  },
});
