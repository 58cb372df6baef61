/**
 * Demo data for the demo vendor: a bakery-and-produce stall selling at three Chicago-area markets.
 *
 * Pure and deterministic: no I/O, no clock, no environment, no dependence on the process time zone.
 * The same `seed` and `today` always give the same data. Calendar dates are `YYYY-MM-DD` strings
 * handled as UTC day numbers; market opening times are converted from the market's local time to
 * UTC instants with `Intl.DateTimeFormat`, so daylight-saving changes are honoured.
 *
 * Demand is built from the things the prep list explains to a vendor (market size, season,
 * holidays, weather, local events, a slow upward trend) times Poisson-gamma noise. What was brought
 * follows a simple vendor habit (recent average plus a margin), so some rows sell out (censored
 * demand) and others leave leftovers that are wasted or donated according to shelf life.
 */

/** Options of {@link generateDemoData}. */
export interface DemoDataOptions {
  /** Seed for the PRNG: same seed + same `today` => identical output. */
  seed: number;
  /** Local date 'YYYY-MM-DD' of "today"; history covers the two years before it (exclusive of today). */
  today: string;
  /** Years of history, default 2. */
  years?: number;
}

/** A market the demo vendor sells at, with its weekly schedule. */
export interface DemoMarket {
  /** Stable slug, e.g. 'riverside-saturday'. */
  key: string;
  /** Display name, e.g. 'Riverside Saturday Market'. */
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  /** IANA zone, e.g. 'America/Chicago'. */
  timezone: string;
  /** ISO 3166-1 alpha-2, 'US'. */
  countryCode: string;
  /** Subdivision code as in date-holidays, e.g. 'IL'. */
  regionCode: string;
  /** Booth fee per market day, in cents. */
  boothFeeMinor: number;
  /**
   * Weekly opening: `weekday` 0 = Monday, local 'HH:MM' times, optional season as 'MM-DD' bounds
   * (inclusive; `seasonFrom` after `seasonTo` means the season wraps over New Year).
   */
  schedule: {
    weekday: number;
    opensAt: string;
    closesAt: string;
    seasonFrom?: string;
    seasonTo?: string;
  }[];
}

/** A product of the demo vendor. Money in cents. */
export interface DemoProduct {
  key: string;
  name: string;
  /** What the vendor counts when packing: 'loaf', 'dozen', 'jar'. */
  unit: string;
  /** 'bread', 'pastry', 'produce', 'flowers' or 'preserves'. */
  category: string;
  priceMinor: number;
  unitCostMinor: number;
  /** What a leftover is still worth (day-old sale, kept stock); always below the unit cost. */
  salvageValueMinor: number;
  shelfLifeDays: number;
  /** First date it was sold (a few products are new: introduced within the last ~4 months). */
  introducedOn: string;
}

/** One market day (past or upcoming). Instants are ISO 8601 UTC strings. */
export interface DemoMarketDay {
  marketKey: string;
  /** Local calendar date 'YYYY-MM-DD'. */
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
  /** ISO UTC instant of the local opening time. */
  opensAt: string;
  /** ISO UTC instant of the local closing time. */
  closesAt: string;
  /** Why a day was cancelled. */
  notes?: string;
}

/** Units of one product sold at one market on one past market day, with the pack-up check-in. */
export interface DemoDailySale {
  marketKey: string;
  productKey: string;
  date: string;
  /** Integer units sold (0 allowed when brought but not sold). */
  quantity: number;
  unitPriceMinor: number;
  /** Integer units brought. */
  brought: number;
  /** `brought - quantity`, >= 0. */
  leftOver: number;
  /** Part of `leftOver` thrown away (short shelf life). */
  wasted: number;
  /** Part of `leftOver` given to a food rescue; the rest is kept or sold day-old. */
  donated: number;
  /** ISO UTC instant when quantity === brought and it sold out before closing. */
  soldOutAt?: string;
}

/** Daily weather at a market: observed for past days, forecast-like for upcoming ones. */
export interface DemoWeather {
  marketKey: string;
  date: string;
  tempMaxC: number;
  tempMinC: number;
  precipMm: number;
  /** 0..1 */
  precipProb: number;
  sunshineHours: number;
  windKph: number;
  cloudCoverPct: number;
}

/** A local event near a market on a market day. */
export interface DemoEvent {
  marketKey: string;
  date: string;
  name: string;
  expectedAttendance: number;
}

/** Everything needed to seed the demo vendor. */
export interface DemoData {
  vendor: { name: string; slug: string; timezone: string; currency: 'USD' };
  markets: DemoMarket[];
  products: DemoProduct[];
  /** Past (the history) AND upcoming market days from today through today + 13. */
  marketDays: DemoMarketDay[];
  /** Only for past, non-cancelled market days and products already introduced. */
  dailySales: DemoDailySale[];
  /** One per past market day (observed) and per upcoming market day (forecast-like). */
  weather: DemoWeather[];
  /** Local events on some market days, including one or two upcoming. */
  events: DemoEvent[];
}

// ---------------------------------------------------------------------------------------------
// Calendar: UTC day numbers (days since 1970-01-01)
// ---------------------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;
/** Days shown as upcoming, today included. */
const UPCOMING_DAYS = 14;

function dayNumberOf(year: number, month: number, dayOfMonth: number): number {
  return Math.round(Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY);
}

function parseDate(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const dayNumber = dayNumberOf(year, month, day);
    if (formatDay(dayNumber) === date) return dayNumber;
  }
  throw new RangeError(`not a YYYY-MM-DD calendar date: "${date}"`);
}

