import { dayOfYear, weekdayOfDay } from './calendar-dates';
import { dateFlagsOn } from './date-flags';
import type { MarketDayCovariates } from './types';

/**
 * The calendar flag of public holidays. Such a day is a kind of its own, like a Sunday whatever
 * its weekday (shops keep Sunday hours, people are off): its effect replaces the weekday's.
 */
export const PUBLIC_HOLIDAY_FLAG = 'is_holiday';

/** The calendar flag that marks a market as closed: no demand to forecast that day. */
export const CLOSED_FLAG = 'is_closed';

const FOURIER_ORDER = 3;
const Z_CLIP = 4;

/** How one numeric weather column becomes features: transform, then standardise. */
export interface WeatherColumnSpec {
  readonly name: string;
  /** `log1p` for skewed non-negative columns such as precipitation. */
  readonly transform: 'identity' | 'log1p';
  readonly mean: number;
  readonly sd: number;
  /**
   * Columns that stand in for this one when a day lacks it, most correlated first (standardised
   * values; `correlation` on the training days that had both). A forecast that gives the chance
   * of rain but no amount (NWS) would otherwise read as an average amount beside a high chance:
   * a pairing no past day had, which credits the chance with the rain's effect reversed.
   */
  readonly standIns?: readonly { readonly name: string; readonly correlation: number }[];
}

/** A column stands in for another only when they move together at least this much. */
const MIN_STAND_IN_CORRELATION = 0.3;
/** Days with both columns needed to trust their correlation. */
const MIN_STAND_IN_DAYS = 20;

/** Groups of feature columns, each one named effect of an explanation. */
export type FeatureGroup = 'weekday-season' | 'weather' | 'holiday' | 'event';

/** The layout of the feature vector, learned from the training covariates (plain JSON). */
export interface FeatureSpec {
  readonly weather: readonly WeatherColumnSpec[];
  readonly flags: readonly string[];
  readonly attendanceMean: number;
  readonly attendanceSd: number;
  /** Group of each feature column, in column order. */
  readonly groups: readonly FeatureGroup[];
  /**
   * Whether the day-of-year terms are used. False when the history spans less than a year: a
   * season seen in part cannot be told apart from a trend and extrapolates wildly.
   */
  readonly season?: boolean;
  /** Flags that make a day a kind of its own (`PUBLIC_HOLIDAY_FLAG`): no weekday effect. */
  readonly dayTypeFlags?: readonly string[];
  /**
   * Whether each weekday has its own yearly wave (the first harmonic): a Sunday can be 1.1 x a
   * weekday in August and 1.6 x in February. Chosen per vendor by validation (`withWeekdaySeason`).
   */
  readonly weekdaySeason?: boolean;
}

/** Columns of the weekday x season interaction: each weekday's sine and cosine of the year. */
const WEEKDAY_SEASON_COLUMNS = 14;

/** The spec with the weekday x season interaction, its columns after the day-of-year terms. */
export function withWeekdaySeason(spec: FeatureSpec): FeatureSpec {
  const calendarColumns = 7 + 2 * FOURIER_ORDER;
  return {
    ...spec,
    weekdaySeason: true,
    groups: [
      ...spec.groups.slice(0, calendarColumns),
      ...Array<FeatureGroup>(WEEKDAY_SEASON_COLUMNS).fill('weekday-season'),
      ...spec.groups.slice(calendarColumns),
    ],
  };
}

/** History needed before the day-of-year terms are used, in days. */
export const SEASON_MIN_SPAN_DAYS = 365;

/** Looks up covariates by market and date. */
export type CovariateIndex = ReadonlyMap<string, MarketDayCovariates>;

/** Key of a market day in a `CovariateIndex`. */
export function marketDayKey(market: string, date: string): string {
  return `${market}\u0000${date}`;
}

/** Indexes covariates by market day; later entries for the same market day are merged in. */
export function indexCovariates(covariates: readonly MarketDayCovariates[]): CovariateIndex {
  const index = new Map<string, MarketDayCovariates>();
  for (const row of covariates) {
    const key = marketDayKey(row.market, row.date);
    const previous = index.get(key);
    index.set(
      key,
      previous
        ? {
            date: row.date,
            market: row.market,
            weather: { ...previous.weather, ...row.weather },
            flags: { ...previous.flags, ...row.flags },
            events: [...(previous.events ?? []), ...(row.events ?? [])],
          }
        : row,
    );
  }
  return index;
}

function transformValue(value: number, transform: WeatherColumnSpec['transform']): number {
  return transform === 'log1p' ? Math.log1p(Math.max(value, 0)) : value;
}

/**
 * Learns the feature layout from the covariates of the training market days; `dateFlags` are the
 * flags derived from dates (`learnDateFlags`), after the calendar's own.
 */
