/**
 * Input health of a prep list: how far to trust it, in words. Pure (no I/O, `now` comes in): the
 * API reads the facts (see InputHealthRepository in packages/db) and this module turns them into
 * one verdict with its reasons. Every threshold lives in {@link INPUT_HEALTH_THRESHOLDS} and is
 * documented in docs/input-health.md.
 */
import { formatMarketDate, type StoredDay, type WeeklyOpening } from './market-day-rules';
import { scheduleOn } from './prep-list-inputs';

/** good: trust it; check: look at the reasons before packing; stale: an input is badly out of date. */
export type InputHealthVerdict = 'good' | 'check' | 'stale';

/** What a reason is about. */
export type InputHealthInput = 'sales' | 'weather' | 'events' | 'model' | 'products';

/** One input's state, in the vendor's words. */
export interface InputHealthReason {
  input: InputHealthInput;
  status: InputHealthVerdict;
  text: string;
}

/** A list's verdict (the worst of its reasons) and every reason, sales first. */
export interface InputHealth {
  verdict: InputHealthVerdict;
  /** The reasons that are not good, joined: what the header shows. Null when all are good. */
  summary: string | null;
  reasons: InputHealthReason[];
}

/** The thresholds, in one place (docs/input-health.md explains each). */
export const INPUT_HEALTH_THRESHOLDS = {
  /**
   * Sales are late once more market days than usual, plus this many, passed without any (market
   * days are the ones scheduled at the vendor's markets; every day when no schedule is known).
   */
  salesGraceMarketDays: 1,
  /** ...and stale past this many usual gaps (plus the grace). */
  salesStaleGaps: 3,
  /** The usual gap is the median over the sale dates of this many days before the newest one. */
  salesRhythmWindowDays: 120,
  /** A usual gap is never taken as shorter than a day or longer than two weeks. */
  salesRhythmMinDays: 1,
  salesRhythmMaxDays: 14,
  /** A Square connection not synced for this many hours is late (webhooks + hourly sync)... */
  squareSyncCheckHours: 24,
  /** ...and stale past this many. */
  squareSyncStaleHours: 72,
  /** Weather is forecast this many days ahead; beyond, the seasonal normal is expected. */
  weatherHorizonDays: 10,
  /** A provider forecast fetched longer ago than this is a stale cache (the refresh is hourly). */
  weatherCacheCheckHours: 12,
  /** ...and the list is stale past this age. */
  weatherCacheStaleHours: 48,
  /** Events are looked up this many days ahead. */
  eventsHorizonDays: 30,
  /** Event listings not refreshed for this many days are unavailable. */
  eventsCheckDays: 3,
  /** The model may lag the newest sales by this many days (the planner retrains past 7). */
  modelLagCheckDays: 7,
  /** This share (or more) of the in-season products on a guess makes the list worth a check. */
  guessShareCheck: 1 / 3,
} as const;

/** One market's calendar as the sales rhythm counts it. */
export interface SalesMarketCalendar {
  schedule: readonly Pick<
    WeeklyOpening,
    'weekday' | 'seasonFrom' | 'seasonTo' | 'weeksOfMonth' | 'everyOtherWeekFrom'
  >[];
  storedDays: readonly StoredDay[];
  /** Local date it was archived (no market days from then on), or null. */
  archivedOn: string | null;
}

/** The facts a verdict is made from (all instants as Date, dates as market-local `YYYY-MM-DD`). */
export interface InputHealthFacts {
  now: Date;
  /** Market-local date of "now" and of the market day. */
  today: string;
  date: string;
  sales: {
    /** Square connection, when there is one (status ACTIVE or not). */
    square: { active: boolean; lastSyncedAt: Date | null } | null;
    /** When the last CSV import was committed. */
    lastImportAt: Date | null;
    /** Newest local date with sales, and the distinct sale dates of the window before it. */
    latestSalesDate: string | null;
    recentSaleDates: readonly string[];
    /**
     * The vendor's markets, for which dates were market days: weekly openings with seasons, the
     * stored days from the rhythm window on (a stored day decides its date), the date a market
     * was archived. Empty: no schedule known, every day counts.
     */
    markets: readonly SalesMarketCalendar[];
  };
  weather: {
    provider: 'NWS' | 'OPEN_METEO' | 'CLIMATOLOGY' | 'DEMO';
    kind: 'FORECAST' | 'OBSERVED';
    fetchedAt: Date;
  } | null;
  events: {
    /** Last provider lookup for the market (null: never looked up). */
    lastLookupAt: Date | null;
    /** Events on the day (provider's and the vendor's own). */
    onDay: number;
  };
  model: { trainedThrough: string | null } | null;
  /** The list's lines (closed and out-of-season ones are not counted as guesses). */
  lines: readonly {
    productName: string;
    modelRung: string;
    dataSufficiency: string;
  }[];
}

