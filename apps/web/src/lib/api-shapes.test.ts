// Each light shape check against its contracts schema: what the contract accepts passes the check,
// and what the screens could not render (a missing or mistyped field they read) fails both.
import {
  GoNoGoSchema,
  ImportListSchema,
  MarketListSchema,
  NotificationListSchema,
  NotificationsMarkedSchema,
  PrepListSchema,
  ProblemSchema,
  ProductListSchema,
  SessionSchema,
} from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

import {
  goNoGoShape,
  importListShape,
  marketListShape,
  notificationListShape,
  notificationsMarkedShape,
  prepListShape,
  problemShape,
  productListShape,
  sessionShape,
} from './api-shapes';
import type { ResponseParser } from './response-shape';

const ID = '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b';
const AT = '2026-11-27T18:00:00.000Z';

const prepList = PrepListSchema.parse(PrepListSchema.meta()?.example);

const cases: {
  name: string;
  schema: z.ZodType;
  shape: ResponseParser<unknown>;
  valid: unknown;
  broken: ((value: never) => unknown)[];
}[] = [
  {
    name: 'problem',
    schema: ProblemSchema,
    shape: problemShape,
    valid: {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Check the fields',
      requestId: 'req-1',
      errors: [{ path: 'name', message: 'Required' }],
    },
    broken: [
      (v: { title: string }) => ({ ...v, title: undefined }),
      (v: object) => ({ ...v, errors: [{ path: 'name' }] }),
    ],
  },
  {
    name: 'session',
    schema: SessionSchema,
    shape: sessionShape,
    valid: {
      user: { id: ID, email: 'demo@marketprep.local', name: 'Demo' },
      isPlatformAdmin: false,
      activeVendorId: ID,
      memberships: [{ vendorId: ID, vendorName: 'Sunrise Bakery', role: 'OWNER' }],
      csrfToken: 'token',
    },
    broken: [
      (v: object) => ({ ...v, csrfToken: null }),
      (v: object) => ({ ...v, memberships: [{ vendorId: ID, vendorName: 'X', role: 'ADMIN' }] }),
      (v: object) => ({ ...v, isPlatformAdmin: 'no' }),
    ],
  },
  {
    name: 'go/no-go',
    schema: GoNoGoSchema,
    shape: goNoGoShape,
    valid: {
      thresholds: { goRevenueToFeeRatio: 3 },
      data: [
        {
          marketId: ID,
          marketName: 'Green City Market',
          marketDayId: ID,
          date: '2026-11-28',
          boothFeeMinor: 4500,
          basis: 'recommendation',
          expectedRevenueMinor: 52000,
          netMinor: 47500,
          recommendation: 'go',
          weather: {
            summary: 'Sunny',
            tempMaxC: 12,
            tempMinC: 2,
            precipMm: 0,
            precipProb: 0.1,
            provider: 'open-meteo',
            fetchedAt: AT,
          },
          closingHoliday: null,
        },
        {
          marketId: ID,
          marketName: 'Green City Market',
          marketDayId: ID,
          date: '2026-12-05',
          boothFeeMinor: 0,
          basis: 'none',
          expectedRevenueMinor: null,
          netMinor: null,
          recommendation: 'marginal',
          weather: null,
          closingHoliday: 'Christmas Day',
        },
        {
          // Sales without prices (the dashboard's "could not read" until the shape knew it).
          marketId: ID,
          marketName: 'Green City Market',
          marketDayId: ID,
          date: '2026-12-12',
          boothFeeMinor: 0,
          basis: 'unpriced',
          expectedRevenueMinor: null,
          netMinor: null,
          recommendation: 'marginal',
          weather: null,
          closingHoliday: null,
        },
      ],
    },
    broken: [
      (v: { data: object[] }) => ({ ...v, data: [{ ...v.data[0], date: 'Saturday' }] }),
      (v: { data: object[] }) => ({ ...v, data: [{ ...v.data[0], closingHoliday: 25 }] }),
      (v: { data: object[] }) => ({ ...v, data: [{ ...v.data[0], recommendation: 'maybe' }] }),
      (v: object) => ({ ...v, data: null }),
    ],
  },
  {
    name: 'notification list',
    schema: NotificationListSchema,
    shape: notificationListShape,
    valid: {
      data: [
        {
          id: ID,
          kind: 'outlook.changed',
          title: 'Rain on Saturday',
          body: 'Bring less.',
          data: { marketId: ID },
          readAt: null,
          createdAt: AT,
        },
      ],
      nextCursor: null,
    },
    broken: [(v: { data: object[] }) => ({ ...v, data: [{ ...v.data[0], title: 3 }] })],
  },
  {
    name: 'notifications marked',
    schema: NotificationsMarkedSchema,
    shape: notificationsMarkedShape,
    valid: { updated: 2 },
    broken: [() => ({ updated: '2' })],
  },
  {
    name: 'import list',
    schema: ImportListSchema,
    shape: importListShape,
    valid: {
      data: [
        {
          id: ID,
          fileName: 'sales.csv',
          fileSha256: 'a'.repeat(64),
          format: 'generic',
          status: 'COMMITTED',
          rowCount: 10,
          errorCount: 0,
          createdAt: AT,
          committedAt: AT,
        },
      ],
      nextCursor: null,
    },
    broken: [
      (v: { data: object[] }) => ({ ...v, data: [{ ...v.data[0], status: 'DONE' }] }),
      (v: { data: object[] }) => ({ data: v.data }),
    ],
  },
  {
    name: 'market list',
    schema: MarketListSchema,
    shape: marketListShape,
    valid: {
      data: [
        {
          id: ID,
          name: 'Green City Market',
          address: null,
          latitude: 41.9145,
          longitude: -87.6344,
          timezone: 'America/Chicago',
          countryCode: 'US',
          regionCode: 'IL',
          boothFeeMinor: 4500,
          active: true,
          schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00', seasonFrom: null }],
          nextMarketDate: '2026-11-28',
        },
      ],
    },
    broken: [
      (v: { data: { schedule: object[] }[] }) => ({
        data: [{ ...v.data[0], schedule: [{ weekday: 5, opensAt: '8 am', closesAt: '13:00' }] }],
      }),
      (v: { data: object[] }) => ({ data: [{ ...v.data[0], nextMarketDate: undefined }] }),
    ],
  },
  {
    name: 'prep list',
    schema: PrepListSchema,
    shape: prepListShape,
    valid: prepList,
    broken: [
      (v: typeof prepList) => ({ ...v, lines: [{ ...v.lines[0], effectiveQuantity: '40' }] }),
      (v: typeof prepList) => ({
        ...v,
        lines: [{ ...v.lines[0], explanation: { ...v.lines[0]?.explanation, effects: null } }],
      }),
      (v: typeof prepList) => ({ ...v, totals: undefined }),
      (v: typeof prepList) => ({
        ...v,
        lines: [{ ...v.lines[0], availability: { ...v.lines[0]?.availability, inSeason: 'no' } }],
      }),
      (v: typeof prepList) => ({ ...v, coldStart: { note: 3 } }),
      (v: typeof prepList) => ({ ...v, lines: [{ ...v.lines[0], modelRung: 'dormant' }] }),
      (v: typeof prepList) => ({ ...v, lines: [{ ...v.lines[0], priced: 'yes' }] }),
    ],
  },
  {
    name: 'product list',
    schema: ProductListSchema,
    shape: productListShape,
    valid: {
      data: [
        {
          id: ID,
          name: 'Sourdough loaf',
          unit: 'loaf',
          category: 'Bread',
          priceMinor: 750,
          unitCostMinor: 200,
          salvageValueMinor: 100,
          shelfLifeDays: 2,
          expectedDailyUnits: null,
          active: true,
          season: { mode: 'months', months: [6, 7, 8] },
          planning: null,
          squareItemId: null,
          squareVariationId: null,
          createdAt: AT,
          updatedAt: AT,
        },
      ],
      nextCursor: 'next',
    },
    broken: [(v: { data: object[] }) => ({ ...v, data: [{ ...v.data[0], category: 4 }] })],
  },
];

