/**
 * Light checks (see ./response-shape) of the answers the signed-in shell, the dashboard and the
 * prep list read: the fields those screens use, with their JSON types and the formats they parse.
 * api-shapes.test.ts holds each one against its contracts schema.
 */
import type {
  GoNoGo,
  ImportListSchema,
  MarketList,
  NotificationListSchema,
  NotificationsMarkedSchema,
  PrepList,
  Problem,
  ProductListSchema,
  Session,
} from '@marketprep/contracts';
import type { z } from 'zod';

import {
  array,
  boolean,
  matching,
  nullable,
  number,
  object,
  oneOf,
  optional,
  shape,
  string,
  unknown,
} from './response-shape';

const localDate = matching(/^\d{4}-\d{2}-\d{2}$/);
const localTime = matching(/^([01]\d|2[0-3]):[0-5]\d$/);
const nextCursor = nullable(string);

type NotificationList = z.infer<typeof NotificationListSchema>;
type NotificationsMarked = z.infer<typeof NotificationsMarkedSchema>;
type ImportList = z.infer<typeof ImportListSchema>;
type ProductList = z.infer<typeof ProductListSchema>;

/** RFC 9457 problem details (every 4xx/5xx body of the API). */
export const problemShape = shape<Problem>(
  object({
    type: string,
    title: string,
    status: number,
    detail: optional(string),
    instance: optional(string),
    requestId: optional(string),
    errors: optional(array(object({ path: string, message: string }))),
  }),
);

/** `GET /v1/auth/session`. */
export const sessionShape = shape<Session>(
  object({
    user: object({ id: string, email: string, name: string }),
    isPlatformAdmin: boolean,
    activeVendorId: nullable(string),
    memberships: array(
      object({ vendorId: string, vendorName: string, role: oneOf(['OWNER', 'STAFF']) }),
    ),
    csrfToken: string,
  }),
);

/** `GET /v1/insights/go-no-go`. */
export const goNoGoShape = shape<GoNoGo>(
  object({
    thresholds: object({ goRevenueToFeeRatio: number }),
    data: array(
      object({
        marketId: string,
        marketName: string,
        marketDayId: string,
        date: localDate,
        boothFeeMinor: number,
        basis: oneOf(['recommendation', 'history', 'unpriced', 'none']),
        expectedRevenueMinor: nullable(number),
        netMinor: nullable(number),
        recommendation: oneOf(['go', 'marginal', 'skip']),
        weather: nullable(
          object({
            summary: nullable(string),
            tempMaxC: nullable(number),
            tempMinC: nullable(number),
            precipMm: nullable(number),
            precipProb: nullable(number),
            provider: string,
            fetchedAt: string,
          }),
        ),
        // Optional: an answer cached offline before it existed has none.
        closingHoliday: optional(nullable(string)),
      }),
    ),
  }),
);

/** `GET /v1/notifications`. */
export const notificationListShape = shape<NotificationList>(
  object({
    data: array(
      object({
        id: string,
        kind: string,
        title: string,
        body: string,
        data: unknown,
        readAt: nullable(string),
        createdAt: string,
      }),
    ),
    nextCursor,
  }),
);

/** `POST /v1/notifications/read-all`. */
export const notificationsMarkedShape = shape<NotificationsMarked>(object({ updated: number }));

/** `GET /v1/imports`. */
export const importListShape = shape<ImportList>(
  object({
    data: array(
      object({
        id: string,
        fileName: string,
        status: oneOf(['PREVIEWED', 'COMMITTED', 'FAILED']),
        rowCount: number,
        errorCount: number,
        createdAt: string,
        committedAt: nullable(string),
      }),
    ),
    nextCursor,
  }),
);

/** `GET /v1/markets`. */
export const marketListShape = shape<MarketList>(
  object({
    data: array(
      object({
        id: string,
        name: string,
        address: nullable(string),
        latitude: number,
        longitude: number,
        timezone: string,
        countryCode: string,
        regionCode: nullable(string),
        boothFeeMinor: number,
        active: boolean,
        schedule: array(
          object({
            weekday: oneOf([0, 1, 2, 3, 4, 5, 6]),
            opensAt: localTime,
            closesAt: localTime,
            seasonFrom: optional(nullable(string)),
            seasonTo: optional(nullable(string)),
            weeksOfMonth: optional(array(number)),
            everyOtherWeekFrom: optional(nullable(string)),
          }),
        ),
        nextMarketDate: nullable(localDate),
        lastMarketDate: optional(nullable(localDate)),
        expectedSize: optional(nullable(object({ referenceMarketId: string, scale: number }))),
      }),
    ),
  }),
);

const prepListLine = object({
  productId: string,
  productName: string,
  unit: string,
  q10: number,
  q50: number,
  q90: number,
  criticalRatio: number,
  recommendedQuantity: number,
  overrideQuantity: nullable(number),
  effectiveQuantity: number,
  expectedSold: number,
  expectedRevenueMinor: number,
  // Optional: a copy kept offline from before lists said which products have a price has none
  // (the page reads it from that copy's revenue: see withPricedDefaults).
  priced: optional(boolean),
  modelRung: oneOf(['pooled', 'thin', 'cold-start', 'closed', 'out-of-season']),
  dataSufficiency: oneOf(['none', 'thin', 'some', 'rich']),
  // Optional: a copy kept offline from before lists said what is in season has none (the page
  // reads it as in season: see withSeasonDefaults).
  availability: optional(
    object({
      inSeason: boolean,
      source: oneOf(['learned', 'owner', 'unknown']),
      lastSoldOn: nullable(localDate),
      usualMonths: array(number),
      note: nullable(string),
    }),
  ),
  explanation: object({
    baseline: number,
    baselineSupport: number,
    basis: optional(string),
    effects: array(
      object({
        name: string,
        units: number,
        percent: number,
        support: number,
        label: optional(string),
      }),
    ),
    summary: string,
  }),
});

/** `GET /v1/markets/:marketId/prep-lists/:date` (and the answer of a quantity change). */
export const prepListShape = shape<PrepList>(
  object({
    id: string,
    marketId: string,
    marketName: string,
    marketDayId: string,
    date: localDate,
    timezone: string,
    vendorName: string,
    currency: matching(/^[A-Z]{3}$/),
    generatedAt: string,
    salesAsOf: nullable(string),
    weatherAsOf: nullable(string),
    eventsAsOf: nullable(string),
    coldStart: optional(nullable(object({ note: string }))),
    // Optional: a list cached offline before it existed has none.
    closingHoliday: optional(nullable(string)),
    totals: object({ effectiveQuantity: number, expectedRevenueMinor: number }),
    // Optional: a list cached offline before input health existed has none.
    health: optional(
      object({
        verdict: oneOf(['good', 'check', 'stale']),
        summary: nullable(string),
        reasons: array(
          object({ input: string, status: oneOf(['good', 'check', 'stale']), text: string }),
        ),
      }),
    ),
    lines: array(prepListLine),
  }),
);

/** `GET /v1/products` (the prep list reads the categories). */
export const productListShape = shape<ProductList>(
  object({
    data: array(object({ id: string, name: string, category: nullable(string) })),
    nextCursor,
  }),
);
