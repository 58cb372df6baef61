import { dayOfYear, fromDayNumber, toDayNumber } from '../calendar-dates';
import { median } from '../quantiles/empirical-quantile';
import type { ForecastAvailability, ProductSeasonSetting, SalesObservation } from '../types';

/**
 * When a product sells at a market, learned from the weeks of the year it sold. A grower's
 * strawberries sell in June, a florist's tulips in April and May: out of those weeks the prep
 * list brings none, however well the product sold in its season.
 */
export interface SeasonProfile {
  readonly market: string;
  readonly product: string;
  /** Weeks of the year (0-52, `weekOfYear`) with a positive sale, ascending. */
  readonly weeks: readonly number[];
  /** log1p of the median positive sale in each of `weeks` (over all years): the season's shape. */
  readonly weekLevels: readonly number[];
  /** Share of the market's full trading days in each of `weeks` on which it sold. */
  readonly weekRates: readonly number[];
  /**
   * Weeks of the year in which the market traded (some product sold) on a day after this product's
   * first sale here, and on how many days (`observedDays`, aligned): the weeks in which its absence
   * is evidence, not a gap in the history.
   */
  readonly observedWeeks: readonly number[];
  readonly observedDays: readonly number[];
  /**
   * Share of the market's trading days in its own weeks (`weeks`, after its first sale) on which
   * it sold: how much a run of days without a sale says (a product that sells one day in three
   * often misses a few).
   */
  readonly sellRate: number;
  /** First and last day numbers with a positive sale. */
  readonly firstSold: number;
  readonly lastSold: number;
  /** Full trading days of the market after `lastSold` (up to the end of training). */
  readonly tradingDaysSinceLastSold: number;
  /**
   * log of the chance it would have missed all of those days in season: the sum of
   * `log(1 - weekRate)` over them (days of weeks it never sold in add nothing).
   */
  readonly missLogSinceLastSold: number;
  /**
   * For a short season (`shortSeasonWeeks`), its sales of the last three years as `[day number,
   * log1p(sale)]`, oldest first: what the same weeks of past seasons sold (`sameWeeksLevel`).
   * Absent for a long or year-round season, and in models stored before it.
   */
  readonly lastYears?: readonly (readonly [number, number])[];
}

/** Settings of the season rules; reasoned defaults, not tuned to a data set. */
export const SEASON_SETTINGS = {
  /** A week counts as in season when the product sold within this many weeks of it (any year). */
  marginWeeks: 2,
  /** A market day counts as trading in full when this share of its typical products sold. */
  fullDayShare: 0.5,
  /** Absence counts when the market traded within this many weeks of the planned week. */
  evidenceWeeks: 1,
  /** A year, in days: history that has met every week of the year once. */
  yearDays: 365,
  /** Not sold for this many days (and enough trading days, below): stopped. */
  stoppedAfterDays: 28,
  /**
   * Trading days without a sale count as evidence that it is not in season once a product selling
   * at its `sellRate` would have missed that many in a row less than this often.
   */
  evidenceChance: 0.05,
  /** ... and never on fewer trading days than this. */
  minEvidenceDays: 3,
  /**
   * No sale for this many days before the end of training, and in season on the planned day:
   * a season start (the same weeks of last season set the level).
   */
  seasonStartGapDays: 21,
  /**
   * A season of at most this many weeks of the year is short (pies to Thanksgiving, strawberries
   * in June): in its weeks the forecast follows the same weeks of past seasons, shifted by how
   * this season has gone so far (`sameWeeksLevel`).
   */
  shortSeasonWeeks: 26,
  /** Past seasons read for the same weeks: this many years back, 364 days (52 weeks) each. */
  sameWeeksYears: 3,
  /** This season's sales in this many days before the end of training set its pace. */
  recentShiftDays: 28,
} as const;

const WEEKS = 53;

/** Week of the year, 0-52, of a day number (day of year / 7). */
export function weekOfYear(dayNumber: number): number {
  return Math.min(Math.floor((dayOfYear(dayNumber) - 1) / 7), WEEKS - 1);
}