describe.each(cases)('$name shape', ({ schema, shape, valid, broken }) => {
  it('accepts what the contract accepts, unchanged', () => {
    expect(schema.safeParse(valid).success).toBe(true);
    const checked = shape.safeParse(valid);
    expect(checked).toEqual({ success: true, data: valid });
  });

  it('refuses a body that breaks a field the screen reads, saying where', () => {
    for (const breakIt of broken) {
      const body = breakIt(valid as never);
      expect(schema.safeParse(body).success).toBe(false);
      const checked = shape.safeParse(body);
      expect(checked.success).toBe(false);
      if (!checked.success) expect(checked.error.issues[0]?.message).toMatch(/^Expected /);
    }
  });

  it('refuses what is not an API answer at all', () => {
    for (const body of [undefined, null, '<!doctype html><h1>Bad gateway</h1>', [], 42]) {
      expect(shape.safeParse(body).success).toBe(false);
    }
  });
});

describe('issue paths', () => {
  it('point at the field that failed', () => {
    const body = { ...prepList, lines: [prepList.lines[0], { ...prepList.lines[0], q50: null }] };
    const checked = prepListShape.safeParse(body);
    expect(checked.success).toBe(false);
    if (!checked.success) {
      expect(checked.error.issues[0]).toMatchObject({
        code: 'custom',
        path: ['lines', 1, 'q50'],
        message: 'Expected a number',
      });
    }
  });
});