export function buildFeatureSpec(
  covariates: Iterable<MarketDayCovariates>,
  dateFlags: readonly string[] = [],
): FeatureSpec {
  const weatherValues = new Map<string, number[]>();
  const weatherRows: Readonly<Record<string, number>>[] = [];
  const flagNames = new Set<string>();
  const attendances: number[] = [];
  for (const row of covariates) {
    if (row.weather) weatherRows.push(row.weather);
    for (const [name, value] of Object.entries(row.weather ?? {})) {
      if (!Number.isFinite(value)) continue;
      let list = weatherValues.get(name);
      if (!list) weatherValues.set(name, (list = []));
      list.push(value);
    }
    for (const name of Object.keys(row.flags ?? {})) if (name !== CLOSED_FLAG) flagNames.add(name);
    for (const event of row.events ?? []) {
      if (event.attendance !== undefined && Number.isFinite(event.attendance)) {
        attendances.push(Math.log1p(Math.max(event.attendance, 0)));
      }
    }
  }
  const weather: WeatherColumnSpec[] = [];
  for (const name of [...weatherValues.keys()].sort()) {
    const values = weatherValues.get(name) ?? [];
    if (values.length < 2) continue;
    const transform = isSkewedNonNegative(values) ? 'log1p' : 'identity';
    const transformed = values.map((value) => transformValue(value, transform));
    const { mean, sd } = meanAndSd(transformed);
    if (sd <= 1e-9) continue;
    weather.push({ name, transform, mean, sd });
  }
  addStandIns(weather, weatherRows);
  const flags = [...[...flagNames].sort(), ...dateFlags];
  const attendanceStats = attendances.length >= 2 ? meanAndSd(attendances) : { mean: 0, sd: 0 };
  const groups: FeatureGroup[] = [
    ...Array<FeatureGroup>(7 + 2 * FOURIER_ORDER).fill('weekday-season'),
    ...Array<FeatureGroup>(2 * weather.length).fill('weather'),
    ...Array<FeatureGroup>(flags.length).fill('holiday'),
    'event',
    'event',
  ];
  return {
    weather,
    flags,
    attendanceMean: attendanceStats.mean,
    attendanceSd: attendanceStats.sd,
    groups,
  };
}

/** Standardised value of one weather column, or undefined when the day lacks it. */
function zOf(column: WeatherColumnSpec, row: Readonly<Record<string, number>> | undefined) {
  const raw = row?.[column.name];
  if (raw === undefined || !Number.isFinite(raw)) return undefined;
  const z = (transformValue(raw, column.transform) - column.mean) / column.sd;
  return Math.min(Math.max(z, -Z_CLIP), Z_CLIP);
}

/** Fills each column's {@link WeatherColumnSpec.standIns} from the training days (in place). */
function addStandIns(
  columns: WeatherColumnSpec[],
  rows: readonly Readonly<Record<string, number>>[],
): void {
  columns.forEach((column, i) => {
    const standIns = columns
      .filter((other) => other !== column)
      .map((other) => {
        let n = 0;
        let xy = 0;
        let xx = 0;
        let yy = 0;
        let x1 = 0;
        let y1 = 0;
        for (const row of rows) {
          const x = zOf(other, row);
          const y = zOf(column, row);
          if (x === undefined || y === undefined) continue;
          n++;
          x1 += x;
          y1 += y;
          xy += x * y;
          xx += x * x;
          yy += y * y;
        }
        const cov = xy / n - (x1 / n) * (y1 / n);
        const varX = xx / n - (x1 / n) ** 2;
        const varY = yy / n - (y1 / n) ** 2;
        const correlation =
          n >= MIN_STAND_IN_DAYS && varX > 1e-9 && varY > 1e-9 ? cov / Math.sqrt(varX * varY) : 0;
        return { name: other.name, correlation: Math.round(correlation * 1000) / 1000 };
      })
      .filter((standIn) => Math.abs(standIn.correlation) >= MIN_STAND_IN_CORRELATION)
      .sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation));
    if (standIns.length > 0) columns[i] = { ...column, standIns };
  });
}

/**
 * A day's standardised value of `column` and its centred square: its own, else the expectation
 * given the first stand-in the day has (for standardised, roughly normal columns: z = r x z', and
 * E[z^2] = r^2 z'^2 + 1 - r^2), else the average (0, 0).
 */
function weatherTerms(
  spec: FeatureSpec,
  column: WeatherColumnSpec,
  row: Readonly<Record<string, number>> | undefined,
): [number, number] {
  const own = zOf(column, row);
  if (own !== undefined) return [own, (own * own - 1) / Math.SQRT2];
  for (const standIn of column.standIns ?? []) {
    const other = spec.weather.find((c) => c.name === standIn.name);
    const z = other ? zOf(other, row) : undefined;
    if (z === undefined) continue;
    const r = standIn.correlation;
    return [r * z, (r * r * (z * z - 1)) / Math.SQRT2];
  }
  return [0, 0];
}

