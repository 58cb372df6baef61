import { randomBytes, randomUUID } from 'node:crypto';
import { signSquareWebhook, SQUARE_SIGNATURE_HEADER } from '../square/square-webhooks';
import { FakeHttpServer, type FakeHandlerRequest, type FakeResponse } from './fake-server';

/** The application credentials the Square fake accepts unless told otherwise. */
export const FAKE_SQUARE_APPLICATION_ID = 'sq0idp-fake-application';
export const FAKE_SQUARE_APPLICATION_SECRET = 'sq0csp-fake-application-secret';
export const FAKE_SQUARE_MERCHANT_ID = 'MLFAKEMERCHANT01';

/**
 * When a location sells, for generated season history: a market day on each of `weekdays`, open
 * `opensAt`-`closesAt` local time, inside the season (`seasonFrom`-`seasonTo`, 'MM-DD' inclusive,
 * wrapping over New Year when from > to; none = all year).
 */
export interface FakeSquareSellingPattern {
  /** JavaScript weekdays: 0 = Sunday ... 6 = Saturday. */
  weekdays: number[];
  /** Local 'HH:MM'. */
  opensAt: string;
  /** Local 'HH:MM'. */
  closesAt: string;
  seasonFrom?: string;
  seasonTo?: string;
  /** Orders on a typical day of the season (the first weeks of a season sell more). */
  ordersPerDay: number;
}

/** A location served by the fake. */
export interface FakeSquareLocation {
  id: string;
  name: string;
  timezone: string;
  latitude: number;
  longitude: number;
  /** Its market days, for `season` history (a location without any sells nothing there). */
  selling?: FakeSquareSellingPattern[];
}

/** An item variation served by the fake. */
export interface FakeSquareVariation {
  id: string;
  itemId: string;
  itemName: string;
  name: string;
  priceMinor: number;
  /**
   * How much it sells per month (January first; 0 = not offered that month), relative to the
   * other variations, for `season` history. Default: 1 all year.
   */
  monthly?: readonly number[];
}

/** Options of the Square fake. */
export interface SquareFakeOptions {
  applicationId?: string;
  applicationSecret?: string;
  merchantId?: string;
  locations?: FakeSquareLocation[];
  variations?: FakeSquareVariation[];
  /** Generated history: `count` sale orders closed between `from` and `to` (YYYY-MM-DD, UTC days). */
  orders?: {
    count: number;
    from: string;
    to: string;
    seed?: number;
    /** One order in `refundEvery` gets a later return order (a refund of one unit). Default 25. */
    refundEvery?: number;
    /** One order in `cancelEvery` is CANCELED. Default 60. */
    cancelEvery?: number;
  };
  /**
   * Generated history shaped like a market stall's: the `days` (default 365) before `today`
   * (YYYY-MM-DD, exclusive), each location selling on its own market days and hours
   * ({@link FakeSquareLocation.selling}), more in the first weeks of a season, most orders early
   * in the opening hours, the product mix following each variation's months. Deterministic for
   * the same options.
   */
  season?: {
    today: string;
    days?: number;
    seed?: number;
    /** As in `orders`. Defaults 40 and 80. */
    refundEvery?: number;
    cancelEvery?: number;
  };
  /**
   * Each authorization code grants a new merchant (`merchantId`, then `…02`, `…03`), all with the
   * same locations, catalog and orders: in the demo, every business that connects gets its own
   * Square account. Default false (one merchant).
   */
  merchantPerAuthorization?: boolean;
  /** Milliseconds SearchOrders takes per page (Square takes a few hundred). Default 0. */
  searchLatencyMs?: number;
  /** Where /oauth2/authorize sends the browser when the request names no `redirect_uri`. */
  redirectUri?: string;
  /** ITEM and ITEM_VARIATION objects per ListCatalog page. Default 100 (Square's). */
  catalogPageSize?: number;
  now?: () => Date;
}

/** Net units per (location, variation, location-local date), as the sync must reproduce them. */
export type FakeSquareTotals = Map<string, number>;

/** A signed webhook notification, ready to POST. */
export interface FakeSquareWebhook {
  eventId: string;
  rawBody: string;
  signature: string;
  headers: Record<string, string>;
}

interface Money {
  amount: number;
  currency: 'USD';
}

interface OrderLine {
  uid: string;
  name: string;
  variation_name: string;
  quantity: string;
  catalog_object_id: string;
  catalog_version: number;
  item_type: 'ITEM';
  base_price_money: Money;
  variation_total_price_money: Money;
  gross_sales_money: Money;
  total_tax_money: Money;
  total_discount_money: Money;
  total_money: Money;
}

interface ReturnLine {
  uid: string;
  source_line_item_uid: string;
  name: string;
  quantity: string;
  catalog_object_id: string;
  item_type: 'ITEM';
  base_price_money: Money;
  gross_return_money: Money;
  total_tax_money: Money;
  total_discount_money: Money;
  total_money: Money;
}

