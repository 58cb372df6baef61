/**
 * packages/contracts: the zod schemas of every request and response, shared by the API (validation
 * and OpenAPI) and the web app. Imports nothing internal.
 */
export * from './auth';
export * from './health';
export * from './markets';
export * from './market-calendar';
export * from './problem';
export * from './pagination';
export * from './market-days';
export * from './products';
export * from './notifications';
export * from './imports';
export * from './geo';
export * from './prep-lists';
export * from './check-ins';
export * from './insights';
export * from './square';
export * from './admin';
export * from './worker-status';
export * from './events';
export * from './vendor-settings';
export * from './wording';
export * from './billing';
export * from './data-rights';
export * from './sales';
export * from './webhooks';
export * from './alerts';
export * from './week-plan';
export * from './replay';