const DAY_MS = 86_400_000;
const T = INPUT_HEALTH_THRESHOLDS;
const RANK: Record<InputHealthVerdict, number> = { good: 0, check: 1, stale: 2 };
const PROVIDER_NAME = {
  NWS: 'NWS (National Weather Service)',
  OPEN_METEO: 'Open-Meteo',
  DEMO: 'the demo weather service',
} as const;

const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Nov 28" (the year only when not the year of `today`). */
function shortDate(date: string, today: string): string {
  const [y, m, d] = date.split('-');
  const text = `${MONTHS[Number(m) - 1] ?? m} ${Number(d)}`;
  return y === today.slice(0, 4) ? text : `${text}, ${y}`;
}

/** "3 h", "2 days": an age in the largest whole unit that reads well. */
export function formatAge(ms: number): string {
  const hours = Math.max(0, ms) / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Whether a date was a market day at any of `markets`; null when no market has a schedule. */
function marketDayTest(
  markets: readonly SalesMarketCalendar[],
): ((date: string) => boolean) | null {
  if (markets.every((m) => m.schedule.length === 0 && m.storedDays.length === 0)) return null;
  const stored = markets.map((m) => new Map(m.storedDays.map((d) => [d.date, d.status])));
  return (date) =>
    markets.some((market, i) => {
      if (market.archivedOn !== null && date >= market.archivedOn) return false;
      const status = stored[i]?.get(date);
      return status === undefined ? scheduleOn(market, date) !== undefined : status === 'SCHEDULED';
    });
}

/** The market days strictly between two dates (at most `limit`, to bound a long silence). */
function marketDaysBetween(
  isMarketDay: (date: string) => boolean,
  after: string,
  before: string,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  const days: string[] = [];
  for (let d = dayNumber(after) + 1; d < dayNumber(before) && days.length < limit; d += 1) {
    if (isMarketDay(dateOf(d))) days.push(dateOf(d));
  }
  return days;
}

/** The vendor's sales rhythm: how many market days usually pass without sales between two sales. */
export interface SalesRhythm {
  /** Median count of market days strictly between consecutive sale dates (0: sales every market day). */
  usualMissed: number;
  /** True when counted in scheduled market days; false when no schedule is known (calendar days). */
  scheduled: boolean;
}

/**
 * The vendor's usual rhythm over `saleDates`: the median number of market days between consecutive
 * sale dates that had no sales (clamped so a gap stays within [salesRhythmMinDays,
 * salesRhythmMaxDays] market days). Counting scheduled market days, not calendar days, keeps a
 * winter of one market a week from looking late against a summer of three. With fewer than three
 * sale dates: every market day (scheduled) or weekly (no schedule).
 */
export function salesRhythm(
  saleDates: readonly string[],
  markets: readonly SalesMarketCalendar[],
): SalesRhythm {
  const isMarketDay = marketDayTest(markets);
  const dates = [...new Set(saleDates)].sort();
  if (dates.length < 3)
    return { usualMissed: isMarketDay ? 0 : 6, scheduled: isMarketDay !== null };
  const missed = dates
    .slice(1)
    .map((date, i) =>
      isMarketDay
        ? marketDaysBetween(isMarketDay, dates[i] as string, date).length
        : dayNumber(date) - dayNumber(dates[i] as string) - 1,
    )
    .sort((x, y) => x - y);
  const mid = Math.floor(missed.length / 2);
  const median =
    missed.length % 2 === 1
      ? (missed[mid] as number)
      : ((missed[mid - 1] as number) + (missed[mid] as number)) / 2;
  return {
    usualMissed: Math.min(T.salesRhythmMaxDays - 1, Math.max(T.salesRhythmMinDays - 1, median)),
    scheduled: isMarketDay !== null,
  };
}

function salesReason(facts: InputHealthFacts): InputHealthReason {
  const { sales, today } = facts;
  const square = sales.square;
  if (!sales.latestSalesDate) {
    return {
      input: 'sales',
      status: 'check',
      text: 'Sales: none yet. Every number is a guess until sales come in (connect Square or import a CSV).',
    };
  }
  const rhythm = salesRhythm(sales.recentSaleDates, sales.markets);
  const isMarketDay = marketDayTest(sales.markets) ?? (() => true);
  const staleAfter = T.salesStaleGaps * (rhythm.usualMissed + 1) + T.salesGraceMarketDays;
  // Today is left out: its sales may still be coming in.
  const missed = marketDaysBetween(isMarketDay, sales.latestSalesDate, today, staleAfter + 1);
  const gap = round1(rhythm.usualMissed + 1);
  const usual = rhythm.scheduled
    ? gap === 1
      ? 'you usually sell on every market day'
      : `you usually sell once every ${gap} market days`
    : gap === 1
      ? 'you usually sell every day'
      : `you usually sell every ${gap} days`;
  const last = `last sale ${shortDate(sales.latestSalesDate, today)}`;
  let status: InputHealthVerdict = 'good';
  const late = missed.length > rhythm.usualMissed + T.salesGraceMarketDays;
  if (missed.length > staleAfter) status = 'stale';
  else if (late) status = 'check';

  let source: string;
  if (square) {
    const age = square.lastSyncedAt ? facts.now.getTime() - square.lastSyncedAt.getTime() : null;
    if (!square.active) {
      status = worst(status, 'check');
      source = 'the Square connection needs attention (Settings > Integrations)';
    } else if (age === null) {
      status = worst(status, 'check');
      source = 'Square has not synced yet';
    } else {
      if (age > T.squareSyncStaleHours * 3_600_000) status = worst(status, 'stale');
      else if (age > T.squareSyncCheckHours * 3_600_000) status = worst(status, 'check');
      source = `Square synced ${formatAge(age)} ago`;
    }
  } else if (sales.lastImportAt) {
    source = `last CSV import ${formatAge(facts.now.getTime() - sales.lastImportAt.getTime())} ago`;
  } else {
    source = 'sales entered by check-ins only';
  }
  const year = Number(today.slice(0, 4));
  const without = rhythm.scheduled
    ? `${missed.length > staleAfter ? 'more than ' : ''}${plural(Math.min(missed.length, staleAfter), 'market day')} without sales (${missed
        .slice(0, 3)
        .map((d) => formatMarketDate(d, year))
        .join('; ')}${missed.length > 3 ? '; ...' : ''})`
    : `${plural(dayNumber(today) - dayNumber(sales.latestSalesDate), 'day')} without sales`;
  return {
    input: 'sales',
    status,
    text: `Sales: ${last}, ${source}${status === 'good' ? ` (${usual})` : ''}.${
      late ? ` That is ${without} while ${usual}: sync or import the missing days.` : ''
    }`,
  };
}

function weatherReason(facts: InputHealthFacts): InputHealthReason {
  const ahead = dayNumber(facts.date) - dayNumber(facts.today);
  const weather = facts.weather;
  if (!weather) {
    if (ahead > T.weatherHorizonDays) {
      return {
        input: 'weather',
        status: 'good',
        text: `Weather: no forecast this far ahead (forecasts start ${T.weatherHorizonDays} days before), the seasonal normal is used.`,
      };
    }
    return {
      input: 'weather',
      status: 'check',
      text: 'Weather: no forecast for this day, the seasonal normal is used.',
    };
  }
  if (weather.kind === 'OBSERVED') {
    return { input: 'weather', status: 'good', text: 'Weather: as observed on the day.' };
  }
  if (weather.provider === 'CLIMATOLOGY') {
    return {
      input: 'weather',
      status: ahead > T.weatherHorizonDays ? 'good' : 'check',
      text:
        ahead > T.weatherHorizonDays
          ? 'Weather: climatology (the usual weather of this date at this market), as expected this far ahead.'
          : 'Weather: climatology (the usual weather of this date at this market): the forecast services did not answer.',
    };
  }
  const age = facts.now.getTime() - weather.fetchedAt.getTime();
  const name = PROVIDER_NAME[weather.provider];
  if (age > T.weatherCacheCheckHours * 3_600_000 && ahead >= 0) {
    return {
      input: 'weather',
      status: age > T.weatherCacheStaleHours * 3_600_000 ? 'stale' : 'check',
      text: `Weather: a stale cached forecast from ${name}, ${formatAge(age)} old (the forecast services did not answer since).`,
    };
  }
  return {
    input: 'weather',
    status: 'good',
    text: `Weather: ${name} forecast, fetched ${formatAge(age)} ago.`,
  };
}

function eventsReason(facts: InputHealthFacts): InputHealthReason {
  const ahead = dayNumber(facts.date) - dayNumber(facts.today);
  const count = facts.events.onDay;
  const listed = count === 0 ? 'none listed for this day' : `${plural(count, 'event')} nearby`;
  const lookup = facts.events.lastLookupAt;
  if (ahead > T.eventsHorizonDays) {
    return {
      input: 'events',
      status: 'good',
      text: `Events: looked up ${T.eventsHorizonDays} days ahead, this day is further; ${listed} so far.`,
    };
  }
  if (!lookup) {
    return {
      input: 'events',
      status: 'check',
      text: `Events: no event listings available, only the events you entered (${listed}).`,
    };
  }
  const age = facts.now.getTime() - lookup.getTime();
  if (age > T.eventsCheckDays * DAY_MS) {
    return {
      input: 'events',
      status: 'check',
      text: `Events: listings unavailable for ${formatAge(age)} (last looked up then); ${listed}.`,
    };
  }
  return {
    input: 'events',
    status: 'good',
    text: `Events: ${listed}, looked up ${formatAge(age)} ago.`,
  };
}

function modelReason(facts: InputHealthFacts): InputHealthReason {
  const { model, today } = facts;
  if (!model?.trainedThrough) {
    return {
      input: 'model',
      status: 'check',
      text: 'Model: not trained on your sales yet, the numbers are starting guesses.',
    };
  }
  const latest = facts.sales.latestSalesDate;
  const lag = latest ? dayNumber(latest) - dayNumber(model.trainedThrough) : 0;
  const through = `trained through ${shortDate(model.trainedThrough, today)}`;
  if (lag > T.modelLagCheckDays) {
    return {
      input: 'model',
      status: 'check',
      text: `Model: ${through}, ${plural(lag, 'day')} behind your sales (it retrains on the next recompute).`,
    };
  }
  return { input: 'model', status: 'good', text: `Model: ${through}.` };
}

function productsReason(facts: InputHealthFacts): InputHealthReason {
  const counted = facts.lines.filter(
    (l) => l.modelRung !== 'closed' && l.modelRung !== 'out-of-season',
  );
  const coldStart = counted.filter(
    (l) => l.modelRung === 'cold-start' || l.dataSufficiency === 'none',
  );
  const thin = counted.filter(
    (l) => !coldStart.includes(l) && (l.modelRung === 'thin' || l.dataSufficiency === 'thin'),
  );
  const guesses = coldStart.length + thin.length;
  if (counted.length === 0) {
    return { input: 'products', status: 'good', text: 'Products: none in season on this day.' };
  }
  if (guesses === 0) {
    return {
      input: 'products',
      status: 'good',
      text: `Products: all ${counted.length} from their own sales history.`,
    };
  }
  const names = (lines: typeof counted) => {
    const shown = lines.slice(0, 3).map((l) => l.productName);
    return lines.length > 3 ? `${shown.join(', ')} and ${lines.length - 3} more` : shown.join(', ');
  };
  const parts = [
    coldStart.length > 0 ? `no history: ${names(coldStart)}` : null,
    thin.length > 0 ? `thin data: ${names(thin)}` : null,
  ].filter(Boolean);
  return {
    input: 'products',
    status: guesses / counted.length >= T.guessShareCheck ? 'check' : 'good',
    text: `Products: ${guesses} of ${counted.length} on a guess (${parts.join('; ')}).`,
  };
}

function worst(a: InputHealthVerdict, b: InputHealthVerdict): InputHealthVerdict {
  return RANK[a] >= RANK[b] ? a : b;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The verdict of a prep list's inputs and its reasons (sales, weather, events, model, products). */
export function assessInputHealth(facts: InputHealthFacts): InputHealth {
  const reasons = [
    salesReason(facts),
    weatherReason(facts),
    eventsReason(facts),
    modelReason(facts),
    productsReason(facts),
  ];
  const verdict = reasons.reduce<InputHealthVerdict>((v, r) => worst(v, r.status), 'good');
  const bad = reasons.filter((r) => r.status !== 'good');
  return {
    verdict,
    summary: bad.length === 0 ? null : bad.map((r) => r.text).join(' '),
    reasons,
  };
}

/**
 * The health of several lists read together (a week's plan): the worst verdict, and each reason
 * that is not good once, led by the labels of the lists it holds for ("Sat, Dec 12 at Riverside;
 * Sun, Dec 13 at Maple: Sales: ..."). No lists: good.
 */
export function combineInputHealth(
  lists: readonly { label: string; health: InputHealth }[],
): InputHealth {
  const grouped = new Map<string, { reason: InputHealthReason; labels: string[] }>();
  for (const { label, health } of lists) {
    for (const reason of health.reasons) {
      if (reason.status === 'good') continue;
      const key = `${reason.input}|${reason.text}`;
      const entry = grouped.get(key) ?? { reason, labels: [] };
      entry.labels.push(label);
      entry.reason = { ...entry.reason, status: worst(entry.reason.status, reason.status) };
      grouped.set(key, entry);
    }
  }
  const reasons = [...grouped.values()].map(({ reason, labels }) => ({
    ...reason,
    text: `${labels.join('; ')}: ${reason.text}`,
  }));
  return {
    verdict: lists.reduce<InputHealthVerdict>((v, l) => worst(v, l.health.verdict), 'good'),
    summary: reasons.length === 0 ? null : reasons.map((r) => r.text).join(' '),
    reasons,
  };
}