/** Circular distance between two weeks of the year. */
function weekDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % WEEKS;
  return Math.min(d, WEEKS - d);
}

function nearWeeks(weeks: readonly number[], week: number, margin: number): number[] {
  return weeks.filter((w) => weekDistance(w, week) <= margin);
}

/**
 * The days each market traded in full: some product sold, and at least half as many products as
 * on its typical day. A day on which most of the stall's products did not sell (a lockdown, a
 * storm, a half day) says nothing about any one product's season.
 */
function fullTradingDays(
  soldByMarketDay: ReadonlyMap<string, ReadonlyMap<number, number>>,
): Map<string, number[]> {
  const result = new Map<string, number[]>();
  for (const [market, counts] of soldByMarketDay) {
    const typical = median([...counts.values()]);
    const days = [...counts.entries()]
      .filter(([, count]) => count >= SEASON_SETTINGS.fullDayShare * typical)
      .map(([day]) => day)
      .sort((a, b) => a - b);
    result.set(market, days);
  }
  return result;
}

/** Learns a season profile per market x product from the sales (positive sales only). */
export function learnSeasonProfiles(
  sales: readonly SalesObservation[],
  trainThroughDay: number,
): SeasonProfile[] {
  const productsSold = new Map<string, Map<number, Set<string>>>();
  const bySeries = new Map<
    string,
    { market: string; product: string; days: Map<number, number> }
  >();
  for (const sale of sales) {
    if (!(sale.quantity > 0)) continue;
    const day = toDayNumber(sale.date);
    if (day > trainThroughDay) continue;
    let marketDays = productsSold.get(sale.market);
    if (!marketDays) productsSold.set(sale.market, (marketDays = new Map<number, Set<string>>()));
    let products = marketDays.get(day);
    if (!products) marketDays.set(day, (products = new Set<string>()));
    products.add(sale.product);
    const key = `${sale.market}\u0000${sale.product}`;
    let entry = bySeries.get(key);
    if (!entry)
      bySeries.set(key, (entry = { market: sale.market, product: sale.product, days: new Map() }));
    entry.days.set(day, (entry.days.get(day) ?? 0) + sale.quantity);
  }
  const tradingDays = fullTradingDays(
    new Map(
      [...productsSold].map(([market, days]) => [
        market,
        new Map([...days].map(([day, products]) => [day, products.size])),
      ]),
    ),
  );
  const profiles: SeasonProfile[] = [];
  for (const key of [...bySeries.keys()].sort()) {
    const entry = bySeries.get(key);
    if (!entry) continue;
    const byWeek = new Map<number, number[]>();
    let firstSold = Number.POSITIVE_INFINITY;
    let lastSold = Number.NEGATIVE_INFINITY;
    for (const [day, quantity] of entry.days) {
      const week = weekOfYear(day);
      let list = byWeek.get(week);
      if (!list) byWeek.set(week, (list = []));
      list.push(Math.log1p(quantity));
      firstSold = Math.min(firstSold, day);
      lastSold = Math.max(lastSold, day);
    }
    const weeks = [...byWeek.keys()].sort((a, b) => a - b);
    const observed = new Map<number, number>();
    const soldOn = new Map<number, number>();
    const marketDays = (tradingDays.get(entry.market) ?? []).filter((day) => day >= firstSold);
    for (const day of marketDays) {
      const week = weekOfYear(day);
      observed.set(week, (observed.get(week) ?? 0) + 1);
      if (entry.days.has(day)) soldOn.set(week, (soldOn.get(week) ?? 0) + 1);
    }
    // How often it sells in each of its weeks: a product that sells one December day in ten
    // missing December says little; one that sells every July day missing July says a lot.
    const weekRates = weeks.map((week) =>
      Math.min((soldOn.get(week) ?? 0) / Math.max(observed.get(week) ?? 0, 1), 1),
    );
    const rateOf = new Map(weeks.map((week, i) => [week, weekRates[i] ?? 0]));
    let seasonDays = 0;
    let seasonSold = 0;
    let tradingDaysSinceLastSold = 0;
    let missLogSinceLastSold = 0;
    for (const day of marketDays) {
      const week = weekOfYear(day);
      if (rateOf.has(week)) {
        seasonDays++;
        if (entry.days.has(day)) seasonSold++;
      }
      if (day > lastSold) {
        tradingDaysSinceLastSold++;
        missLogSinceLastSold += Math.log(1 - Math.min(rateOf.get(week) ?? 0, 0.999));
      }
    }
    const observedWeeks = [...observed.keys()].sort((a, b) => a - b);
    // Back far enough for the oldest year's reading of this season's first recent day: its
    // pace window, the week before and 3 days either side.
    const keepFrom =
      trainThroughDay - 364 * SEASON_SETTINGS.sameWeeksYears - SEASON_SETTINGS.recentShiftDays - 10;
    const lastYears =
      seasonSpanWeeks(weeks) <= SEASON_SETTINGS.shortSeasonWeeks
        ? [...entry.days]
            .filter(([day]) => day >= keepFrom)
            .sort((a, b) => a[0] - b[0])
            .map(([day, quantity]): [number, number] => [day, Math.log1p(quantity)])
        : undefined;
    profiles.push({
      market: entry.market,
      product: entry.product,
      weeks,
      weekLevels: weeks.map((week) => median(byWeek.get(week) ?? [0])),
      weekRates,
      observedWeeks,
      observedDays: observedWeeks.map((week) => observed.get(week) ?? 0),
      sellRate: seasonDays > 0 ? Math.min(seasonSold / seasonDays, 1) : 1,
      firstSold,
      lastSold,
      tradingDaysSinceLastSold,
      missLogSinceLastSold,
      ...(lastYears ? { lastYears } : {}),
    });
  }
  return profiles;
}