/** An order as Square's API returns it (snake_case JSON). */
export interface FakeSquareOrder {
  id: string;
  location_id: string;
  state: 'COMPLETED' | 'CANCELED' | 'OPEN';
  created_at: string;
  updated_at: string;
  closed_at: string;
  version: number;
  source: { name: string };
  line_items?: OrderLine[];
  returns?: { uid: string; source_order_id: string; return_line_items: ReturnLine[] }[];
  refunds?: {
    id: string;
    location_id: string;
    transaction_id: string;
    tender_id: string;
    created_at: string;
    reason: string;
    amount_money: Money;
    status: 'APPROVED';
  }[];
  total_money: Money;
  total_tax_money: Money;
  total_discount_money: Money;
  total_tip_money: Money;
  total_service_charge_money: Money;
}

const DEFAULT_LOCATIONS: FakeSquareLocation[] = [
  {
    id: 'LFAKEUNIONSQ01',
    name: 'Union Square Greenmarket',
    timezone: 'America/New_York',
    latitude: 40.7359,
    longitude: -73.9911,
  },
  {
    id: 'LFAKEGRANDARMY',
    name: 'Grand Army Plaza',
    timezone: 'America/New_York',
    latitude: 40.6727,
    longitude: -73.9701,
  },
];

const DEFAULT_VARIATIONS: FakeSquareVariation[] = [
  ['Sourdough', 'Loaf', 900],
  ['Sourdough', 'Half loaf', 500],
  ['Baguette', 'Regular', 400],
  ['Croissant', 'Butter', 375],
  ['Croissant', 'Almond', 450],
  ['Cinnamon Bun', 'Regular', 425],
  ['Rye', 'Loaf', 850],
  ['Focaccia', 'Rosemary', 700],
].map(([itemName, name, price], index) => ({
  id: `VFAKE${String(index + 1).padStart(4, '0')}`,
  itemId: `IFAKE${String(itemName)
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .slice(0, 8)}`,
  itemName: String(itemName),
  name: String(name),
  priceMinor: Number(price),
}));

const CHICAGO = 'America/Chicago';
const SUMMER = { seasonFrom: '05-01', seasonTo: '10-31' } as const;

/**
 * The demo stall's Square account: the markets of the demo business (same names, so the mapping
 * screen suggests them), and a home kitchen where pre-orders are picked up, which is not a market.
 */
export const DEMO_SQUARE_LOCATIONS: readonly FakeSquareLocation[] = [
  {
    id: 'LDEMORIVERSIDE',
    name: 'Riverside Saturday Market',
    timezone: CHICAGO,
    latitude: 41.8786,
    longitude: -87.6589,
    selling: [
      { weekdays: [6], opensAt: '07:30', closesAt: '12:30', ...SUMMER, ordersPerDay: 120 },
      // Indoors in winter: shorter, quieter.
      {
        weekdays: [6],
        opensAt: '09:00',
        closesAt: '13:00',
        seasonFrom: '11-01',
        seasonTo: '04-30',
        ordersPerDay: 55,
      },
    ],
  },
  {
    id: 'LDEMOMAPLEWOOD',
    name: 'Maplewood Sunday Market',
    timezone: CHICAGO,
    latitude: 41.9236,
    longitude: -87.6906,
    selling: [
      {
        weekdays: [0],
        opensAt: '09:00',
        closesAt: '14:00',
        seasonFrom: '04-01',
        seasonTo: '11-30',
        ordersPerDay: 70,
      },
    ],
  },
  {
    id: 'LDEMOLAKEVIEW',
    name: 'Lakeview Wednesday Evening Market',
    timezone: CHICAGO,
    latitude: 41.9417,
    longitude: -87.6637,
    selling: [{ weekdays: [3], opensAt: '15:00', closesAt: '19:00', ...SUMMER, ordersPerDay: 40 }],
  },
  {
    id: 'LDEMOKITCHEN',
    name: 'Prairie Hearth Kitchen (pickup)',
    timezone: CHICAGO,
    latitude: 41.9,
    longitude: -87.7,
    selling: [{ weekdays: [4, 5], opensAt: '11:00', closesAt: '17:00', ordersPerDay: 12 }],
  },
];

const BREAD = [1.1, 1.08, 1.04, 1, 0.96, 0.92, 0.9, 0.9, 0.96, 1.04, 1.1, 1.14] as const;
const PASTRY = [1, 1, 1, 1, 1, 0.97, 0.95, 0.95, 1, 1.02, 1.05, 1.1] as const;
const month = (levels: readonly number[], scale: number) => levels.map((l) => l * scale);

/**
 * The demo stall's catalog: most items named like the demo business's products ("Regular"
 * variations suggest the item name), a tote bag nobody plans for, and one item with no product
 * yet. Produce and flowers sell only in their months.
 */
