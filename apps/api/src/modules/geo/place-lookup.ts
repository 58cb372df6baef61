import type { GeoPlace } from '@marketprep/contracts';
import tzlookup from 'tz-lookup';
import zipcodes, { type ZipCode } from 'zipcodes';

/** The most places one lookup returns. */
export const MAX_PLACES = 8;

const ZIP_PATTERN = /^(\d{5})(?:-\d{4})?$/;

/** Lower case, single spaces, no dots; "St Louis" and "St. Louis" read as "saint louis". */
function canonicalPlace(name: string): string {
  return name
    .toLowerCase()
    .replace(/\./g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(st|ste|saint|sainte) /, 'saint ')
    .replace(/^(ft) /, 'fort ')
    .replace(/^(mt) /, 'mount ');
}

let byCity: Map<string, ZipCode[]> | null = null;

/** US ZIP codes by canonical city name, built on first use (about 42,000 entries). */
function cityIndex(): Map<string, ZipCode[]> {
  if (byCity) return byCity;
  const index = new Map<string, ZipCode[]>();
  for (const code of Object.values(zipcodes.codes)) {
    if (code.country !== 'US') continue;
    const key = canonicalPlace(code.city);
    const list = index.get(key);
    if (list) list.push(code);
    else index.set(key, [code]);
  }
  byCity = index;
  return index;
}

/** A two-letter state code for `text` ("IL", "il", "Illinois", "new york"), or null. */
function stateCode(text: string): string | null {
  const upper = text.trim().toUpperCase().replace(/\s+/g, ' ');
  if (upper in zipcodes.states.abbr) return upper;
  return zipcodes.states.full[upper] ?? null;
}

/** "Evanston, IL", "Evanston IL", "New York New York", "Evanston": city and optional state. */
function splitPlace(query: string): { city: string; state: string | null } {
  const comma = query.lastIndexOf(',');
  if (comma >= 0) {
    const after = query.slice(comma + 1).trim();
    // A state that is no US state ("Paris, France") matches no town: '?' is no state code.
    return { city: query.slice(0, comma), state: after === '' ? null : (stateCode(after) ?? '?') };
  }
  const words = query.split(/\s+/);
  // "New York" and "North Carolina" are two words; try them before one.
  for (const take of [2, 1]) {
    if (words.length <= take) continue;
    const state = stateCode(words.slice(-take).join(' '));
    if (state) return { city: words.slice(0, -take).join(' '), state };
  }
  return { city: query, state: null };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

function placeOf(codes: readonly ZipCode[], zip: string | null): GeoPlace | null {
  const first = codes[0];
  if (!first) return null;
  // A town with several ZIP codes: the median of them (one stray entry does not move it).
  const latitude = round4(median(codes.map((c) => c.latitude)));
  const longitude = round4(median(codes.map((c) => c.longitude)));
  let timezone: string;
  try {
    timezone = tzlookup(latitude, longitude);
  } catch {
    return null;
  }
  return {
    label: `${first.city}, ${first.state}${zip ? ` ${zip}` : ''}`,
    city: first.city,
    regionCode: first.state,
    countryCode: 'US',
    zip,
    latitude,
    longitude,
    timezone,
  };
}

/**
 * Finds a US ZIP code (`60614`, `60614-1234`) or a town (`Evanston, IL`, `Evanston Illinois`,
 * `Evanston`) in the bundled ZIP code dataset, offline: its latitude and longitude (a town's is the
 * median of its ZIP codes), state and time zone (from the coordinates). Several towns of that name
 * come biggest first (most ZIP codes); a name that matches no town exactly falls back to towns
 * starting with it. At most {@link MAX_PLACES}; none found is an empty list.
 */
export function lookupPlaces(query: string): GeoPlace[] {
  const text = query.trim().replace(/\s+/g, ' ');
  const zip = ZIP_PATTERN.exec(text)?.[1];
  if (zip !== undefined) {
    const code = zipcodes.lookup(zip);
    const place = code && code.country === 'US' ? placeOf([code], code.zip) : null;
    return place ? [place] : [];
  }
  const { city, state } = splitPlace(text);
  const wanted = canonicalPlace(city);
  if (wanted === '') return [];
  const index = cityIndex();
  let matches = (index.get(wanted) ?? []).filter((c) => state === null || c.state === state);
  if (matches.length === 0) {
    matches = [...index]
      .filter(([name]) => name.startsWith(wanted))
      .flatMap(([, codes]) => codes)
      .filter((c) => state === null || c.state === state);
  }
  const towns = new Map<string, ZipCode[]>();
  for (const code of matches) {
    const key = `${canonicalPlace(code.city)}|${code.state}`;
    towns.set(key, [...(towns.get(key) ?? []), code]);
  }
  return [...towns.values()]
    .sort((a, b) => b.length - a.length || (a[0]?.state ?? '').localeCompare(b[0]?.state ?? ''))
    .slice(0, MAX_PLACES)
    .map((codes) => placeOf(codes, null))
    .filter((place): place is GeoPlace => place !== null);
}
