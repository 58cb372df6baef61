import type { SquareMappingBodySchema, SquareMappingSchema } from '@marketprep/contracts';
import type { z } from 'zod';

/** The mapping screen's data: Square's locations and variations beside markets and products. */
export type SquareMapping = z.infer<typeof SquareMappingSchema>;
/** What the screen sends on Save. */
export type SquareMappingBody = z.input<typeof SquareMappingBodySchema>;
type Location = SquareMapping['locations'][number];
type Variation = SquareMapping['variations'][number];

/**
 * The answer of one select: an existing market or product (`use:<id>`), a new one named after
 * the Square location or item (`create`), "not a market" / "don't track" (`ignore`), or nothing
 * chosen yet (`''`, locations only: a location is a market, a kitchen or a warehouse, and a wrong
 * guess would count or drop a whole stand's sales, so the owner answers it).
 */
export type MappingChoice = '' | 'create' | 'ignore' | `use:${string}`;

/** Choices of the whole screen, by location id and by variation id. */
export interface MappingChoices {
  locations: Record<string, MappingChoice>;
  variations: Record<string, MappingChoice>;
}

/** Field key of a location's or a variation's select (errors are keyed by it). */
export const locationKey = (locationId: string) => `location:${locationId}`;
export const variationKey = (variationId: string) => `variation:${variationId}`;

function initialLocation(location: Location): MappingChoice {
  if (location.marketId) return `use:${location.marketId}`;
  if (location.ignored) return 'ignore';
  if (location.suggestedMarketId) return `use:${location.suggestedMarketId}`;
  return '';
}

function initialVariation(variation: Variation): MappingChoice {
  if (variation.productId) return `use:${variation.productId}`;
  if (variation.ignored) return 'ignore';
  if (variation.suggestedProductId) return `use:${variation.suggestedProductId}`;
  // An item sold at the stall is almost always something to plan: a new product by default.
  return 'create';
}

/** The screen's starting answers: what is saved, else the suggestion, else a sensible default. */
export function initialChoices(mapping: SquareMapping): MappingChoices {
  return {
    locations: Object.fromEntries(mapping.locations.map((l) => [l.locationId, initialLocation(l)])),
    variations: Object.fromEntries(
      mapping.variations.map((v) => [v.variationId, initialVariation(v)]),
    ),
  };
}

/** Locations and variations with no answer saved yet (neither mapped nor ignored). */
export function countUnanswered(mapping: SquareMapping): { locations: number; variations: number } {
  return {
    locations: mapping.locations.filter((l) => !l.marketId && !l.ignored).length,
    variations: mapping.variations.filter((v) => !v.productId && !v.ignored).length,
  };
}

function entryFor(choice: MappingChoice, kind: 'market' | 'product') {
  const create = kind === 'market' ? 'createMarket' : 'createProduct';
  const id = kind === 'market' ? 'marketId' : 'productId';
  if (choice === 'create') return { [create]: true };
  if (choice === 'ignore') return { ignore: true };
  return { [id]: choice.slice('use:'.length) };
}

/**
 * The PUT body for the whole screen, or the field errors that stop it: a location with no answer,
 * two locations on one market, two items on one product (the API refuses those too).
 */
export function buildMappingBody(
  mapping: SquareMapping,
  choices: MappingChoices,
): { body: SquareMappingBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const marketNames = new Map(mapping.markets.map((m) => [m.id, m.name]));
  const productNames = new Map(mapping.products.map((p) => [p.id, p.name]));
  const marketTaken = new Map<string, string>();
  const productTaken = new Map<string, string>();
  const locations: SquareMappingBody['locations'] = [];
  const variations: SquareMappingBody['variations'] = [];
  for (const location of mapping.locations) {
    const choice = choices.locations[location.locationId] ?? initialLocation(location);
    const key = locationKey(location.locationId);
    if (choice === '') {
      errors[key] = 'Choose a market for this location, or mark it "Not a market".';
      continue;
    }
    if (choice.startsWith('use:')) {
      const id = choice.slice(4);
      const other = marketTaken.get(id);
      if (other) {
        errors[key] =
          `${marketNames.get(id) ?? 'That market'} is already chosen for the location “${other}”.`;
        continue;
      }
      marketTaken.set(id, location.name);
    }
    locations.push({ locationId: location.locationId, ...entryFor(choice, 'market') });
  }
  for (const variation of mapping.variations) {
    const choice = choices.variations[variation.variationId] ?? initialVariation(variation);
    const key = variationKey(variation.variationId);
    if (choice.startsWith('use:')) {
      const id = choice.slice(4);
      const other = productTaken.get(id);
      if (other) {
        errors[key] =
          `${productNames.get(id) ?? 'That product'} is already chosen for the item “${other}”.`;
        continue;
      }
      productTaken.set(id, variation.suggestedName);
    }
    variations.push({
      variationId: variation.variationId,
      ...entryFor(choice === '' ? 'create' : choice, 'product'),
    });
  }
  return { body: { locations, variations }, errors };
}

/**
 * The API's field errors (`locations.2.locationId`, `variations.0`) on the selects they belong
 * to, by the index in the body that was sent; the rest stay for the summary.
 */
export function errorsFromProblem(
  body: SquareMappingBody,
  problems: { path?: string | undefined; message: string }[],
): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const problem of problems) {
    const match = /^(locations|variations)\.(\d+)/.exec(problem.path ?? '');
    const index = Number(match?.[2]);
    const key =
      match?.[1] === 'locations'
        ? body.locations?.[index] && locationKey(body.locations[index].locationId)
        : match?.[1] === 'variations'
          ? body.variations?.[index] && variationKey(body.variations[index].variationId)
          : undefined;
    if (key) fields[key] = problem.message;
    else other.push(problem.message);
  }
  return { fields, other };
}