export const DEMO_SQUARE_VARIATIONS: readonly FakeSquareVariation[] = (
  [
    ['Country Sourdough', 'Regular', 900, month(BREAD, 4)],
    ['Seeded Rye', 'Regular', 950, month(BREAD, 1.4)],
    ['Baguette', 'Regular', 450, month(BREAD, 3)],
    ['Rosemary Focaccia', 'Regular', 700, month(BREAD, 1.8)],
    ['Butter Croissant', 'Regular', 425, month(PASTRY, 4.5)],
    ['Cinnamon Roll', 'Regular', 500, month(PASTRY, 2.6)],
    ['Blueberry Scone', 'Regular', 400, month(PASTRY, 2.2)],
    [
      'Pasture-Raised Eggs',
      'Regular',
      700,
      [1.8, 1.9, 2.2, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.4, 2.1, 1.9],
    ],
    ['Heirloom Tomatoes', 'Regular', 500, [0, 0, 0, 0, 0, 0, 1.5, 3.4, 2.8, 0, 0, 0]],
    ['Strawberries', 'Regular', 700, [0, 0, 0, 0, 0.3, 3, 0.6, 0, 0, 0, 0, 0]],
    ['Apples (2 lb bag)', 'Regular', 600, [1, 0.8, 0.6, 0, 0, 0, 0, 0.6, 2, 2, 1.8, 1.4]],
    ['Strawberry Jam', 'Regular', 900, month([1, 1, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.4, 2], 0.8)],
    ['Sourdough Croutons', 'Bag', 600, month(BREAD, 0.5)],
    ['Market Tote Bag', 'Regular', 1800, month([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.15)],
  ] as const
).map(([itemName, name, priceMinor, monthly], index) => ({
  id: `VDEMO${String(index + 1).padStart(4, '0')}`,
  itemId: `IDEMO${String(index + 1).padStart(4, '0')}`,
  itemName,
  name,
  priceMinor,
  monthly,
}));

const money = (amount: number): Money => ({ amount, currency: 'USD' });

/** Minutes since midnight of a local 'HH:MM'. */
const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1_000) * 1_000;
}

/** The UTC instant of a local date (a UTC day number's midnight) plus `minutes`, in `timeZone`. */
function localInstant(dayMs: number, minutes: number, timeZone: string): number {
  const wall = dayMs + minutes * 60_000;
  const first = wall - zoneOffsetMs(wall, timeZone);
  // Once more at the guessed instant: right on both sides of a DST change.
  return wall - zoneOffsetMs(first, timeZone);
}

/** Whether 'MM-DD' `monthDay` lies in [from, to] (wrapping over New Year when from > to). */
function inSeason(monthDay: string, from = '01-01', to = '12-31'): boolean {
  return from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to;
}