/**
 * Weeks of the year from a season's first week to its last, across New Year if it runs over it:
 * 53 less the longest run of weeks without a sale. A few weeks scattered over the year (a shop
 * open on a handful of Sundays) span most of it; pies from October to December span 13.
 */
function seasonSpanWeeks(weeks: readonly number[]): number {
  if (weeks.length === 0) return 0;
  let longestGap = 0;
  weeks.forEach((week, i) => {
    const next = i + 1 < weeks.length ? (weeks[i + 1] ?? week) : (weeks[0] ?? week) + WEEKS;
    longestGap = Math.max(longestGap, next - week - 1);
  });
  return WEEKS - longestGap;
}

/** The sale nearest to `day` within 3 days (the same market week), or null. */
function saleNear(history: readonly (readonly [number, number])[], day: number): number | null {
  let best: number | null = null;
  let bestOffset = 4;
  for (const [d, value] of history) {
    const offset = Math.abs(d - day);
    if (offset < bestOffset) {
      best = value;
      bestOffset = offset;
    }
  }
  return best;
}

/** What the same weeks of past seasons say of a day: a log1p level and how many years say it. */
export interface SameWeeks {
  readonly level: number;
  readonly years: number;
}

/**
 * How often a product sold nothing in the weeks around a week of the year: the market's full
 * trading days in that week and the weeks either side, every past year since its first sale, and
 * those of them without a sale.
 */
export interface NoSaleDays {
  readonly tradingDays: number;
  readonly noSaleDays: number;
}

/**
 * At a season's start and in a short season's weeks, the chance of no sale is that of the same
 * weeks of past seasons: a pie that sold every Saturday
 * before Thanksgiving has little chance of none on this one, whatever its October days did, and
 * strawberries that sold nothing on the Saturdays two weeks before their first sale of last year
 * are unlikely to sell on this year's. When the owner sets the season (`soldWeeksOnly`), the
 * weeks it never sold in were weeks it was not brought: only those it sold in count.
 */
function noSaleDaysNear(profile: SeasonProfile, week: number, soldWeeksOnly: boolean): NoSaleDays {
  let tradingDays = 0;
  let soldDays = 0;
  profile.observedWeeks.forEach((w, i) => {
    if (weekDistance(w, week) > 1) return;
    const days = profile.observedDays[i] ?? 0;
    const sold = profile.weeks.indexOf(w);
    if (sold < 0 && soldWeeksOnly) return;
    tradingDays += days;
    soldDays += sold < 0 ? 0 : Math.round((profile.weekRates[sold] ?? 0) * days);
  });
  return { tradingDays, noSaleDays: tradingDays - soldDays };
}

