/**
 * packages/contracts: the zod schemas of every request and response, shared by the API (validation
 * and OpenAPI) and the web app. Imports nothing internal.
 */
export * from './auth';
export * from './health';
export * from './markets';
export * from './problem';
