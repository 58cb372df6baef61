import type { DemandWeatherRow } from '@marketprep/db';

/**
 * The week plan's rain plan (issue 19): what changes if the forecast's rain comes true. The
 * rainy outcome is the forecast's own weather with the rain made certain (the prep list's engine
 * then forecasts that day again), not a factor of ours.
 */

/** A forecast chance of rain from which the rain plan is shown (below it the day counts as dry). */
export const RAIN_PLAN_MIN_PROB = 0.3;
/**
 * Rain of at least this many mm makes a day rainy (the insights' rainy-day threshold); also the
 * least amount a rain plan rains.
 */
export const RAIN_PLAN_MIN_MM = 1;

/** The rain a market day's forecast holds, as shown beside the rain plan. */
export interface RainForecast {
  /** Chance of rain, 0-1 (null when the provider gives none). */
  precipProb: number | null;
  /** Rain forecast, mm (null when the provider gives none). */
  precipMm: number | null;
}

/**
 * The rain of a FORECAST weather row when rain is forecast (a chance of at least
 * {@link RAIN_PLAN_MIN_PROB}, or at least {@link RAIN_PLAN_MIN_MM} mm); null for a dry forecast,
 * no weather, or an observed day (its weather is known, there is nothing to plan for).
 */
export function rainForecastOf(weather: DemandWeatherRow | undefined): RainForecast | null {
  if (!weather || weather.kind !== 'FORECAST') return null;
  const prob = weather.precipProb;
  const mm = weather.precipMm;
  const rainy =
    (prob !== null && prob >= RAIN_PLAN_MIN_PROB) || (mm !== null && mm >= RAIN_PLAN_MIN_MM);
  return rainy ? { precipProb: prob, precipMm: mm } : null;
}

/**
 * The forecast's weather with its rain come true: chance 1 and the amount expected if it rains;
 * every other column as forecast. Null when no rain is forecast.
 *
 * A forecast's amount is an expectation over wet and dry outcomes (1.1 mm at a 28% chance is
 * about 4 mm if it rains), so the wet amount is the forecast's amount over its chance (at least
 * {@link RAIN_PLAN_MIN_MM}). A forecast with a chance but no amount (NWS) leaves the amount
 * unknown, and the engine reads it from the chance as its training days paired them
 * (`standIns` in packages/forecast/src/features.ts): chance 1 beside a drizzle's millimetres
 * is a day no history had, and the demo's model then said rain sells more.
 */
export function rainyWeatherOf(weather: DemandWeatherRow | undefined): DemandWeatherRow | null {
  if (!weather || !rainForecastOf(weather)) return null;
  const mm = weather.precipMm;
  const prob = weather.precipProb;
  const ifItRains =
    mm === null || mm <= 0
      ? null
      : Math.round(Math.max(prob !== null && prob > 0 ? mm / prob : mm, RAIN_PLAN_MIN_MM) * 10) /
        10;
  return { ...weather, precipProb: 1, precipMm: ifItRains };
}