/**
 * In the weeks of a short season that is running (sold in its last four weeks of training), what
 * the same weeks of past seasons say: per past year, what the same week sold (52 weeks back: the
 * same weekday; the median of it and the weeks either side) times this season's pace against that year (this season's last four weeks of
 * sales over the same weeks of that year, as totals: a week of 5 against 2 early in the season
 * says little); the median over the years that have both. A pie that climbs every year into
 * Thanksgiving is forecast from last year's Saturday before Thanksgiving at this year's pace, not
 * from its average day of the season; a year without the weeks to compare (its first weeks on
 * sale) says nothing. Null for a long or year-round season, without a past year to compare, or
 * when the season is not running.
 */
export function sameWeeksLevel(
  profile: SeasonProfile | undefined,
  day: number,
  trainedThroughDay: number,
): SameWeeks | null {
  const history = profile?.lastYears;
  if (!history || history.length === 0) return null;
  const recent = history.filter(
    ([d]) => d > trainedThroughDay - SEASON_SETTINGS.recentShiftDays && d <= trainedThroughDay,
  );
  if (recent.length === 0) return null;
  const estimates: number[] = [];
  for (let year = 1; year <= SEASON_SETTINGS.sameWeeksYears; year++) {
    const back = 364 * year;
    // The same week and the weeks either side, their median: one reading of a past year's
    // Saturday is one day's weather and crowd.
    const around = [-7, 0, 7].flatMap((offset) => {
      const value = saleNear(history, day - back + offset);
      return value === null ? [] : [value];
    });
    if (around.length === 0) continue;
    const then = median(around);
    let now = 0;
    let past = 0;
    for (const [d, value] of recent) {
      const pastValue = saleNear(history, d - back);
      if (pastValue === null) continue;
      now += Math.expm1(value);
      past += Math.expm1(pastValue);
    }
    if (past > 0) estimates.push(then + Math.log1p(now) - Math.log1p(past));
  }
  if (estimates.length === 0) return null;
  return { level: median(estimates), years: estimates.length };
}

/**
 * Whether `days` trading days without a sale say the product is off: a product selling at its
 * `sellRate` would miss that many in a row less than `evidenceChance` of the time.
 */
export function isEvidenceOfAbsence(profile: SeasonProfile, days: number): boolean {
  if (days < SEASON_SETTINGS.minEvidenceDays) return false;
  const miss = 1 - Math.min(Math.max(profile.sellRate, 0), 0.999);
  return Math.pow(miss, days) < SEASON_SETTINGS.evidenceChance;
}

/**
 * Trading days in the weeks within `margin` of `week`: the days it did not sell, when none of
 * those weeks is one it sold in (as the callers make sure).
 */
function absentDaysNear(profile: SeasonProfile, week: number, margin: number): number {
  let days = 0;
  profile.observedWeeks.forEach((w, i) => {
    if (weekDistance(w, week) <= margin) days += profile.observedDays[i] ?? 0;
  });
  return days;
}

/** The weeks the market traded in (after the product's first sale) nearest to `week`. */
function nearestObservedWeeks(profile: SeasonProfile, week: number): number[] {
  if (profile.observedWeeks.length === 0) return [];
  const nearest = Math.min(...profile.observedWeeks.map((w) => weekDistance(w, week)));
  return profile.observedWeeks.filter((w) => weekDistance(w, week) === nearest);
}

/**
 * Trading days in the weeks from `week` on, one step at a time (`step` +1: later in the year,
 * -1: earlier), up to the first week it ever sold in: the market traded there without it.
 */
function unsoldDaysOnward(profile: SeasonProfile, week: number, step: 1 | -1): number {
  const sold = new Set(profile.weeks);
  let days = 0;
  for (let i = 0, w = week; i < WEEKS && !sold.has(w); i += 1, w = (w + step + WEEKS) % WEEKS) {
    const k = profile.observedWeeks.indexOf(w);
    if (k >= 0) days += profile.observedDays[k] ?? 0;
  }
  return days;
}