function formatDay(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

interface CalendarParts {
  year: number;
  month: number;
  dayOfMonth: number;
  /** Monday = 0 ... Sunday = 6. */
  weekday: number;
}

function partsOf(dayNumber: number): CalendarParts {
  const date = new Date(dayNumber * MS_PER_DAY);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    dayOfMonth: date.getUTCDate(),
    weekday: (date.getUTCDay() + 6) % 7,
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The `n`-th (1-based; -1 = last) given weekday (Monday = 0) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayNumberOf(year, month, 1);
    return first + ((weekday - partsOf(first).weekday + 7) % 7) + (n - 1) * 7;
  }
  const last = dayNumberOf(year, month, daysInMonth(year, month));
  return last - ((partsOf(last).weekday - weekday + 7) % 7);
}

function monthDay(parts: CalendarParts): string {
  return `${String(parts.month).padStart(2, '0')}-${String(parts.dayOfMonth).padStart(2, '0')}`;
}

function inSeason(mmdd: string, from: string | undefined, to: string | undefined): boolean {
  if (from === undefined || to === undefined) return true;
  return from <= to ? mmdd >= from && mmdd <= to : mmdd >= from || mmdd <= to;
}

/**
 * A value from 12 monthly levels (January first) read at mid-month and interpolated linearly in
 * between, so seasons ramp up and down instead of jumping on the 1st.
 */
function monthlyLevel(levels: readonly number[], parts: CalendarParts): number {
  const position =
    parts.month - 1 + (parts.dayOfMonth - 0.5) / daysInMonth(parts.year, parts.month) - 0.5;
  const index = Math.floor(position);
  const fraction = position - index;
  const from = levels[(index + 12) % 12] ?? 0;
  const to = levels[(index + 13) % 12] ?? 0;
  return from + (to - from) * fraction;
}

// ---------------------------------------------------------------------------------------------
// Local time to UTC
// ---------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (Chicago summer: -5 h). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const field: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') field[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    field.year ?? 0,
    (field.month ?? 1) - 1,
    field.day ?? 1,
    field.hour ?? 0,
    field.minute ?? 0,
    field.second ?? 0,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** UTC milliseconds of the local wall-clock time 'HH:MM' on a calendar day in `timeZone`. */
function localTimeToUtcMs(dayNumber: number, time: string, timeZone: string): number {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`not an HH:MM time: "${time}"`);
  const wallClock = dayNumber * MS_PER_DAY + (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  const firstGuess = wallClock - zoneOffsetMs(wallClock, timeZone);
  const offset = zoneOffsetMs(firstGuess, timeZone);
  return wallClock - offset;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  normal(): number;
  gamma(shape: number): number;
  poisson(mean: number): number;
}

/** mulberry32: tiny, fast, good enough for demo data, and identical on every platform. */
function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const normal = (): number => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  // Marsaglia-Tsang, with the usual boost for shape < 1.
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * Math.pow(1 - next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = Math.pow(1 + c * x, 3);
      if (v <= 0) continue;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = next();
    while (product > limit) {
      count += 1;
      product *= next();
    }
    return count;
  };
  return { next, normal, gamma, poisson };
}

// ---------------------------------------------------------------------------------------------
// The vendor, its markets and products
// ---------------------------------------------------------------------------------------------

const VENDOR: DemoData['vendor'] = {
  name: 'Prairie Hearth Bakery & Farm',
  slug: 'prairie-hearth-demo',
  timezone: 'America/Chicago',
  currency: 'USD',
};

interface MarketSpec {
  market: DemoMarket;
  /** Relative foot traffic (the big Saturday market in summer = 1). */
  size: number;
  /** Monthly traffic levels, January first. */
  traffic: readonly number[];
  /** Indoor in winter: cold and snow hurt less. */
  indoorInWinter: boolean;
}

const chicago = {
  timezone: 'America/Chicago',
  countryCode: 'US',
  regionCode: 'IL',
} as const;

