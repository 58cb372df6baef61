import type { WeatherEffects } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { rainEffectRows } from './weather-rows';

function row(productName: string, rainy: number, dry: number, rainEffect: number | null) {
  return {
    productId: productName,
    productName,
    rainy: { days: rainy, meanUnits: 1 },
    dry: { days: dry, meanUnits: 1 },
    hot: { days: 0, meanUnits: null },
    mild: { days: 0, meanUnits: null },
    rainEffect,
    heatEffect: null,
  } satisfies WeatherEffects['data'][number];
}

describe('rainEffectRows', () => {
  it('charts products compared on enough rainy and dry days, most hurt first', () => {
    const { shown, tooFew } = rainEffectRows([
      row('Country Sourdough', 55, 91, -0.24),
      row('Hot Honey', 2, 7, -0.81),
      row('Tulips', 11, 4, -0.57),
      row('Seeded Rye', 55, 91, -0.36),
      row('Jam', 0, 0, null),
    ]);
    expect(shown.map((r) => r.productName)).toEqual(['Seeded Rye', 'Country Sourdough']);
    // A new product's two rainy days, or four dry ones, are named apart, not drawn.
    expect(tooFew.map((r) => r.productName)).toEqual(['Hot Honey', 'Tulips']);
  });
});