/**
 * Sold within `marginWeeks` of `week` in some year, and the weeks between (those it never sold
 * in, up to the nearest it did) are no evidence that it was not there yet, or any more: a season
 * starts a week or two earlier in a warm year, but not before the weeks in which the market
 * traded year after year without it.
 */
function soldNear(profile: SeasonProfile, week: number, running: boolean): boolean {
  const near = nearWeeks(profile.weeks, week, SEASON_SETTINGS.marginWeeks);
  if (near.length === 0) return false;
  const nearest = Math.min(...near.map((w) => weekDistance(w, week)));
  // A season running this year (sold in the last weeks, the day close) may run past its usual end.
  if (nearest === 0 || running) return true;
  // Read at the rate it sold in those nearest weeks: an edge that sold one day in three (a
  // season tailing off, an occasional order) says little by missing a few.
  const rate = Math.max(
    ...near
      .filter((w) => weekDistance(w, week) === nearest)
      .map((w) => profile.weekRates[profile.weeks.indexOf(w)] ?? 0),
  );
  return !isEvidenceOfAbsence(
    { ...profile, sellRate: Math.min(rate, profile.sellRate) },
    absentDaysNear(profile, week, nearest - 1),
  );
}

/**
 * Whether the product's off-season lies between day `from` and day `to`: the market traded, in
 * the weeks of the year after `from`'s and before `to`'s, on days it never sold on in any year,
 * enough of them to be evidence of absence (as for a season's edge).
 */
function offSeasonBetween(profile: SeasonProfile, from: number, to: number): boolean {
  if (to - from >= 7 * WEEKS) return true;
  const sold = new Set(profile.weeks);
  const last = weekOfYear(to);
  let days = 0;
  for (let w = (weekOfYear(from) + 1) % WEEKS; w !== last; w = (w + 1) % WEEKS) {
    const i = profile.observedWeeks.indexOf(w);
    if (i >= 0 && !sold.has(w)) days += profile.observedDays[i] ?? 0;
  }
  return isEvidenceOfAbsence(profile, days);
}

/** What `seasonOf` decides for one product, market and date. */
export interface SeasonDecision extends ForecastAvailability {
  /**
   * At a season start: log1p of the typical sale in the same weeks of past years, which the
   * forecast follows instead of the level of last season's end.
   */
  readonly seasonStartLevel: number | null;
  /** In a running short season: the same weeks of past seasons at this season's pace. */
  readonly sameWeeks: SameWeeks | null;
  /**
   * At a season start or in a running short season: how often it sold nothing in the same weeks
   * of past seasons, which its chance of no sale follows (`noSaleDaysNear`); for a product new at
   * this market, at the vendor's markets where its season is starting.
   */
  readonly noSaleNear: NoSaleDays | null;
}

const monthOfWeek = (week: number): number =>
  Number(fromDayNumber(toDayNumber('2001-01-01') + week * 7 + 3).slice(5, 7));

/** Months (1-12) of the weeks it sold: "usually Jul-Sep". */
function usualMonthsOf(weeks: readonly number[]): number[] {
  return [...new Set(weeks.map(monthOfWeek))].sort((a, b) => a - b);
}

function ownerMonthsOn(setting: ProductSeasonSetting, date: string): boolean {
  const month = Number(date.slice(5, 7));
  if (setting.months?.includes(month)) return true;
  const monthDay = date.slice(5);
  return (setting.ranges ?? []).some(({ from, to }) =>
    from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to,
  );
}

/**
 * Whether a product is in season at a market on a date. The owner's setting decides when there
 * is one; else the profile of the product at this market (or, for a product new here, at the
 * vendor's other markets): in season when it sold within `marginWeeks` of that week in any year;
 * out of season when the market traded in that week after the product's first sale and it did
 * not sell, or when it stopped selling while the market kept trading; when this market has not
 * met the week, out where another market traded then without it and none sold it near then;
 * unknown (in) otherwise.
 */