/** Whole weeks since the season (starting 'MM-DD' `from`) began, as of `dayMs`. */
function weeksIntoSeason(dayMs: number, from: string): number {
  const year = new Date(dayMs).getUTCFullYear();
  const [m, d] = from.split('-').map(Number);
  let start = Date.UTC(year, (m ?? 1) - 1, d ?? 1);
  if (start > dayMs) start = Date.UTC(year - 1, (m ?? 1) - 1, d ?? 1);
  return Math.floor((dayMs - start) / (7 * 86_400_000));
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function squareError(status: number, category: string, code: string, detail: string): FakeResponse {
  return { status, body: { errors: [{ category, code, detail }] } };
}

const unauthorized = (detail = 'This request could not be authorized.'): FakeResponse =>
  squareError(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', detail);
const badRequest = (code: string, detail: string): FakeResponse =>
  squareError(400, 'INVALID_REQUEST_ERROR', code, detail);

/**
 * A local fake of Square: OAuth (authorize redirect, token, refresh, revoke), ListLocations,
 * ListCatalog (ITEM, ITEM_VARIATION), SearchOrders (closed_at filter, CLOSED_AT sort, cursor pages,
 * at most 10 locations), deterministic order history with returns and cancellations, and a webhook
 * sender. Failure modes come from {@link FakeHttpServer}.
 */
export class SquareFake extends FakeHttpServer {
  readonly applicationId: string;
  readonly applicationSecret: string;
  readonly merchantId: string;
  readonly locations: FakeSquareLocation[];
  readonly variations: FakeSquareVariation[];
  /** Every order, sorted by closed_at then id. */
  readonly orders: FakeSquareOrder[] = [];
  /** Access tokens issued and not revoked. */
  readonly activeAccessTokens = new Set<string>();
  /** Every access token ever issued (for "appears nowhere in clear" checks). */
  readonly issuedAccessTokens: string[] = [];
  readonly issuedRefreshTokens: string[] = [];
  /** Access tokens revoked through /oauth2/revoke. */
  readonly revokedAccessTokens: string[] = [];
  private readonly codes = new Map<string, { scopes: string[] }>();
  private readonly refreshTokens = new Set<string>();
  private readonly redirectUri: string | undefined;
  private readonly catalogPageSize: number;
  private readonly now: () => Date;
  private sequence = 0;
  private readonly merchantPerAuthorization: boolean;
  private readonly searchLatencyMs: number;
  private merchantsGranted = 0;
  /** The merchant each live access and refresh token belongs to. */
  private readonly tokenMerchants = new Map<string, string>();

  constructor(options: SquareFakeOptions = {}) {
    const routes: { to?: (request: FakeHandlerRequest) => FakeResponse } = {};
    super(
      'square',
      (request) => routes.to!(request),
      (status) =>
        status === 429
          ? squareError(429, 'RATE_LIMIT_ERROR', 'RATE_LIMITED', 'Too many requests.')
          : squareError(
              status,
              'API_ERROR',
              'INTERNAL_SERVER_ERROR',
              'An internal error occurred.',
            ),
    );
    routes.to = (request) => this.route(request);
    this.applicationId = options.applicationId ?? FAKE_SQUARE_APPLICATION_ID;
    this.applicationSecret = options.applicationSecret ?? FAKE_SQUARE_APPLICATION_SECRET;
    this.merchantId = options.merchantId ?? FAKE_SQUARE_MERCHANT_ID;
    this.locations = options.locations ?? DEFAULT_LOCATIONS;
    this.variations = options.variations ?? DEFAULT_VARIATIONS;
    this.redirectUri = options.redirectUri;
    this.catalogPageSize = options.catalogPageSize ?? 100;
    this.now = options.now ?? (() => new Date());
    this.merchantPerAuthorization = options.merchantPerAuthorization ?? false;
    this.searchLatencyMs = options.searchLatencyMs ?? 0;
    if (options.orders) this.generateOrders(options.orders);
    if (options.season) this.generateSeason(options.season);
  }

  // --- data ----------------------------------------------------------------------------------

  private generateOrders(spec: NonNullable<SquareFakeOptions['orders']>): void {
    const random = mulberry32(spec.seed ?? 42);
    const from = Date.parse(`${spec.from}T00:00:00Z`);
    const days = Math.max(
      1,
      Math.round((Date.parse(`${spec.to}T00:00:00Z`) - from) / 86_400_000) + 1,
    );
    const refundEvery = spec.refundEvery ?? 25;
    const cancelEvery = spec.cancelEvery ?? 60;
    for (let index = 0; index < spec.count; index += 1) {
      const day = Math.floor((index * days) / spec.count);
      // 14:00-19:59 UTC: morning to early afternoon at US markets.
      const closedAt = from + day * 86_400_000 + (14 * 60 + Math.floor(random() * 360)) * 60_000;
      const location = this.locations[Math.floor(random() * this.locations.length)]!;
      const lineCount = 1 + Math.floor(random() * 3);
      const lines = Array.from({ length: lineCount }, () => ({
        variation: this.variations[Math.floor(random() * this.variations.length)]!,
        quantity: 1 + Math.floor(random() * 4),
      }));
      const state = index % cancelEvery === cancelEvery - 1 ? 'CANCELED' : 'COMPLETED';
      const order = this.buildOrder({
        id: `ORDFAKE${String(index).padStart(8, '0')}`,
        location,
        closedAt: new Date(closedAt),
        lines,
        state,
      });
      this.orders.push(order);
      if (state === 'COMPLETED' && index % refundEvery === refundEvery - 1) {
        this.pushReturn(order, 0, 1, new Date(closedAt + 2 * 3_600_000), `RETFAKE${index}`);
      }
    }
    this.sortOrders();
  }

  private generateSeason(spec: NonNullable<SquareFakeOptions['season']>): void {
    const random = mulberry32(spec.seed ?? 42);
    const today = Date.parse(`${spec.today}T00:00:00Z`);
    if (Number.isNaN(today)) throw new Error(`season.today ${spec.today} is not YYYY-MM-DD`);
    const days = spec.days ?? 365;
    const refundEvery = spec.refundEvery ?? 40;
    const cancelEvery = spec.cancelEvery ?? 80;
    // Triangular in [0, 1] with its peak at 0.3: a queue soon after opening, thinning out.
    const intoOpening = () => {
      const u = random();
      return u < 0.3 ? Math.sqrt(u * 0.3) : 1 - Math.sqrt((1 - u) * 0.7);
    };
    let index = 0;
    for (let day = today - days * 86_400_000; day < today; day += 86_400_000) {
      const date = new Date(day);
      const monthDay = date.toISOString().slice(5, 10);
      const monthIndex = date.getUTCMonth();
      const offered = this.variations
        .map((variation) => ({ variation, weight: variation.monthly?.[monthIndex] ?? 1 }))
        .filter((v) => v.weight > 0);
      const totalWeight = offered.reduce((sum, v) => sum + v.weight, 0);
      const pick = () => {
        let r = random() * totalWeight;
        for (const v of offered) {
          r -= v.weight;
          if (r <= 0) return v.variation;
        }
        return offered[offered.length - 1]!.variation;
      };
      for (const location of this.locations) {
        for (const pattern of location.selling ?? []) {
          if (!pattern.weekdays.includes(date.getUTCDay())) continue;
          if (!inSeason(monthDay, pattern.seasonFrom, pattern.seasonTo)) continue;
          // The first weeks of a season sell more (people have waited for it), then it settles.
          const opening = pattern.seasonFrom
            ? 1 + 0.5 * Math.exp(-weeksIntoSeason(day, pattern.seasonFrom) / 3)
            : 1;
          const count = Math.round(pattern.ordersPerDay * opening * (0.8 + 0.4 * random()));
          const opensAt = minutesOf(pattern.opensAt);
          const length = minutesOf(pattern.closesAt) - opensAt;
          for (let k = 0; k < count && offered.length > 0; k += 1) {
            const minutes = opensAt + intoOpening() * length;
            const closedAt = localInstant(day, minutes, location.timezone);
            const lineCount = 1 + Math.floor(random() * random() * 3.5);
            const lines = new Map<string, { variation: FakeSquareVariation; quantity: number }>();
            for (let l = 0; l < lineCount; l += 1) {
              const variation = pick();
              const quantity = 1 + Math.floor(random() * random() * 3);
              const line = lines.get(variation.id);
              if (line) line.quantity += quantity;
              else lines.set(variation.id, { variation, quantity });
            }
            const state = index % cancelEvery === cancelEvery - 1 ? 'CANCELED' : 'COMPLETED';
            const order = this.buildOrder({
              id: `ORDSEASON${String(index).padStart(7, '0')}`,
              location,
              closedAt: new Date(Math.round(closedAt / 1_000) * 1_000),
              lines: [...lines.values()],
              state,
            });
            this.orders.push(order);
            if (state === 'COMPLETED' && index % refundEvery === refundEvery - 1) {
              this.pushReturn(
                order,
                0,
                1,
                new Date(Date.parse(order.closed_at) + 45 * 60_000),
                `RETSEASON${index}`,
              );
            }
            index += 1;
          }
        }
      }
    }
    this.sortOrders();
  }

  private buildOrder(input: {
    id: string;
    location: FakeSquareLocation;
    closedAt: Date;
    lines: { variation: FakeSquareVariation; quantity: number }[];
    state: 'COMPLETED' | 'CANCELED';
  }): FakeSquareOrder {
    const at = input.closedAt.toISOString();
    const created = new Date(input.closedAt.getTime() - 60_000).toISOString();
    const lineItems: OrderLine[] = input.lines.map(({ variation, quantity }, k) => {
      const gross = variation.priceMinor * quantity;
      return {
        uid: `${input.id}-L${k}`,
        name: variation.itemName,
        variation_name: variation.name,
        quantity: String(quantity),
        catalog_object_id: variation.id,
        catalog_version: 1,
        item_type: 'ITEM',
        base_price_money: money(variation.priceMinor),
        variation_total_price_money: money(gross),
        gross_sales_money: money(gross),
        total_tax_money: money(0),
        total_discount_money: money(0),
        total_money: money(gross),
      };
    });
    const total = lineItems.reduce((sum, line) => sum + line.total_money.amount, 0);
    return {
      id: input.id,
      location_id: input.location.id,
      state: input.state,
      created_at: created,
      updated_at: at,
      closed_at: at,
      version: input.state === 'CANCELED' ? 3 : 4,
      source: { name: 'Square Point of Sale' },
      line_items: lineItems,
      total_money: money(total),
      total_tax_money: money(0),
      total_discount_money: money(0),
      total_tip_money: money(0),
      total_service_charge_money: money(0),
    };
  }

  private pushReturn(
    original: FakeSquareOrder,
    lineIndex: number,
    quantity: number,
    closedAt: Date,
    id: string,
  ): FakeSquareOrder {
    const line = original.line_items?.[lineIndex];
    if (!line) throw new Error(`order ${original.id} has no line ${lineIndex}`);
    const amount = line.base_price_money.amount * quantity;
    const at = closedAt.toISOString();
    const returnOrder: FakeSquareOrder = {
      id,
      location_id: original.location_id,
      state: 'COMPLETED',
      created_at: at,
      updated_at: at,
      closed_at: at,
      version: 1,
      source: { name: 'Square Point of Sale' },
      returns: [
        {
          uid: `${id}-R0`,
          source_order_id: original.id,
          return_line_items: [
            {
              uid: `${id}-R0-L0`,
              source_line_item_uid: line.uid,
              name: line.name,
              quantity: String(quantity),
              catalog_object_id: line.catalog_object_id,
              item_type: 'ITEM',
              base_price_money: money(line.base_price_money.amount),
              gross_return_money: money(amount),
              total_tax_money: money(0),
              total_discount_money: money(0),
              total_money: money(amount),
            },
          ],
        },
      ],
      total_money: money(0),
      total_tax_money: money(0),
      total_discount_money: money(0),
      total_tip_money: money(0),
      total_service_charge_money: money(0),
    };
    original.refunds = [
      ...(original.refunds ?? []),
      {
        id: `${id}-RF`,
        location_id: original.location_id,
        transaction_id: original.id,
        tender_id: `${original.id}-T0`,
        created_at: at,
        reason: 'Returned goods',
        amount_money: money(amount),
        status: 'APPROVED',
      },
    ];
    original.updated_at = at;
    original.version += 1;
    this.orders.push(returnOrder);
    return returnOrder;
  }

  private sortOrders(): void {
    this.orders.sort((a, b) =>
      a.closed_at === b.closed_at ? a.id.localeCompare(b.id) : a.closed_at < b.closed_at ? -1 : 1,
    );
  }

  /** Adds a sale (for incremental sync and webhook tests). */
  addOrder(input: {
    locationId: string;
    closedAt: Date;
    lines: { variationId: string; quantity: number }[];
    state?: 'COMPLETED' | 'CANCELED';
  }): FakeSquareOrder {
    const location = this.locations.find((l) => l.id === input.locationId);
    if (!location) throw new Error(`unknown location ${input.locationId}`);
    this.sequence += 1;
    const order = this.buildOrder({
      id: `ORDNEW${String(this.sequence).padStart(6, '0')}`,
      location,
      closedAt: input.closedAt,
      state: input.state ?? 'COMPLETED',
      lines: input.lines.map((line) => {
        const variation = this.variations.find((v) => v.id === line.variationId);
        if (!variation) throw new Error(`unknown variation ${line.variationId}`);
        return { variation, quantity: line.quantity };
      }),
    });
    this.orders.push(order);
    this.sortOrders();
    return order;
  }

  /** Refunds `quantity` units of one line through a later return order (as Square models it). */
  refundLine(
    orderId: string,
    lineIndex: number,
    quantity: number,
    closedAt: Date,
  ): FakeSquareOrder {
    const original = this.orders.find((o) => o.id === orderId);
    if (!original) throw new Error(`unknown order ${orderId}`);
    this.sequence += 1;
    const order = this.pushReturn(
      original,
      lineIndex,
      quantity,
      closedAt,
      `RETNEW${this.sequence}`,
    );
    this.sortOrders();
    return order;
  }

  /**
   * Net units per `${locationId}|${variationId}|${localDate}` (the location's zone): completed
   * sale lines minus returned units on the original sale's date; canceled orders count nothing.
   */
  totals(): FakeSquareTotals {
    const formatters = new Map(
      this.locations.map((l) => [
        l.id,
        new Intl.DateTimeFormat('en-CA', {
          timeZone: l.timezone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        }),
      ]),
    );
    const lineKey = new Map<string, string>();
    const totals: FakeSquareTotals = new Map();
    const add = (key: string, quantity: number) =>
      totals.set(key, (totals.get(key) ?? 0) + quantity);
    for (const order of this.orders) {
      const date = formatters.get(order.location_id)!.format(new Date(order.closed_at));
      for (const line of order.line_items ?? []) {
        const key = `${order.location_id}|${line.catalog_object_id}|${date}`;
        lineKey.set(line.uid, key);
        if (order.state === 'COMPLETED') add(key, Number(line.quantity));
      }
    }
    for (const order of this.orders) {
      for (const ret of order.returns ?? []) {
        for (const line of ret.return_line_items) {
          const key = lineKey.get(line.source_line_item_uid);
          if (key) add(key, -Number(line.quantity));
        }
      }
    }
    return totals;
  }

  /** Orders Square would return for these locations since `from` (for counting in tests). */
  countOrders(locationIds: string[], from = ''): number {
    const wanted = new Set(locationIds);
    return this.orders.filter((o) => wanted.has(o.location_id) && o.closed_at >= from).length;
  }

  // --- webhooks ------------------------------------------------------------------------------

  /** Builds a signed `payment.updated` or `order.updated` notification about one order. */
  buildWebhook(options: {
    signatureKey: string;
    notificationUrl: string;
    type: 'payment.updated' | 'payment.created' | 'order.updated';
    orderId?: string;
    eventId?: string;
  }): FakeSquareWebhook {
    const order =
      this.orders.find((o) => o.id === options.orderId) ?? this.orders[this.orders.length - 1];
    const eventId = options.eventId ?? randomUUID();
    const at = this.now().toISOString();
    const data = options.type.startsWith('payment.')
      ? {
          type: 'payment',
          id: `PAY${order?.id ?? 'NONE'}`,
          object: {
            payment: {
              id: `PAY${order?.id ?? 'NONE'}`,
              order_id: order?.id,
              location_id: order?.location_id,
              status: 'COMPLETED',
              amount_money: order?.total_money ?? money(0),
              created_at: order?.created_at ?? at,
              updated_at: at,
            },
          },
        }
      : {
          type: 'order_updated',
          id: order?.id ?? 'NONE',
          object: {
            order_updated: {
              order_id: order?.id,
              location_id: order?.location_id,
              state: order?.state ?? 'COMPLETED',
              version: order?.version ?? 1,
              created_at: order?.created_at ?? at,
              updated_at: at,
            },
          },
        };
    const rawBody = JSON.stringify({
      merchant_id: this.merchantId,
      type: options.type,
      event_id: eventId,
      created_at: at,
      data,
    });
    const signature = signSquareWebhook({
      signatureKey: options.signatureKey,
      notificationUrl: options.notificationUrl,
      rawBody,
    });
    return {
      eventId,
      rawBody,
      signature,
      headers: { 'content-type': 'application/json', [SQUARE_SIGNATURE_HEADER]: signature },
    };
  }

  /** POSTs a signed notification to `url` (as Square does), returning the receiver's status. */
  async sendWebhook(
    url: string,
    options: Parameters<SquareFake['buildWebhook']>[0],
  ): Promise<{ status: number; eventId: string }> {
    const webhook = this.buildWebhook(options);
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...webhook.headers, 'user-agent': 'Square Connect v2' },
      body: webhook.rawBody,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return { status: response.status, eventId: webhook.eventId };
  }

  // --- routes --------------------------------------------------------------------------------

  private route(request: FakeHandlerRequest): FakeResponse {
    const { url } = request;
    const method = request.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    switch (key) {
      case 'GET /oauth2/authorize':
        return this.authorize(url);
      case 'POST /oauth2/token':
        return this.token(request);
      case 'POST /oauth2/revoke':
        return this.revoke(request);
      case 'GET /v2/locations':
        return this.authorized(request) ?? this.listLocations();
      case 'GET /v2/catalog/list':
        return this.authorized(request) ?? this.listCatalog(url);
      case 'POST /v2/orders/search':
        return this.authorized(request) ?? this.searchOrders(request);
      default:
        return squareError(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `No route ${key}.`);
    }
  }

  private authorized(request: FakeHandlerRequest): FakeResponse | null {
    const header = request.headers?.authorization;
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
    if (!match?.[1] || !this.activeAccessTokens.has(match[1])) {
      return unauthorized('The access token is missing, unknown or revoked.');
    }
    return null;
  }

  private authorize(url: URL): FakeResponse {
    if (url.searchParams.get('client_id') !== this.applicationId) {
      return badRequest('INVALID_VALUE', 'Unknown client_id.');
    }
    const redirect = url.searchParams.get('redirect_uri') ?? this.redirectUri;
    if (!redirect) return badRequest('MISSING_REQUIRED_PARAMETER', 'No redirect URL registered.');
    const code = `sq0cgp-${randomBytes(16).toString('hex')}`;
    this.codes.set(code, { scopes: (url.searchParams.get('scope') ?? '').split(/[ +]/) });
    const target = new URL(redirect);
    target.searchParams.set('code', code);
    target.searchParams.set('response_type', 'code');
    const state = url.searchParams.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, body: {}, headers: { location: target.toString() } };
  }

  private readJson(request: FakeHandlerRequest): Record<string, unknown> | null {
    try {
      const value = JSON.parse(request.body ?? '') as unknown;
      return value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  }

  private issueTokens(refreshToken?: string): FakeResponse {
    const accessToken = `EAAAfake${randomBytes(24).toString('base64url')}`;
    const refresh = refreshToken ?? `EQAAfake${randomBytes(24).toString('base64url')}`;
    let merchantId = refreshToken ? this.tokenMerchants.get(refreshToken) : undefined;
    if (!merchantId) {
      this.merchantsGranted += 1;
      merchantId =
        this.merchantPerAuthorization && this.merchantsGranted > 1
          ? `${this.merchantId.replace(/\d+$/, '')}${String(this.merchantsGranted).padStart(2, '0')}`
          : this.merchantId;
    }
    this.tokenMerchants.set(accessToken, merchantId);
    this.tokenMerchants.set(refresh, merchantId);
    this.activeAccessTokens.add(accessToken);
    this.issuedAccessTokens.push(accessToken);
    if (!refreshToken) this.issuedRefreshTokens.push(refresh);
    this.refreshTokens.add(refresh);
    const now = this.now().getTime();
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'bearer',
        expires_at: new Date(now + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        merchant_id: merchantId,
        refresh_token: refresh,
        short_lived: false,
        refresh_token_expires_at: new Date(now + 90 * 86_400_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  }

  private token(request: FakeHandlerRequest): FakeResponse {
    const body = this.readJson(request);
    if (!body) return badRequest('EXPECTED_JSON_BODY', 'Body must be JSON.');
    if (body.client_id !== this.applicationId || body.client_secret !== this.applicationSecret) {
      return unauthorized('Invalid client credentials.');
    }
    if (body.grant_type === 'authorization_code') {
      const code = typeof body.code === 'string' ? body.code : '';
      if (!this.codes.delete(code)) return unauthorized('Authorization code is invalid or used.');
      return this.issueTokens();
    }
    if (body.grant_type === 'refresh_token') {
      const refresh = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      if (!this.refreshTokens.has(refresh)) return unauthorized('Refresh token is invalid.');
      return this.issueTokens(refresh);
    }
    return badRequest('INVALID_VALUE', 'grant_type must be authorization_code or refresh_token.');
  }

  private revoke(request: FakeHandlerRequest): FakeResponse {
    if (request.headers?.authorization !== `Client ${this.applicationSecret}`) {
      return unauthorized('Revoke needs "Authorization: Client <application secret>".');
    }
    const body = this.readJson(request);
    if (!body || body.client_id !== this.applicationId) {
      return badRequest('INVALID_VALUE', 'Unknown client_id.');
    }
    const token = typeof body.access_token === 'string' ? body.access_token : '';
    if (!this.activeAccessTokens.has(token)) return unauthorized('Access token is not active.');
    // Revoking one token revokes every token of the merchant for this application.
    const merchantId = this.tokenMerchants.get(token);
    const ofMerchant = (t: string) => this.tokenMerchants.get(t) === merchantId;
    for (const active of [...this.activeAccessTokens].filter(ofMerchant)) {
      this.revokedAccessTokens.push(active);
      this.activeAccessTokens.delete(active);
    }
    for (const refresh of [...this.refreshTokens].filter(ofMerchant)) {
      this.refreshTokens.delete(refresh);
    }
    return { status: 200, body: { success: true } };
  }

  private listLocations(): FakeResponse {
    return {
      status: 200,
      body: {
        locations: this.locations.map((l) => ({
          id: l.id,
          name: l.name,
          address: { address_line_1: '1 Market St', locality: 'New York', country: 'US' },
          timezone: l.timezone,
          capabilities: ['CREDIT_CARD_PROCESSING'],
          status: 'ACTIVE',
          created_at: '2023-03-01T12:00:00Z',
          merchant_id: this.merchantId,
          country: 'US',
          language_code: 'en-US',
          currency: 'USD',
          business_name: 'Fake Bakery',
          type: 'PHYSICAL',
          coordinates: { latitude: l.latitude, longitude: l.longitude },
        })),
      },
    };
  }

  private catalogObjects(): Record<string, unknown>[] {
    const variationJson = (v: FakeSquareVariation) => ({
      type: 'ITEM_VARIATION',
      id: v.id,
      updated_at: '2024-01-01T00:00:00Z',
      version: 1,
      is_deleted: false,
      present_at_all_locations: true,
      item_variation_data: {
        item_id: v.itemId,
        name: v.name,
        pricing_type: 'FIXED_PRICING',
        price_money: money(v.priceMinor),
        sellable: true,
        stockable: true,
      },
    });
    const itemIds = [...new Set(this.variations.map((v) => v.itemId))];
    const items = itemIds.map((itemId) => {
      const variations = this.variations.filter((v) => v.itemId === itemId);
      return {
        type: 'ITEM',
        id: itemId,
        updated_at: '2024-01-01T00:00:00Z',
        version: 1,
        is_deleted: false,
        present_at_all_locations: true,
        item_data: {
          name: variations[0]!.itemName,
          variations: variations.map(variationJson),
          product_type: 'REGULAR',
        },
      };
    });
    return [...items, ...this.variations.map(variationJson)];
  }

  private listCatalog(url: URL): FakeResponse {
    const types = (url.searchParams.get('types') ?? 'ITEM,ITEM_VARIATION').split(',');
    const objects = this.catalogObjects().filter((o) => types.includes(String(o.type)));
    const offset = Number(url.searchParams.get('cursor') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) return badRequest('INVALID_CURSOR', 'Bad cursor.');
    const page = objects.slice(offset, offset + this.catalogPageSize);
    const next = offset + this.catalogPageSize;
    return {
      status: 200,
      body: { objects: page, ...(next < objects.length ? { cursor: String(next) } : {}) },
    };
  }

  private searchOrders(request: FakeHandlerRequest): FakeResponse {
    const body = this.readJson(request);
    if (!body) return badRequest('EXPECTED_JSON_BODY', 'Body must be JSON.');
    const locationIds = body.location_ids;
    if (
      !Array.isArray(locationIds) ||
      locationIds.length < 1 ||
      locationIds.length > 10 ||
      !locationIds.every((id) => typeof id === 'string')
    ) {
      return badRequest('ARRAY_LENGTH_TOO_LONG', 'location_ids must hold 1 to 10 location ids.');
    }
    const limit = body.limit === undefined ? 500 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return badRequest('INVALID_VALUE', 'limit must be 1..1000.');
    }
    const query = (body.query ?? {}) as {
      filter?: {
        state_filter?: { states?: string[] };
        date_time_filter?: { closed_at?: { start_at?: string; end_at?: string } };
      };
      sort?: { sort_field?: string; sort_order?: string };
    };
    const closed = query.filter?.date_time_filter?.closed_at;
    const sortField = query.sort?.sort_field ?? 'CREATED_AT';
    if (closed && sortField !== 'CLOSED_AT') {
      // Square: a closed_at filter needs the CLOSED_AT sort.
      return badRequest('INVALID_SORT_ORDER', 'A closed_at filter requires sort_field CLOSED_AT.');
    }
    const states = new Set(query.filter?.state_filter?.states ?? ['OPEN', 'COMPLETED', 'CANCELED']);
    const startAt = closed?.start_at ? Date.parse(closed.start_at) : -Infinity;
    const endAt = closed?.end_at ? Date.parse(closed.end_at) : Infinity;
    if (Number.isNaN(startAt) || Number.isNaN(endAt)) {
      return badRequest('INVALID_TIME', 'closed_at bounds must be RFC 3339 timestamps.');
    }
    const wanted = new Set(locationIds);
    let matches = this.orders.filter((o) => {
      if (!wanted.has(o.location_id) || !states.has(o.state)) return false;
      const at = Date.parse(o.closed_at);
      return at >= startAt && at < endAt;
    });
    if (query.sort?.sort_order === 'DESC') matches = matches.reverse();
    const fingerprint = JSON.stringify([locationIds, query]);
    let offset = 0;
    if (typeof body.cursor === 'string' && body.cursor !== '') {
      try {
        const decoded = JSON.parse(Buffer.from(body.cursor, 'base64url').toString('utf8')) as {
          o: number;
          q: string;
        };
        if (decoded.q !== fingerprint || !Number.isInteger(decoded.o)) throw new Error('mismatch');
        offset = decoded.o;
      } catch {
        return badRequest('INVALID_CURSOR', 'The cursor does not belong to this query.');
      }
    }
    const page = matches.slice(offset, offset + limit);
    const next = offset + limit;
    const cursor =
      next < matches.length
        ? Buffer.from(JSON.stringify({ o: next, q: fingerprint })).toString('base64url')
        : undefined;
    return {
      status: 200,
      body: { ...(page.length > 0 ? { orders: page } : {}), ...(cursor ? { cursor } : {}) },
      ...(this.searchLatencyMs > 0 ? { delayMs: this.searchLatencyMs } : {}),
    };
  }
}

/** Creates (does not start) a Square fake. */
export function createSquareFake(options: SquareFakeOptions = {}): SquareFake {
  return new SquareFake(options);
}
