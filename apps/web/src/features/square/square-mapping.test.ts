import { describe, expect, it } from 'vitest';
import {
  buildMappingBody,
  countUnanswered,
  errorsFromProblem,
  initialChoices,
  type SquareMapping,
} from './square-mapping';

const RIVERSIDE = '00000000-0000-4000-8000-000000000001';
const MAPLEWOOD = '00000000-0000-4000-8000-000000000002';
const SOURDOUGH = '00000000-0000-4000-8000-000000000011';

const location = (over: Partial<SquareMapping['locations'][number]>) => ({
  locationId: 'L1',
  name: 'Riverside Saturday Market',
  timezone: 'America/Chicago',
  marketId: null,
  suggestedMarketId: null,
  ignored: false,
  ...over,
});
const variation = (over: Partial<SquareMapping['variations'][number]>) => ({
  variationId: 'V1',
  itemName: 'Country Sourdough',
  variationName: 'Regular',
  suggestedName: 'Country Sourdough',
  priceMinor: 900,
  productId: null,
  suggestedProductId: null,
  ignored: false,
  ...over,
});
const mapping: SquareMapping = {
  locations: [
    location({ locationId: 'LRIV', suggestedMarketId: RIVERSIDE }),
    location({ locationId: 'LMAP', name: 'Maplewood Sunday Market', marketId: MAPLEWOOD }),
    location({ locationId: 'LKIT', name: 'Kitchen (pickup)' }),
    location({ locationId: 'LOLD', name: 'Old warehouse', ignored: true }),
  ],
  variations: [
    variation({ variationId: 'VSD', suggestedProductId: SOURDOUGH }),
    variation({ variationId: 'VTOTE', itemName: 'Tote', suggestedName: 'Tote' }),
    variation({ variationId: 'VGONE', itemName: 'Gift card', ignored: true }),
  ],
  markets: [
    { id: RIVERSIDE, name: 'Riverside Saturday Market' },
    { id: MAPLEWOOD, name: 'Maplewood Sunday Market' },
  ],
  products: [{ id: SOURDOUGH, name: 'Country Sourdough' }],
};

describe('Square mapping screen', () => {
  it('starts from what is saved, then the suggestion; an unknown location has no answer', () => {
    expect(initialChoices(mapping)).toEqual({
      locations: { LRIV: `use:${RIVERSIDE}`, LMAP: `use:${MAPLEWOOD}`, LKIT: '', LOLD: 'ignore' },
      variations: { VSD: `use:${SOURDOUGH}`, VTOTE: 'create', VGONE: 'ignore' },
    });
    expect(countUnanswered(mapping)).toEqual({ locations: 2, variations: 2 });
  });

  it('asks for a location with no answer and refuses one market for two locations', () => {
    const choices = initialChoices(mapping);
    expect(buildMappingBody(mapping, choices).errors).toEqual({
      'location:LKIT': 'Choose a market for this location, or mark it "Not a market".',
    });
    choices.locations.LKIT = `use:${RIVERSIDE}`;
    expect(buildMappingBody(mapping, choices).errors).toEqual({
      'location:LKIT':
        'Riverside Saturday Market is already chosen for the location “Riverside Saturday Market”.',
    });
  });

  it('sends every answer of the screen in one body', () => {
    const choices = initialChoices(mapping);
    choices.locations.LKIT = 'ignore';
    choices.locations.LOLD = 'create';
    choices.variations.VTOTE = 'ignore';
    const { body, errors } = buildMappingBody(mapping, choices);
    expect(errors).toEqual({});
    expect(body).toEqual({
      locations: [
        { locationId: 'LRIV', marketId: RIVERSIDE },
        { locationId: 'LMAP', marketId: MAPLEWOOD },
        { locationId: 'LKIT', ignore: true },
        { locationId: 'LOLD', createMarket: true },
      ],
      variations: [
        { variationId: 'VSD', productId: SOURDOUGH },
        { variationId: 'VTOTE', ignore: true },
        { variationId: 'VGONE', ignore: true },
      ],
    });
  });

  it("puts the API's field errors on their selects", () => {
    const { body } = buildMappingBody(mapping, {
      ...initialChoices(mapping),
      locations: { LKIT: 'ignore' },
    });
    expect(
      errorsFromProblem(body, [
        { path: 'locations.2.locationId', message: 'Not a location of this Square account' },
        { path: 'variations.1', message: 'Listed twice' },
        { path: 'variations', message: 'Two variations cannot map to the same product' },
      ]),
    ).toEqual({
      fields: {
        'location:LKIT': 'Not a location of this Square account',
        'variation:VTOTE': 'Listed twice',
      },
      other: ['Two variations cannot map to the same product'],
    });
  });
});
