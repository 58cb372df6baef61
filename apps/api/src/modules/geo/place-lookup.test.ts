import { describe, expect, it } from 'vitest';
import { lookupPlaces, MAX_PLACES } from './place-lookup';

describe('lookupPlaces', () => {
  it('finds a ZIP code (with or without +4) with its state and time zone', () => {
    const chicago = {
      label: 'Chicago, IL 60614',
      city: 'Chicago',
      regionCode: 'IL',
      countryCode: 'US',
      zip: '60614',
      latitude: 41.9229,
      longitude: -87.6483,
      timezone: 'America/Chicago',
    };
    expect(lookupPlaces('60614')).toEqual([chicago]);
    expect(lookupPlaces(' 60614-1234 ')).toEqual([chicago]);
    expect(lookupPlaces('96813')[0]).toMatchObject({
      city: 'Honolulu',
      timezone: 'Pacific/Honolulu',
    });
    expect(lookupPlaces('85004')[0]).toMatchObject({
      regionCode: 'AZ',
      timezone: 'America/Phoenix',
    });
  });

  it('finds nothing for a ZIP code that does not exist', () => {
    expect(lookupPlaces('00000')).toEqual([]);
  });

  it('reads a town with its state written several ways', () => {
    for (const query of [
      'Evanston, IL',
      'evanston il',
      'Evanston Illinois',
      'Evanston,  illinois',
    ]) {
      const places = lookupPlaces(query);
      expect(places).toHaveLength(1);
      expect(places[0]).toMatchObject({
        label: 'Evanston, IL',
        regionCode: 'IL',
        zip: null,
        timezone: 'America/Chicago',
      });
      expect(places[0]?.latitude).toBeCloseTo(42.05, 1);
      expect(places[0]?.longitude).toBeCloseTo(-87.69, 1);
    }
  });

  it('takes the median of a big town’s ZIP codes and reads two-word states and "St."', () => {
    const [newYork] = lookupPlaces('New York New York');
    expect(newYork).toMatchObject({ label: 'New York, NY', timezone: 'America/New_York' });
    expect(newYork?.latitude).toBeCloseTo(40.76, 1);
    expect(newYork?.longitude).toBeCloseTo(-73.98, 1);
    expect(lookupPlaces('St. Louis, MO')[0]).toMatchObject({
      city: 'Saint Louis',
      regionCode: 'MO',
    });
  });

  it('lists the towns of one name biggest first, at most eight, each in its own zone', () => {
    const places = lookupPlaces('Springfield');
    expect(places).toHaveLength(MAX_PLACES);
    expect(places[0]).toMatchObject({ label: 'Springfield, IL' });
    expect(new Set(places.map((p) => p.regionCode)).size).toBe(MAX_PLACES);
    expect(places.find((p) => p.regionCode === 'MA')?.timezone).toBe('America/New_York');
  });

  it('falls back to towns starting with the text, and finds nothing for nonsense', () => {
    const labels = lookupPlaces('Evansto').map((p) => p.label);
    expect(labels).toContain('Evanston, IL');
    expect(labels).toContain('Evanston, WY');
    expect(lookupPlaces('Xyzzyville')).toEqual([]);
    expect(lookupPlaces('Evanston, Atlantis')).toEqual([]);
  });
});