const MARKET_SPECS: readonly MarketSpec[] = [
  {
    market: {
      key: 'riverside-saturday',
      name: 'Riverside Saturday Market',
      address: '1200 W Riverside Dr, Chicago, IL 60607',
      latitude: 41.8786,
      longitude: -87.6589,
      ...chicago,
      boothFeeMinor: 8500,
      schedule: [
        { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
        { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
      ],
    },
    size: 1,
    traffic: [0.62, 0.6, 0.66, 0.78, 0.92, 1, 1.04, 1.04, 1, 0.95, 0.86, 0.9],
    indoorInWinter: true,
  },
  {
    market: {
      key: 'lakeview-wednesday',
      name: 'Lakeview Wednesday Evening Market',
      address: '3300 N Southport Ave, Chicago, IL 60657',
      latitude: 41.9417,
      longitude: -87.6637,
      ...chicago,
      boothFeeMinor: 4500,
      schedule: [
        { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: '05-01', seasonTo: '10-31' },
      ],
    },
    size: 0.45,
    traffic: [0.7, 0.7, 0.7, 0.75, 0.8, 0.95, 1, 1, 0.9, 0.75, 0.7, 0.7],
    indoorInWinter: false,
  },
  {
    market: {
      key: 'maplewood-sunday',
      name: 'Maplewood Sunday Market',
      address: '2500 W Maplewood Ave, Chicago, IL 60647',
      latitude: 41.9236,
      longitude: -87.6906,
      ...chicago,
      boothFeeMinor: 6000,
      schedule: [
        { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '11-30' },
      ],
    },
    size: 0.62,
    traffic: [0.7, 0.7, 0.7, 0.72, 0.85, 1, 1, 1, 0.95, 0.9, 0.78, 0.7],
    indoorInWinter: false,
  },
];

type Category = 'bread' | 'pastry' | 'produce' | 'flowers' | 'preserves';

interface ProductSpec {
  key: string;
  name: string;
  unit: string;
  category: Category;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  shelfLifeDays: number;
  /** Mean units on a mid-season day at the big Saturday market. */
  base: number;
  /** Monthly demand levels (January first); 0 = not grown or not offered, so not brought. */
  season: readonly number[];
  /** Gamma shape of the demand noise: lower = more erratic. */
  shape: number;
  /** New products: introduced this many days before today. */
  introducedDaysAgo?: number;
  /** Pies, breads, squash: bought for the Thanksgiving and Christmas tables. */
  holidayStaple?: boolean;
  /** Jams and honey: bought as gifts in December. */
  giftable?: boolean;
}

const YEAR_ROUND = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as const;
const BREAD_SEASON = [1.1, 1.08, 1.04, 1, 0.96, 0.92, 0.9, 0.9, 0.96, 1.04, 1.1, 1.14] as const;
const PASTRY_SEASON = [1.02, 1, 1, 1, 1, 0.97, 0.95, 0.95, 1, 1.02, 1.05, 1.1] as const;

/** Threshold below which a seasonal product is not brought at all. */
const IN_SEASON_LEVEL = 0.12;

/** One product row: money as [price, unit cost, salvage value] in cents. */
function row(
  key: string,
  name: string,
  unit: string,
  category: Category,
  [priceMinor, unitCostMinor, salvageValueMinor]: readonly [number, number, number],
  shelfLifeDays: number,
  base: number,
  shape: number,
  season: readonly number[],
  extra: Pick<ProductSpec, 'introducedDaysAgo' | 'holidayStaple' | 'giftable'> = {},
): ProductSpec {
  return {
    key,
    name,
    unit,
    category,
    priceMinor,
    unitCostMinor,
    salvageValueMinor,
    shelfLifeDays,
    base,
    shape,
    season,
    ...extra,
  };
}

// Columns: key, name, unit, category, [price, cost, salvage], shelf life days, base units, noise
// shape, monthly season levels (Jan..Dec), extras.
// prettier-ignore
const PRODUCT_SPECS: readonly ProductSpec[] = [
  // Breads: day-old loaves still sell at about 30% of the price.
  row('country-sourdough', 'Country Sourdough', 'loaf', 'bread', [900, 320, 270], 3, 42, 18, BREAD_SEASON, { holidayStaple: true }),
  row('seeded-rye', 'Seeded Rye', 'loaf', 'bread', [950, 330, 285], 4, 14, 10, BREAD_SEASON, { holidayStaple: true }),
  row('baguette', 'Baguette', 'each', 'bread', [450, 140, 100], 1, 32, 14, BREAD_SEASON, { holidayStaple: true }),
  row('honey-whole-wheat', 'Honey Whole Wheat', 'loaf', 'bread', [800, 270, 240], 4, 16, 10, BREAD_SEASON),
  row('rosemary-focaccia', 'Rosemary Focaccia', 'slab', 'bread', [700, 220, 150], 2, 18, 10, BREAD_SEASON),
  row('cranberry-walnut-loaf', 'Cranberry Walnut Loaf', 'loaf', 'bread', [1000, 360, 300], 3, 12, 8, BREAD_SEASON, { introducedDaysAgo: 95, holidayStaple: true }),
  // Pastries: next to nothing the day after.
  row('butter-croissant', 'Butter Croissant', 'each', 'pastry', [425, 110, 40], 1, 48, 16, PASTRY_SEASON),
  row('pain-au-chocolat', 'Pain au Chocolat', 'each', 'pastry', [475, 130, 45], 1, 30, 12, PASTRY_SEASON),
  row('cinnamon-roll', 'Cinnamon Roll', 'each', 'pastry', [500, 120, 50], 2, 28, 12, PASTRY_SEASON),
  row('blueberry-scone', 'Blueberry Scone', 'each', 'pastry', [400, 95, 40], 2, 24, 10, PASTRY_SEASON),
  row('morning-glory-muffin', 'Morning Glory Muffin', 'each', 'pastry', [375, 90, 35], 2, 16, 10, PASTRY_SEASON),
  row('chocolate-chip-cookies', 'Chocolate Chip Cookies (6-pack)', 'pack', 'pastry', [700, 180, 150], 5, 14, 8, PASTRY_SEASON),
  row('seasonal-fruit-pie', 'Seasonal Fruit Pie', 'pie', 'pastry', [2800, 900, 500], 3, 6, 6, [0.8, 0.8, 0.85, 0.9, 1, 1.1, 1.15, 1.15, 1.1, 1, 1.1, 1.1], { holidayStaple: true }),
  row('pumpkin-pie', 'Pumpkin Pie', 'pie', 'pastry', [2400, 700, 400], 3, 6, 6, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1, 0.5], { holidayStaple: true }),
  row('cardamom-bun', 'Cardamom Bun', 'each', 'pastry', [475, 120, 45], 1, 22, 10, PASTRY_SEASON, { introducedDaysAgo: 118 }),
  // Produce from the farm: strongly seasonal, not brought out of season.
  row('pasture-eggs', 'Pasture-Raised Eggs', 'dozen', 'produce', [700, 320, 290], 21, 26, 20, [0.7, 0.75, 0.9, 1, 1, 1, 1, 1, 1, 0.95, 0.85, 0.75]),
  row('microgreens', 'Microgreens', 'clamshell', 'produce', [500, 130, 50], 5, 10, 8, [1.1, 1.1, 1.05, 1, 0.95, 0.9, 0.85, 0.85, 0.9, 1, 1.05, 1.1]),
  row('salad-greens', 'Salad Greens', 'bag', 'produce', [600, 150, 30], 4, 22, 10, [0.2, 0.25, 0.45, 0.9, 1, 0.9, 0.5, 0.45, 0.8, 1, 0.8, 0.3]),
  row('heirloom-tomatoes', 'Heirloom Tomatoes', 'lb', 'produce', [500, 150, 50], 5, 34, 10, [0, 0, 0, 0, 0, 0, 0.5, 1, 0.85, 0, 0, 0]),
  row('sweet-corn', 'Sweet Corn (half dozen)', 'bag', 'produce', [500, 150, 30], 2, 26, 10, [0, 0, 0, 0, 0, 0, 0.8, 1, 0.6, 0, 0, 0]),
  row('strawberries', 'Strawberries', 'quart', 'produce', [700, 250, 70], 2, 30, 8, [0, 0, 0, 0, 0.1, 1, 0.2, 0, 0, 0, 0, 0]),
  row('blueberries', 'Blueberries', 'pint', 'produce', [600, 220, 60], 3, 22, 8, [0, 0, 0, 0, 0, 0, 1, 0.7, 0, 0, 0, 0]),
  row('apples', 'Apples (2 lb bag)', 'bag', 'produce', [600, 180, 160], 30, 20, 12, [0.5, 0.4, 0.3, 0, 0, 0, 0, 0.3, 1, 1, 0.9, 0.7]),
  row('butternut-squash', 'Butternut Squash', 'each', 'produce', [400, 100, 90], 60, 14, 10, [0.4, 0.2, 0, 0, 0, 0, 0, 0, 0.6, 1, 1, 0.7], { holidayStaple: true }),
  // Flowers.
  row('summer-bouquet', 'Summer Bouquet', 'bunch', 'flowers', [1500, 450, 0], 4, 14, 8, [0, 0, 0, 0, 0, 0.6, 1, 1, 0.7, 0, 0, 0]),
  row('tulips', 'Tulips (10 stems)', 'bunch', 'flowers', [1200, 400, 0], 5, 12, 8, [0, 0, 0, 0.7, 1, 0, 0, 0, 0, 0, 0, 0]),
  // Preserves keep: a leftover jar is worth nearly its cost.
  row('strawberry-jam', 'Strawberry Jam', 'jar', 'preserves', [900, 300, 280], 365, 8, 6, YEAR_ROUND, { giftable: true }),
  row('wildflower-honey', 'Wildflower Honey', 'jar', 'preserves', [1200, 500, 470], 730, 7, 6, YEAR_ROUND, { giftable: true }),
  row('apple-butter', 'Apple Butter', 'jar', 'preserves', [900, 320, 300], 365, 4, 6, [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.1, 1.2, 1.3, 1.4], { giftable: true }),
  row('hot-honey', 'Hot Honey', 'jar', 'preserves', [1100, 450, 420], 365, 5, 6, YEAR_ROUND, { introducedDaysAgo: 41, giftable: true }),
];

// ---------------------------------------------------------------------------------------------
// Weather: a daily Chicago-like series for the whole metro
// ---------------------------------------------------------------------------------------------

interface DayWeather {
  tempMaxC: number;
  tempMinC: number;
  precipMm: number;
  precipProb: number;
  sunshineHours: number;
  windKph: number;
  cloudCoverPct: number;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
const round2 = (value: number): number => Math.round(value * 100) / 100;
const clamp = (value: number, low: number, high: number): number =>
  Math.min(high, Math.max(low, value));

/** Seasonal angle: 0 at the coldest time of year (about January 20th). */
function seasonalAngle(dayNumber: number): number {
  const parts = partsOf(dayNumber);
  const dayOfYear = dayNumber - dayNumberOf(parts.year, 1, 1) + 1;
  return (2 * Math.PI * (dayOfYear - 20)) / 365.25;
}

/** Hours of daylight at about 42 degrees north. */
function daylightHours(dayNumber: number): number {
  return 12.2 - 3 * Math.cos(seasonalAngle(dayNumber) + (2 * Math.PI * 30) / 365.25);
}

/**
 * Observed weather for every day in [first, last]: temperature anomalies persist for days (AR(1)),
 * wet days cluster (two-state Markov chain), wet days are cloudy and less sunny. Natural extremes
 * are capped below what closes a market; closures are placed explicitly.
 */
function simulateWeather(random: Random, first: number, last: number): Map<number, DayWeather> {
  const series = new Map<number, DayWeather>();
  let anomaly = 0;
  let wet = false;
  for (let day = first; day <= last; day += 1) {
    const angle = seasonalAngle(day);
    anomaly = 0.7 * anomaly + 2.8 * random.normal();
    const climateMax = 14 - 15 * Math.cos(angle);
    const climateMin = 5 - 14 * Math.cos(angle);
    const wetShare = 0.33 + 0.05 * Math.cos(angle - Math.PI * 0.9);
    const persistence = 0.3;
    const wetChance: number = wet
      ? wetShare + persistence * (1 - wetShare)
      : wetShare * (1 - persistence);
    wet = random.next() < wetChance;
    const summerness = (1 - Math.cos(angle)) / 2;
    const meanWetAmount = 4.5 + 5 * summerness;
    const precipMm = wet ? clamp(round1(random.gamma(0.8) * (meanWetAmount / 0.8)), 0.3, 38) : 0;
    const cloudCoverPct = wet
      ? Math.round(clamp(75 + 20 * random.next() + precipMm, 60, 100))
      : Math.round(clamp(10 + 55 * random.next() + 15 * random.normal(), 0, 85));
    const tempMaxC = round1(climateMax + anomaly - (wet ? 1.5 : 0) + 1.2 * random.normal());
    const tempMinC = round1(
      Math.min(tempMaxC - 2, climateMin + 0.8 * anomaly + 1.5 * random.normal()),
    );
    const sunshineHours = round1(
      clamp(daylightHours(day) * (1 - cloudCoverPct / 100) * 0.95, 0, daylightHours(day)),
    );
    const windKph = round1(
      clamp(12 + 6 * (1 - summerness) + (wet ? 5 : 0) + 3 * random.gamma(1.5), 3, 45),
    );
    // Observed rows carry the probability a good day-before forecast would have given.
    const precipProb = wet
      ? round2(clamp(0.45 + 0.02 * precipMm + 0.35 * random.next(), 0, 1))
      : round2(0.03 + 0.3 * random.next() ** 2);
    series.set(day, {
      tempMaxC,
      tempMinC,
      precipMm,
      precipProb,
      sunshineHours,
      windKph,
      cloudCoverPct,
    });
  }
  return series;
}

/** What a forecast issued today would say about `actual`, `lead` days ahead. */
function forecastFrom(random: Random, actual: DayWeather, lead: number): DayWeather {
  const spread = 0.8 + 0.35 * lead;
  const wet = actual.precipMm > 0;
  const sharpness = clamp(1 - lead / 12, 0.2, 1);
  const precipProb = round2(
    clamp(0.35 + sharpness * ((wet ? 0.45 : -0.25) + 0.15 * random.normal()), 0.02, 0.97),
  );
  const tempMaxC = round1(actual.tempMaxC + spread * random.normal());
  return {
    tempMaxC,
    tempMinC: round1(Math.min(tempMaxC - 2, actual.tempMinC + spread * random.normal())),
    precipMm: round1(precipProb * Math.max(actual.precipMm, 4)),
    precipProb,
    sunshineHours: actual.sunshineHours,
    windKph: round1(clamp(actual.windKph + spread * 1.5 * random.normal(), 3, 45)),
    cloudCoverPct: actual.cloudCoverPct,
  };
}

// ---------------------------------------------------------------------------------------------
// Events, holidays and closures
// ---------------------------------------------------------------------------------------------

interface AnnualEvent {
  marketKey: string;
  name: string;
  expectedAttendance: number;
  /** Day number of the event in `year`. */
  on: (year: number) => number;
}

const ANNUAL_EVENTS: readonly AnnualEvent[] = [
  {
    marketKey: 'riverside-saturday',
    name: 'Riverside Harvest Festival',
    expectedAttendance: 9000,
    on: (year) => nthWeekday(year, 10, 5, 1),
  },
  {
    marketKey: 'riverside-saturday',
    name: 'Holiday Makers Stroll',
    expectedAttendance: 6000,
    on: (year) => nthWeekday(year, 12, 5, 1),
  },
  {
    marketKey: 'maplewood-sunday',
    name: 'Maplewood Chalk Art Festival',
    expectedAttendance: 4000,
    on: (year) => nthWeekday(year, 6, 6, 2),
  },
  {
    marketKey: 'maplewood-sunday',
    name: 'Lakefront Marathon',
    expectedAttendance: 40000,
    on: (year) => nthWeekday(year, 10, 6, 2),
  },
  {
    marketKey: 'lakeview-wednesday',
    name: 'Concerts in the Park',
    expectedAttendance: 3000,
    on: (year) => nthWeekday(year, 7, 2, -1),
  },
  {
    marketKey: 'lakeview-wednesday',
    name: 'Southport Jazz on the Lawn',
    expectedAttendance: 2500,
    on: (year) => nthWeekday(year, 8, 2, 3),
  },
];

/** Names for the upcoming events added so every demo has something nearby in the next days. */
const UPCOMING_EVENT_NAMES: readonly { name: string; expectedAttendance: number }[] = [
  { name: 'Neighborhood Art Walk', expectedAttendance: 3500 },
  { name: 'Food Truck Rally', expectedAttendance: 5000 },
  { name: 'Community 5K Fun Run', expectedAttendance: 2500 },
  { name: 'Open-Air Concert', expectedAttendance: 4000 },
];

/** Demand multiplier of a local event: +10% for a small one, up to +30% for a big one. */
function eventFactor(attendance: number): number {
  return 1 + clamp(0.1 + attendance / 100_000, 0.1, 0.3);
}

interface Holiday {
  /** Multiplier on everyone's demand. */
  traffic: number;
  /** Multiplier per product, on top of `traffic`. */
  product: (spec: ProductSpec) => number;
  /** Whether the vendor plans for it (bakes more), rather than being surprised. */
  planned: boolean;
}

const NO_HOLIDAY: Holiday = { traffic: 1, product: () => 1, planned: false };

/** US holiday effects on a market day. */
function holidayOn(dayNumber: number): Holiday {
  const { year, month } = partsOf(dayNumber);
  const memorialDay = nthWeekday(year, 5, 0, -1);
  const laborDay = nthWeekday(year, 9, 0, 1);
  const independenceDay = dayNumberOf(year, 7, 4);
  const thanksgiving = nthWeekday(year, 11, 3, 4);
  const christmasEve = dayNumberOf(year, 12, 24);
  if (dayNumber >= thanksgiving - 6 && dayNumber < thanksgiving) {
    return {
      traffic: 1.08,
      planned: true,
      product: (spec) => {
        if (spec.category === 'pastry' && spec.unit === 'pie') return 3;
        if (spec.holidayStaple) return 1.5;
        if (spec.category === 'bread') return 1.25;
        return spec.category === 'preserves' ? 1.15 : 1;
      },
    };
  }
  if (month === 12 && dayNumber >= christmasEve - 7 && dayNumber <= christmasEve) {
    return {
      traffic: 1.1,
      planned: true,
      product: (spec) => {
        if (spec.category === 'pastry' && spec.unit === 'pie') return 2;
        if (spec.giftable) return 1.6;
        if (spec.holidayStaple) return 1.4;
        return spec.category === 'pastry' ? 1.2 : 1;
      },
    };
  }
  const longWeekend =
    (dayNumber >= memorialDay - 2 && dayNumber <= memorialDay) ||
    (dayNumber >= laborDay - 2 && dayNumber <= laborDay) ||
    Math.abs(dayNumber - independenceDay) <= 3;
  if (longWeekend) return { traffic: 1.12, product: () => 1, planned: false };
  if (dayNumber === thanksgiving + 2) return { traffic: 1.1, product: () => 1, planned: false };
  if (month === 12) {
    return { traffic: 1, product: (spec) => (spec.giftable ? 1.3 : 1), planned: false };
  }
  return NO_HOLIDAY;
}

/** Markets do not open on Christmas Day and New Year's Day. */
function isClosedHoliday(parts: CalendarParts): boolean {
  return (
    (parts.month === 12 && parts.dayOfMonth === 25) || (parts.month === 1 && parts.dayOfMonth === 1)
  );
}

/** Demand multiplier of the day's weather for a product category. */
function weatherFactor(weather: DayWeather, category: Category, indoor: boolean): number {
  let factor = 1;
  // Rain keeps people home: -10% for a wet morning, up to -35% for a downpour.
  if (weather.precipMm >= 1)
    factor *= 1 - Math.min(0.35, 0.1 + 0.02 * weather.precipMm) * (indoor ? 0.5 : 1);
  else if (weather.precipMm > 0) factor *= 0.97;
  // Heat: nobody wants a warm loaf at 33 C.
  if ((category === 'bread' || category === 'pastry') && weather.tempMaxC >= 30) {
    factor *= weather.tempMaxC >= 33 ? 0.78 : 0.86;
  }
  if (category === 'flowers' && weather.tempMaxC >= 32) factor *= 0.92;
  // Bitter cold thins the crowd, less so indoors.
  if (weather.tempMaxC < -5) factor *= indoor ? 0.93 : 0.82;
  if (weather.windKph > 38) factor *= 0.93;
  // A pleasant sunny day brings people out.
  const pleasant =
    weather.precipMm === 0 &&
    weather.tempMaxC >= 18 &&
    weather.tempMaxC <= 27 &&
    weather.cloudCoverPct <= 40;
  if (pleasant) factor *= 1.08;
  return factor;
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

interface PlannedDay {
  spec: MarketSpec;
  day: number;
  parts: CalendarParts;
  marketDay: DemoMarketDay;
  opensMs: number;
  closesMs: number;
}

interface Habit {
  recent: number[];
  lastDay: number;
}

/** Scales every product's gamma shape: demand noise beyond Poisson is modest. */
const NOISE_SCALE = 2.5;
/**
 * The vendor's habit: the average of the last few market days here (rainy days and sell-outs
 * counted up), times a margin, plus a couple of units. Tuned so that about 8% of rows sell out.
 */
const HABIT_WINDOW = 5;
const HABIT_MARGIN = 1.45;
const HABIT_EXTRA_UNITS = 2;

function priceOn(spec: ProductSpec, day: number, priceChangeDay: number): number {
  if (day >= priceChangeDay) return spec.priceMinor;
  // A price rise of about 7% happened some months ago; older sales carry the old price.
  return Math.round((spec.priceMinor * 0.93) / 25) * 25;
}

/** Share of a leftover that cannot be kept: short shelf life goes, long shelf life is kept. */
function goneShare(shelfLifeDays: number): number {
  if (shelfLifeDays <= 2) return 1;
  if (shelfLifeDays <= 5) return 0.75;
  if (shelfLifeDays <= 14) return 0.3;
  return 0;
}

const DONATED_SHARE: Record<Category, number> = {
  bread: 0.8,
  pastry: 0.6,
  produce: 0.5,
  flowers: 0.25,
  preserves: 0,
};

/**
 * Generates the demo vendor's markets, products, two years of market days with sales, weather and
 * events, and the next 14 days of upcoming market days (weather and events, no sales).
 * Deterministic in (`seed`, `today`, `years`); independent of the process time zone.
 */
export function generateDemoData(options: DemoDataOptions): DemoData {
  const years = options.years ?? 2;
  if (!Number.isInteger(years) || years < 1 || years > 10) {
    throw new RangeError(`years must be an integer from 1 to 10, got ${years}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError('seed must be a finite number');
  const today = parseDate(options.today);
  const todayParts = partsOf(today);
  const start = dayNumberOf(todayParts.year - years, todayParts.month, todayParts.dayOfMonth);
  const lastUpcoming = today + UPCOMING_DAYS - 1;
  const random = createRandom(options.seed);
  const priceChangeDay = today - 240;

  const weatherByDay = simulateWeather(random, start, lastUpcoming);
  const weatherOn = (day: number): DayWeather => {
    const found = weatherByDay.get(day);
    if (!found) throw new Error(`no weather for ${formatDay(day)}`);
    return found;
  };

  // Market days, in date order.
  const planned: PlannedDay[] = [];
  for (let day = start; day <= lastUpcoming; day += 1) {
    const parts = partsOf(day);
    if (isClosedHoliday(parts)) continue;
    const mmdd = monthDay(parts);
    for (const spec of MARKET_SPECS) {
      const entry = spec.market.schedule.find(
        (candidate) =>
          candidate.weekday === parts.weekday &&
          inSeason(mmdd, candidate.seasonFrom, candidate.seasonTo),
      );
      if (!entry) continue;
      const opensMs = localTimeToUtcMs(day, entry.opensAt, spec.market.timezone);
      const closesMs = localTimeToUtcMs(day, entry.closesAt, spec.market.timezone);
      planned.push({
        spec,
        day,
        parts,
        opensMs,
        closesMs,
        marketDay: {
          marketKey: spec.market.key,
          date: formatDay(day),
          status: 'SCHEDULED',
          opensAt: new Date(opensMs).toISOString(),
          closesAt: new Date(closesMs).toISOString(),
        },
      });
    }
  }
  const past = planned.filter((plannedDay) => plannedDay.day < today);
  const upcoming = planned.filter((plannedDay) => plannedDay.day >= today);

  // Local events: the annual ones that fall on a market day, then one or two upcoming.
  const events: DemoEvent[] = [];
  const eventAt = new Map<string, DemoEvent>();
  const slot = (marketKey: string, day: number): string => `${marketKey}|${day}`;
  const plannedAt = new Map(planned.map((p) => [slot(p.spec.market.key, p.day), p]));
  for (let year = todayParts.year - years; year <= todayParts.year + 1; year += 1) {
    for (const annual of ANNUAL_EVENTS) {
      const day = annual.on(year);
      if (!plannedAt.has(slot(annual.marketKey, day))) continue;
      const event = {
        marketKey: annual.marketKey,
        date: formatDay(day),
        name: annual.name,
        expectedAttendance: annual.expectedAttendance,
      };
      events.push(event);
      eventAt.set(slot(annual.marketKey, day), event);
    }
  }
  const upcomingEventCount = upcoming.filter((p) =>
    eventAt.has(slot(p.spec.market.key, p.day)),
  ).length;
  const wantedUpcoming = Math.max(0, (random.next() < 0.5 ? 1 : 2) - upcomingEventCount);
  const freeUpcoming = upcoming.filter(
    (p) => p.day > today && !eventAt.has(slot(p.spec.market.key, p.day)),
  );
  for (let added = 0; added < wantedUpcoming && freeUpcoming.length > 0; added += 1) {
    const [chosen] = freeUpcoming.splice(Math.floor(random.next() * freeUpcoming.length), 1);
    const template = UPCOMING_EVENT_NAMES[Math.floor(random.next() * UPCOMING_EVENT_NAMES.length)];
    if (!chosen || !template) break;
    const event = { marketKey: chosen.spec.market.key, date: formatDay(chosen.day), ...template };
    events.push(event);
    eventAt.set(slot(event.marketKey, chosen.day), event);
  }
  events.sort((a, b) => a.date.localeCompare(b.date) || a.marketKey.localeCompare(b.marketKey));

  // Closures: a few past market days lost to a thunderstorm or a winter storm.
  const cancelled = new Set<PlannedDay>();
  const stormCandidates = past.filter(
    (p) =>
      !eventAt.has(slot(p.spec.market.key, p.day)) &&
      (p.parts.month >= 6 && p.parts.month <= 8
        ? true
        : p.parts.month === 1 || p.parts.month === 2),
  );
  const closures = 3 + Math.floor(random.next() * 3);
  for (let index = 0; index < closures && stormCandidates.length > 0; index += 1) {
    const [chosen] = stormCandidates.splice(Math.floor(random.next() * stormCandidates.length), 1);
    if (!chosen) break;
    cancelled.add(chosen);
    const base = weatherOn(chosen.day);
    const summer = chosen.parts.month >= 6 && chosen.parts.month <= 8;
    weatherByDay.set(
      chosen.day,
      summer
        ? {
            ...base,
            tempMaxC: Math.max(base.tempMaxC, 27),
            precipMm: round1(45 + 30 * random.next()),
            precipProb: 0.95,
            windKph: round1(55 + 20 * random.next()),
            cloudCoverPct: 100,
            sunshineHours: round1(1 + random.next()),
          }
        : {
            ...base,
            tempMaxC: Math.min(base.tempMaxC, -4),
            tempMinC: Math.min(base.tempMinC, -12),
            precipMm: round1(18 + 12 * random.next()),
            precipProb: 0.95,
            windKph: round1(50 + 20 * random.next()),
            cloudCoverPct: 100,
            sunshineHours: 0,
          },
    );
    chosen.marketDay.status = 'CANCELLED';
    chosen.marketDay.notes = summer
      ? 'Cancelled by the market: severe thunderstorm warning'
      : 'Cancelled by the market: winter storm warning, roads unsafe';
  }

  // Weather rows: observed for past days, forecast-like for upcoming ones.
  const weather: DemoWeather[] = planned.map((p) => {
    const actual = weatherOn(p.day);
    const shown = p.day < today ? actual : forecastFrom(random, actual, p.day - today);
    return { marketKey: p.spec.market.key, date: formatDay(p.day), ...shown };
  });

  // Products, with the introduction date of the new ones.
  const introducedOn = (spec: ProductSpec): number =>
    spec.introducedDaysAgo === undefined ? start : today - spec.introducedDaysAgo;
  const products: DemoProduct[] = PRODUCT_SPECS.map((spec) => ({
    key: spec.key,
    name: spec.name,
    unit: spec.unit,
    category: spec.category,
    priceMinor: spec.priceMinor,
    unitCostMinor: spec.unitCostMinor,
    salvageValueMinor: spec.salvageValueMinor,
    shelfLifeDays: spec.shelfLifeDays,
    introducedOn: formatDay(introducedOn(spec)),
  }));

  // Sales: demand from the day's context, brought from habit, sold = min(demand, brought).
  const dailySales: DemoDailySale[] = [];
  const habits = new Map<string, Habit>();
  for (const p of past) {
    if (cancelled.has(p)) continue;
    const dayWeather = weatherOn(p.day);
    const holiday = holidayOn(p.day);
    const event = eventAt.get(slot(p.spec.market.key, p.day));
    const traffic =
      p.spec.size *
      monthlyLevel(p.spec.traffic, p.parts) *
      holiday.traffic *
      (event ? eventFactor(event.expectedAttendance) : 1) *
      (1 + (0.07 * (p.day - start)) / 365);
    const indoor = p.spec.indoorInWinter && (p.parts.month >= 11 || p.parts.month <= 4);
    for (const spec of PRODUCT_SPECS) {
      const introduced = introducedOn(spec);
      if (p.day < introduced) continue;
      const seasonLevel = monthlyLevel(spec.season, p.parts);
      if (seasonLevel < IN_SEASON_LEVEL) continue;
      // A new product takes a few weeks to find its customers.
      const ramp = Math.min(1, 0.45 + (0.55 * (p.day - introduced)) / 42);
      const typical = spec.base * p.spec.size * monthlyLevel(p.spec.traffic, p.parts) * seasonLevel;
      const mean =
        spec.base *
        traffic *
        seasonLevel *
        holiday.product(spec) *
        weatherFactor(dayWeather, spec.category, indoor) *
        ramp;
      const shape = spec.shape * NOISE_SCALE;
      const demand = random.poisson((mean * random.gamma(shape)) / shape);

      const habitKey = `${p.spec.market.key}|${spec.key}`;
      const habit = habits.get(habitKey);
      const recentAverage =
        habit && p.day - habit.lastDay <= 35 && habit.recent.length > 0
          ? (seasonLevel * habit.recent.reduce((sum, value) => sum + value, 0)) /
            habit.recent.length
          : typical * ramp * (0.85 + 0.3 * random.next());
      const anticipation = holiday.planned ? 1 + 0.85 * (holiday.product(spec) - 1) : 1;
      const brought = Math.max(
        2,
        Math.ceil(recentAverage * anticipation * HABIT_MARGIN + HABIT_EXTRA_UNITS),
      );
      const quantity = Math.min(demand, brought);
      const leftOver = brought - quantity;
      const gone = Math.round(leftOver * goneShare(spec.shelfLifeDays));
      const donated = Math.round(gone * DONATED_SHARE[spec.category]);
      const sale: DemoDailySale = {
        marketKey: p.spec.market.key,
        productKey: spec.key,
        date: p.marketDay.date,
        quantity,
        unitPriceMinor: priceOn(spec, p.day, priceChangeDay),
        brought,
        leftOver,
        wasted: gone - donated,
        donated,
      };
      if (quantity === brought) {
        // Customers arrive evenly: the last unit goes at brought/demand of the way through.
        const share = clamp(brought / (demand + 0.5) - 0.05 * random.next(), 0.2, 0.97);
        const soldOutMs = p.opensMs + share * (p.closesMs - p.opensMs);
        sale.soldOutAt = new Date(Math.round(soldOutMs / 60_000) * 60_000).toISOString();
      }
      dailySales.push(sale);

      // The vendor remembers a sell-out as "could have sold a few more", and does not let the
      // holiday rush set the bar for the weeks after it.
      if (!holiday.planned) {
        const soldOutBump = quantity === brought ? 1.15 : 1;
        const rainyDayExcuse = dayWeather.precipMm >= 1 ? 1.2 : 1;
        // Kept per unit of season level: a grower knows when the crop comes in and tails off.
        const remembered = (quantity * soldOutBump * rainyDayExcuse) / seasonLevel;
        const recent = [...(habit && p.day - habit.lastDay <= 35 ? habit.recent : []), remembered];
        habits.set(habitKey, { recent: recent.slice(-HABIT_WINDOW), lastDay: p.day });
      }
    }
  }

  return {
    vendor: { ...VENDOR },
    markets: MARKET_SPECS.map((spec) => ({
      ...spec.market,
      schedule: spec.market.schedule.map((entry) => ({ ...entry })),
    })),
    products,
    marketDays: planned.map((p) => p.marketDay),
    dailySales,
    weather,
    events,
  };
}
