import type { WeatherEffects } from '@marketprep/contracts';

/**
 * Fewer rainy (or dry) market days than this say more about those days than about rain: a new
 * product with 2 rainy days read "−81% on rainy days" at the top of the chart.
 */
export const MIN_WEATHER_DAYS = 5;

type WeatherRow = WeatherEffects['data'][number];

/**
 * The products the rain chart draws, most hurt by rain first, each compared on enough rainy and
 * dry days; and those with a rain effect on too few days yet, named apart.
 */
export function rainEffectRows(rows: readonly WeatherRow[]): {
  shown: WeatherRow[];
  tooFew: WeatherRow[];
} {
  const measured = rows.filter((row) => row.rainEffect !== null);
  const enough = (row: WeatherRow) =>
    row.rainy.days >= MIN_WEATHER_DAYS && row.dry.days >= MIN_WEATHER_DAYS;
  return {
    shown: measured.filter(enough).sort((a, b) => (a.rainEffect ?? 0) - (b.rainEffect ?? 0)),
    tooFew: measured.filter((row) => !enough(row)),
  };
}
