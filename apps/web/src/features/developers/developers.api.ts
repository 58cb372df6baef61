/**
 * Webhooks of the Developers screen through the typed client (packages/api-client): paths,
 * bodies and answers are checked by the compiler against the API's own OpenAPI document. Writes
 * carry the session's CSRF token like every other write of the app.
 */
import { createApiClient, type ApiSchema } from '@marketprep/api-client';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@marketprep/contracts';

import { ApiError, NetworkError } from '../../lib/api-client';
import { problemShape } from '../../lib/api-shapes';
import { ensureCsrfToken } from '../../lib/session';

export type WebhookEndpoint = ApiSchema<'WebhookEndpoint'>;
export type WebhookEndpointCreated = ApiSchema<'WebhookEndpointCreated'>;
export type WebhookDelivery = ApiSchema<'WebhookDelivery'>;
export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

/** What each event means, in the vendor's words. */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  'prep_list.updated': 'A prep list changed',
  'plan.committed': 'The week’s plan was committed',
  'check_in.submitted': 'A check-in was saved',
  'alert.created': 'An alert was raised (rain, big event)',
  'sync.failed': 'Square sync failed',
  'model.retrained': 'The forecast was retrained',
};

export const endpointsKey = ['webhook-endpoints'] as const;
export const deliveriesKey = (endpointId: string) => ['webhook-deliveries', endpointId] as const;

const api = createApiClient({
  baseUrl: '',
  onRequest: async (request) => {
    if (request.method === 'GET') return request;
    const token = await ensureCsrfToken(undefined);
    if (token) request.headers.set('x-csrf-token', token);
    return request;
  },
});

/** Unwraps an openapi-fetch answer into the data or the app's usual error types. */
async function unwrap<T>(
  path: string,
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError({ path, cause: error });
  }
  if (!result.response.ok) {
    const problem = problemShape.safeParse(result.error);
    throw new ApiError({
      path,
      status: result.response.status,
      ...(problem.success && { problem: problem.data }),
    });
  }
  return result.data as T;
}

/** The business's endpoints (one page of 200: a business has a handful). */
export function listEndpoints(signal?: AbortSignal) {
  return unwrap(
    '/v1/webhook-endpoints',
    api.GET('/v1/webhook-endpoints', { params: { query: { limit: 200 } }, signal }),
  );
}

/** Registers an endpoint; the answer holds its secret, shown once. */
export function createEndpoint(body: {
  url: string;
  description?: string;
  events: WebhookEventType[];
}) {
  return unwrap('/v1/webhook-endpoints', api.POST('/v1/webhook-endpoints', { body }));
}

/** Turns an endpoint on or off. */
export function setEndpointEnabled(endpointId: string, enabled: boolean) {
  return unwrap(
    `/v1/webhook-endpoints/${endpointId}`,
    api.PATCH('/v1/webhook-endpoints/{endpointId}', {
      params: { path: { endpointId } },
      body: { enabled },
    }),
  );
}

/** Deletes an endpoint and its log. */
export function deleteEndpoint(endpointId: string) {
  return unwrap(
    `/v1/webhook-endpoints/${endpointId}`,
    api.DELETE('/v1/webhook-endpoints/{endpointId}', { params: { path: { endpointId } } }),
  );
}

/** The newest 50 deliveries of an endpoint. */
export function listDeliveries(endpointId: string, signal?: AbortSignal) {
  return unwrap(
    `/v1/webhook-endpoints/${endpointId}/deliveries`,
    api.GET('/v1/webhook-endpoints/{endpointId}/deliveries', {
      params: { path: { endpointId }, query: { limit: 50 } },
      signal,
    }),
  );
}

/** Sends a delivery again now. */
export function resendDelivery(deliveryId: string) {
  return unwrap(
    `/v1/webhook-deliveries/${deliveryId}/resend`,
    api.POST('/v1/webhook-deliveries/{deliveryId}/resend', { params: { path: { deliveryId } } }),
  );
}