export function seasonOf(options: {
  date: string;
  market: string;
  /** The product's profile at this market, and at the vendor's other markets. */
  here: SeasonProfile | undefined;
  elsewhere: readonly SeasonProfile[];
  setting: ProductSeasonSetting | undefined;
  /** Last day the model saw: "not sold for weeks" is judged up to it. */
  trainedThroughDay: number;
}): SeasonDecision {
  const { date, here, setting, trainedThroughDay } = options;
  const day = toDayNumber(date);
  const week = weekOfYear(day);
  const gap = SEASON_SETTINGS.seasonStartGapDays;
  const profiles = here ? [here] : options.elsewhere;
  const lastSoldOn = here && Number.isFinite(here.lastSold) ? fromDayNumber(here.lastSold) : null;
  const learnedMonths = usualMonthsOf([...new Set(profiles.flatMap((p) => p.weeks))]);
  const base = {
    lastSoldOn,
    seasonStartLevel: null,
    sameWeeks: null,
    noSaleNear: null,
    seasonStart: false,
  };
  if (setting?.excludedMarkets?.includes(options.market)) {
    return {
      ...base,
      inSeason: false,
      source: 'owner',
      usualMonths: setting.months ? [...setting.months].sort((a, b) => a - b) : [],
    };
  }
  if (setting?.mode === 'always') {
    return {
      ...base,
      inSeason: true,
      source: 'owner',
      usualMonths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    };
  }
  const seasonStart = (profile: SeasonProfile | undefined) => {
    if (!profile || profile.weeks.length >= WEEKS - 2 * SEASON_SETTINGS.marginWeeks) return null;
    // Off season when the model was trained (no sale in its last weeks) while the market traded
    // (a market's own winter break is no season of the product's), in season on the day; or, for
    // a list made weeks ahead, its off-season lies between the last sale and the day.
    const offAtTraining =
      trainedThroughDay - profile.lastSold >= gap &&
      profile.tradingDaysSinceLastSold >= SEASON_SETTINGS.minEvidenceDays;
    const offBefore =
      day - trainedThroughDay >= gap && offSeasonBetween(profile, profile.lastSold, day);
    if (!offAtTraining && !offBefore) return null;
    // The same weeks of past seasons, or (a week or two before its usual start) its first ones.
    const close = nearWeeks(profile.weeks, week, 1);
    const around = nearWeeks(profile.weeks, week, SEASON_SETTINGS.marginWeeks);
    const closest = Math.min(...around.map((w) => weekDistance(w, week)));
    const near = (
      close.length > 0 ? close : around.filter((w) => weekDistance(w, week) === closest)
    ).map((w) => profile.weeks.indexOf(w));
    if (near.length === 0) return null;
    let days = 0;
    for (const i of near) {
      days += profile.observedDays[profile.observedWeeks.indexOf(profile.weeks[i] ?? -1)] ?? 0;
    }
    if (days === 0) return null;
    return median(near.map((i) => profile.weekLevels[i] ?? 0));
  };
  // In season on the day: a season start, or the same weeks of a running short season.
  const inSeasonOn = (owner: boolean) => {
    if (!here) {
      // New at this market, its season starting at the vendor's others (strawberries on a new
      // market's first day in May): the chance of none of their same weeks, all of them counted.
      const starting = options.elsewhere.filter((p) => seasonStart(p) !== null);
      const counts = starting.map((p) => noSaleDaysNear(p, week, owner));
      return {
        noSaleNear:
          counts.length > 0
            ? {
                tradingDays: counts.reduce((sum, c) => sum + c.tradingDays, 0),
                noSaleDays: counts.reduce((sum, c) => sum + c.noSaleDays, 0),
              }
            : null,
      };
    }
    const seasonStartLevel = seasonStart(here);
    const sameWeeks =
      seasonStartLevel === null ? sameWeeksLevel(here, day, trainedThroughDay) : null;
    return {
      seasonStart: seasonStartLevel !== null,
      seasonStartLevel,
      sameWeeks,
      noSaleNear: seasonStartLevel !== null || sameWeeks ? noSaleDaysNear(here, week, owner) : null,
    };
  };
  if (setting?.mode === 'months') {
    const inSeason = ownerMonthsOn(setting, date);
    return {
      ...base,
      inSeason,
      source: 'owner',
      usualMonths: [...(setting.months ?? learnedMonths)].sort((a, b) => a - b),
      ...(inSeason ? inSeasonOn(true) : {}),
    };
  }
  if (profiles.length === 0) {
    return { ...base, inSeason: true, source: 'unknown', usualMonths: [] };
  }
  const learned = { ...base, source: 'learned' as const, usualMonths: learnedMonths };
  // Stopped: not sold for weeks while the market traded in weeks it used to sell in (its season
  // came and it was not brought), or at all when this week is outside its season.
  const stopped = (p: SeasonProfile, tradingDays: number) =>
    trainedThroughDay - p.lastSold >= SEASON_SETTINGS.stoppedAfterDays &&
    isEvidenceOfAbsence(p, tradingDays);
  // Only a product younger than a year can stop "in season": an older one's season is known
  // from its past years (a break in it, such as a lockdown, is not the end of its season).
  const stoppedInSeason = (p: SeasonProfile) =>
    trainedThroughDay - p.firstSold < SEASON_SETTINGS.yearDays &&
    trainedThroughDay - p.lastSold >= SEASON_SETTINGS.stoppedAfterDays &&
    p.tradingDaysSinceLastSold >= SEASON_SETTINGS.minEvidenceDays &&
    p.missLogSinceLastSold < Math.log(SEASON_SETTINGS.evidenceChance);
  if (profiles.every(stoppedInSeason)) return { ...learned, inSeason: false };
  const running = (p: SeasonProfile) =>
    trainedThroughDay - p.lastSold < gap && day - trainedThroughDay < gap;
  if (profiles.some((p) => soldNear(p, week, running(p)))) {
    return { ...learned, inSeason: true, ...inSeasonOn(false) };
  }
  const absent = profiles.every((p) =>
    isEvidenceOfAbsence(p, absentDaysNear(p, week, SEASON_SETTINGS.evidenceWeeks)),
  );
  if (absent || profiles.every((p) => stopped(p, p.tradingDaysSinceLastSold))) {
    return { ...learned, inSeason: false };
  }
  // A week this market never traded in, for a product whose seasons here are known (a year of
  // them): what the product did in the nearest weeks the market did trade decides (read from
  // there on, away from the planned week, up to its first sale that way). A spring-to-
  // autumn market's pumpkins sell until its last day in October, so nothing "stopped" them; on a
  // May 1 before its usual mid-May opening they are out, as in the market's first weeks of every
  // year, and salad greens sold from its first day are in.
  if (here && trainedThroughDay - here.firstSold >= SEASON_SETTINGS.yearDays) {
    const away = (w: number): 1 | -1 => ((w - week + WEEKS) % WEEKS <= WEEKS / 2 ? 1 : -1);
    const offThere = (w: number) =>
      !soldNear(here, w, false) && isEvidenceOfAbsence(here, unsoldDaysOnward(here, w, away(w)));
    const nearest = nearestObservedWeeks(here, week);
    if (nearest.length > 0 && nearest.every(offThere)) return { ...learned, inSeason: false };
  }
  // Not met at this time of year here (a market shut part of the year, a product newer than a
  // year, or one never sold here: a new market's first day): the product's season at the vendor's
  // other markets, where one traded then without it and none sold it near then (squash is out in
  // April at the spring market as in the city; pumpkin pie is out on a new market's first day in
  // May, though the summer market has not traded in May since its first pie).
  const others = options.elsewhere;
  const offElsewhere =
    others.some((p) =>
      isEvidenceOfAbsence(p, absentDaysNear(p, week, SEASON_SETTINGS.evidenceWeeks)),
    ) && !others.some((p) => soldNear(p, week, running(p)));
  if (offElsewhere) return { ...learned, inSeason: false };
  // No evidence either way.
  return { ...learned, source: 'unknown', inSeason: true };
}
