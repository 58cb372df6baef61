import { GeoLookupResultSchema, ProblemSchema } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';

let h: Harness;
let owner: Agent;

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  owner = await h.signup();
});
afterAll(() => h.close());

const lookup = (agent: Agent | null, query: string) =>
  h.call(agent, 'GET', `/v1/geo/lookup?${query}`);

describe('GET /v1/geo/lookup', () => {
  it('answers a ZIP code and a town with coordinates and time zone', async () => {
    const zip = await lookup(owner, 'q=60614');
    expect(zip.statusCode).toBe(200);
    expect(GeoLookupResultSchema.parse(zip.json()).data).toEqual([
      {
        label: 'Chicago, IL 60614',
        city: 'Chicago',
        regionCode: 'IL',
        countryCode: 'US',
        zip: '60614',
        latitude: 41.9229,
        longitude: -87.6483,
        timezone: 'America/Chicago',
      },
    ]);
    const town = await lookup(owner, `q=${encodeURIComponent('Evanston, IL')}`);
    expect(GeoLookupResultSchema.parse(town.json()).data[0]).toMatchObject({
      label: 'Evanston, IL',
      timezone: 'America/Chicago',
    });
  });

  it('answers 200 with an empty list when nothing matches', async () => {
    const response = await lookup(owner, 'q=Xyzzyville');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: [], nextCursor: null });
  });

  it('answers 400 for a missing, short, long or odd query, and for an unknown parameter', async () => {
    for (const query of [
      '',
      'q=',
      'q=%20a%20',
      `q=${'a'.repeat(101)}`,
      `q=${encodeURIComponent('<script>')}`,
      `q=${encodeURIComponent('60614; DROP')}`,
      'q=60614&near=1',
    ]) {
      const response = await lookup(owner, query);
      expect(response.statusCode, query).toBe(400);
      expect(ProblemSchema.parse(response.json()).status).toBe(400);
    }
  });

  it('answers 401 to an anonymous caller', async () => {
    expect((await lookup(null, 'q=60614')).statusCode).toBe(401);
  });
});
