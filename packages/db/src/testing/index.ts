/** Test helpers for integration tests against the real PostgreSQL (a database per test file). */
export { createEmptyDatabase, createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
