import { z } from 'zod';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';

/**
 * Events MarketPrep sends to a business's webhook endpoints (issue 20). Each is emitted in the
 * same transaction as the change it reports, so an event exists exactly when its effect does.
 */
export const WEBHOOK_EVENT_TYPES = [
  'prep_list.updated',
  'plan.committed',
  'check_in.submitted',
  'alert.created',
  'sync.failed',
  'model.retrained',
] as const;

/** One of {@link WEBHOOK_EVENT_TYPES}. */
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'MarketPrep-Signature';
/** A receiver refuses a signature whose timestamp is further than this from its clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const WebhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2_000)
  // Zod runs refinements after a failed format check too, so the parse is guarded.
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.hash === '';
    } catch {
      return false;
    }
  }, 'No user, password or #fragment in the URL')
  .describe('Where events are POSTed (https in production)');

/** `POST /v1/webhook-endpoints`. */
export const WebhookEndpointCreateBodySchema = z
  .object({
    url: WebhookUrlSchema,
    description: textSchema({ max: 200 }).optional(),
    events: z.array(WebhookEventTypeSchema).min(1).max(WEBHOOK_EVENT_TYPES.length),
  })
  .strict()
  .meta({
    id: 'WebhookEndpointCreateBody',
    example: { url: 'https://example.com/marketprep', events: ['check_in.submitted'] },
  });

/** `PATCH /v1/webhook-endpoints/:endpointId`: events, description, or turning it back on/off. */
export const WebhookEndpointUpdateBodySchema = z
  .object({
    description: textSchema({ max: 200 }).nullable().optional(),
    events: z.array(WebhookEventTypeSchema).min(1).max(WEBHOOK_EVENT_TYPES.length).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Change at least one field')
  .meta({ id: 'WebhookEndpointUpdateBody' });

/** An endpoint as listed (never the secret). */
export const WebhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(WebhookEventTypeSchema),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    disabledAt: z.iso.datetime().nullable(),
    consecutiveFailures: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookEndpoint' });

/** `POST /v1/webhook-endpoints` answer: the only time the signing secret is shown. */
export const WebhookEndpointCreatedSchema = WebhookEndpointSchema.extend({
  secret: z.string().describe('Signing secret (whsec_...). Shown once; store it.'),
}).meta({ id: 'WebhookEndpointCreated' });

/** `GET /v1/webhook-endpoints`. */
export const WebhookEndpointListSchema = pageSchema(WebhookEndpointSchema).meta({
  id: 'WebhookEndpointList',
});

/** One delivery of an event to an endpoint. */
export const WebhookDeliverySchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    eventId: z.uuid(),
    eventType: WebhookEventTypeSchema,
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastAttemptAt: z.iso.datetime().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });

/** `GET /v1/webhook-endpoints/:endpointId/deliveries`. */
export const WebhookDeliveryListSchema = pageSchema(WebhookDeliverySchema).meta({
  id: 'WebhookDeliveryList',
});

/** `?limit=&cursor=` of the webhook lists. */
export const WebhookListQuerySchema = PaginationQuerySchema;

/** The JSON body POSTed to an endpoint. */
export const WebhookEventBodySchema = z
  .object({
    id: z.uuid().describe('Event id: the same on every retry; dedupe on it'),
    type: WebhookEventTypeSchema,
    createdAt: z.iso.datetime(),
    vendorId: z.uuid(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'WebhookEvent' });
export type WebhookEventBody = z.infer<typeof WebhookEventBodySchema>;