/** Skewed, non-negative columns (rain amounts) are modelled on a log scale. */
function isSkewedNonNegative(values: readonly number[]): boolean {
  if (values.some((value) => value < 0)) return false;
  const { mean, sd } = meanAndSd(values);
  if (sd <= 0) return false;
  let third = 0;
  for (const value of values) third += ((value - mean) / sd) ** 3;
  return third / values.length > 2;
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, sd: Math.sqrt(squares / Math.max(values.length - 1, 1)) };
}

/** Where each block of the feature vector starts. */
export function featureOffsets(spec: FeatureSpec): {
  weather: number;
  flags: number;
  events: number;
} {
  const weather =
    7 + 2 * FOURIER_ORDER + (spec.weekdaySeason === true ? WEEKDAY_SEASON_COLUMNS : 0);
  const flags = weather + 2 * spec.weather.length;
  return { weather, flags, events: flags + spec.flags.length };
}

/** Number of feature columns of a spec. */
export function featureCount(spec: FeatureSpec): number {
  return spec.groups.length;
}

/** The calendar flags set on a market day, other than the closed flag. */
export function activeFlags(covariates: MarketDayCovariates | undefined): string[] {
  return Object.entries(covariates?.flags ?? {})
    .filter(([name, on]) => on && name !== CLOSED_FLAG)
    .map(([name]) => name)
    .sort();
}

/** The calendar flags set on a market day and the spec's date-derived flags of that day. */
export function dayFlags(
  spec: FeatureSpec,
  dayNumber: number,
  covariates: MarketDayCovariates | undefined,
): string[] {
  const derived = dateFlagsOn(dayNumber, spec.flags);
  const given = activeFlags(covariates);
  return derived.length > 0 ? [...given, ...derived] : given;
}

/** Whether the calendar says the market is closed that day. */
export function isClosedDay(covariates: MarketDayCovariates | undefined): boolean {
  return covariates?.flags?.[CLOSED_FLAG] === true;
}

/**
 * Writes the feature vector of one market day into `target` at `offset`: weekday one-hot,
 * day-of-year Fourier terms, each weekday's own yearly wave (when the spec has it), standardised weather (linear and centred square; missing = average),
 * calendar flags, event presence and standardised log attendance.
 */
export function writeFeatures(
  spec: FeatureSpec,
  dayNumber: number,
  covariates: MarketDayCovariates | undefined,
  target: Float64Array,
  offset: number,
): void {
  let column = offset;
  const weekday = weekdayOfDay(dayNumber);
  const ownKind = spec.dayTypeFlags?.some((flag) => covariates?.flags?.[flag] === true) === true;
  for (let day = 0; day < 7; day++) target[column++] = !ownKind && day === weekday ? 1 : 0;
  const angle = (2 * Math.PI * (dayOfYear(dayNumber) - 1)) / 365.25;
  const season = spec.season !== false;
  for (let order = 1; order <= FOURIER_ORDER; order++) {
    target[column++] = season ? Math.sin(order * angle) : 0;
    target[column++] = season ? Math.cos(order * angle) : 0;
  }
  if (spec.weekdaySeason === true) {
    for (let day = 0; day < 7; day++) {
      const on = season && !ownKind && day === weekday;
      target[column++] = on ? Math.sin(angle) : 0;
      target[column++] = on ? Math.cos(angle) : 0;
    }
  }
  for (const weather of spec.weather) {
    const [z, square] = weatherTerms(spec, weather, covariates?.weather);
    target[column++] = z;
    target[column++] = square;
  }
  const derived = dateFlagsOn(dayNumber, spec.flags);
  for (const flag of spec.flags) {
    target[column++] = covariates?.flags?.[flag] === true || derived.includes(flag) ? 1 : 0;
  }
  const events = covariates?.events ?? [];
  target[column++] = events.length > 0 ? 1 : 0;
  // The biggest event of the day counts; an event without attendance counts as an average one.
  let attendanceZ = Number.NEGATIVE_INFINITY;
  if (spec.attendanceSd > 0) {
    for (const event of events) {
      if (event.attendance === undefined || !Number.isFinite(event.attendance)) continue;
      const z =
        (Math.log1p(Math.max(event.attendance, 0)) - spec.attendanceMean) / spec.attendanceSd;
      attendanceZ = Math.max(attendanceZ, Math.min(Math.max(z, -Z_CLIP), Z_CLIP));
    }
  }
  target[column++] = Number.isFinite(attendanceZ) ? attendanceZ : 0;
}
