/**
 * Daily weather for one local date, in the units the `weather` table stores (one field per column).
 * Any value a provider does not give is null.
 */
export interface WeatherValues {
  tempMaxC: number | null;
  tempMinC: number | null;
  tempMeanC: number | null;
  precipMm: number | null;
  /** Chance of precipitation, 0..1. */
  precipProb: number | null;
  sunshineHours: number | null;
  /** Maximum wind speed, km/h. */
  windKph: number | null;
  cloudCoverPct: number | null;
  humidityPct: number | null;
  summary: string | null;
}

/** One provider's values for one market-local date (`YYYY-MM-DD`). */
export interface DailyWeather {
  date: string;
  values: WeatherValues;
}

/** Where a weather value came from. */
export type WeatherSource = 'nws' | 'open-meteo' | 'climatology' | 'demo';

/** A WeatherValues with every field null. */
export function emptyWeatherValues(): WeatherValues {
  return {
    tempMaxC: null,
    tempMinC: null,
    tempMeanC: null,
    precipMm: null,
    precipProb: null,
    sunshineHours: null,
    windKph: null,
    cloudCoverPct: null,
    humidityPct: null,
    summary: null,
  };
}

/** Rounds to `digits` decimals, passing null through. */
export function roundOrNull(value: number | null | undefined, digits = 1): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** °F to °C, one decimal. */
export function fahrenheitToCelsius(value: number): number {
  return Math.round(((value - 32) * 5 * 10) / 9) / 10;
}

/** The calendar date of `instant` in `timeZone`, `YYYY-MM-DD`. */
export function localDateOf(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
