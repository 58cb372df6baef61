import { z } from 'zod';

/**
 * Alert categories a business routes to email and Web Push (issue 19); in-app is always on.
 * Same names as ALERT_CATEGORIES in packages/db (a test keeps them equal).
 */
export const ALERT_CATEGORIES = [
  'deadline_reminder',
  'outlook_change',
  'all_clear',
  'weather',
  'sync',
  'account',
] as const;

/** One alert category. */
export const AlertCategorySchema = z.enum(ALERT_CATEGORIES).meta({ id: 'AlertCategory' });

/** Channels of one category besides in-app. */
export const AlertRouteSchema = z
  .object({ email: z.boolean(), push: z.boolean() })
  .strict()
  .meta({ id: 'AlertRoute' });

/** Every category's channels. */
export const AlertRoutesSchema = z
  .object({
    deadline_reminder: AlertRouteSchema,
    outlook_change: AlertRouteSchema,
    all_clear: AlertRouteSchema,
    weather: AlertRouteSchema,
    sync: AlertRouteSchema,
    account: AlertRouteSchema,
  })
  .strict()
  .meta({ id: 'AlertRoutes' });

/**
 * How much a planned quantity must move for an outlook-change alert: more than `value` percent
 * of the earlier quantity, or more than `value` units.
 */
export const OutlookChangeThresholdSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('percent'), value: z.number().min(1).max(1000) }).strict(),
    z.object({ mode: z.literal('units'), value: z.number().min(0.5).max(100_000) }).strict(),
  ])
  .meta({ id: 'OutlookChangeThreshold' });

/** `GET /v1/alerts/settings`. */
export const AlertSettingsSchema = z
  .object({
    routes: AlertRoutesSchema,
    outlookChangeThreshold: OutlookChangeThresholdSchema,
    /** Null: never changed (the defaults). */
    updatedAt: z.iso.datetime().nullable(),
    /** The VAPID public key browsers subscribe with; null when push is not configured. */
    pushPublicKey: z.string().nullable(),
  })
  .meta({ id: 'AlertSettings' });

/** `PUT /v1/alerts/settings`: the whole setting (owners). */
export const AlertSettingsUpdateBodySchema = z
  .object({
    routes: AlertRoutesSchema,
    outlookChangeThreshold: OutlookChangeThresholdSchema,
  })
  .strict()
  .meta({
    id: 'AlertSettingsUpdateBody',
    example: {
      routes: {
        deadline_reminder: { email: true, push: true },
        outlook_change: { email: true, push: true },
        all_clear: { email: false, push: true },
        weather: { email: false, push: true },
        sync: { email: true, push: false },
        account: { email: false, push: true },
      },
      outlookChangeThreshold: { mode: 'percent', value: 20 },
    },
  });

/** Base64url without padding, as PushSubscription.toJSON() gives the keys. */
const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url.');

/** `POST /v1/push/subscriptions`: a browser's PushSubscription.toJSON(). */
export const PushSubscriptionBodySchema = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }).max(2_000),
    expirationTime: z.number().nullable().optional(),
    keys: z
      .object({
        // An uncompressed P-256 point (65 bytes: 87 characters) and a 16-byte secret (22).
        p256dh: base64url(80, 100),
        auth: base64url(16, 32),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'PushSubscriptionBody' });

/** `POST /v1/push/subscriptions/remove`: forget this browser's subscription. */
export const PushUnsubscribeBodySchema = z
  .object({ endpoint: z.url({ protocol: /^https?$/ }).max(2_000) })
  .strict()
  .meta({ id: 'PushUnsubscribeBody' });

/** A stored push subscription as its member sees it. */
export const PushSubscriptionSchema = z
  .object({ id: z.uuid(), endpoint: z.string() })
  .meta({ id: 'PushSubscription' });

/** Push services browsers use (production accepts endpoints on these hosts only). */
export const PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  'web.push.apple.com',
  'notify.windows.com',
] as const;

/**
 * Whether the worker may send to `endpoint`: https on a known push service (or a subdomain of
 * one), or, outside production, a loopback address (the local fake push service). Anything else
 * would let a member make the worker post to an address of their choosing.
 */
export function isAllowedPushEndpoint(endpoint: string, options: { allowLoopback: boolean }) {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (options.allowLoopback && ['127.0.0.1', 'localhost', '::1'].includes(host)) return true;
  if (url.protocol !== 'https:') return false;
  return PUSH_SERVICE_HOSTS.some((known) => host === known || host.endsWith(`.${known}`));
}

/** A category. */
export type AlertCategory = z.infer<typeof AlertCategorySchema>;
/** Every category's channels. */
export type AlertRoutes = z.infer<typeof AlertRoutesSchema>;
/** The outlook-change threshold. */
export type OutlookChangeThreshold = z.infer<typeof OutlookChangeThresholdSchema>;
/** The business's alert settings. */
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;
/** A change of the alert settings. */
export type AlertSettingsUpdateBody = z.infer<typeof AlertSettingsUpdateBodySchema>;
/** A browser's subscription. */
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBodySchema>;
