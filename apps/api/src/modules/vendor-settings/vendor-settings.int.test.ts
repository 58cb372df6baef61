import { withTenant } from '@marketprep/db';
import { VendorSettingsSchema } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs } from '../markets/catalog-test-helpers';

let h: Harness;
let owner: Agent;
let staff: Agent;
let stranger: Agent;

async function storedUnit(vendorId: string): Promise<string | undefined> {
  const rows = await h.db.adminQuery<{ temperature_unit: string }>(
    'SELECT temperature_unit FROM vendors WHERE id = $1',
    [vendorId],
  );
  return rows[0]?.temperature_unit;
}

async function settingsOf(agent: Agent) {
  const response = await h.call(agent, 'GET', '/v1/vendor/settings');
  expect(response.statusCode, response.body).toBe(200);
  return VendorSettingsSchema.parse(response.json());
}

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  owner = await h.signup({ vendorName: 'Thermo Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Thermo Farm' });
});
afterAll(() => h.close());

describe('vendor settings', () => {
  it('starts at automatic (by market country) for a new business', async () => {
    expect(await settingsOf(owner)).toEqual({ temperatureUnit: 'auto' });
    expect(await settingsOf(staff)).toEqual({ temperatureUnit: 'auto' });
    expect(await storedUnit(owner.vendorId!)).toBe('AUTO');
  });

  it('lets the owner pin °C and °F, stores it, audits it, and leaves other businesses alone', async () => {
    const celsius = await h.call(owner, 'PATCH', '/v1/vendor/settings', {
      temperatureUnit: 'celsius',
    });
    expect(celsius.statusCode, celsius.body).toBe(200);
    expect(celsius.json()).toEqual({ temperatureUnit: 'celsius' });
    expect(await storedUnit(owner.vendorId!)).toBe('CELSIUS');
    expect(await settingsOf(staff)).toEqual({ temperatureUnit: 'celsius' });

    const fahrenheit = await h.call(owner, 'PATCH', '/v1/vendor/settings', {
      temperatureUnit: 'fahrenheit',
    });
    expect(fahrenheit.json()).toEqual({ temperatureUnit: 'fahrenheit' });
    expect(await storedUnit(owner.vendorId!)).toBe('FAHRENHEIT');

    expect(await settingsOf(stranger)).toEqual({ temperatureUnit: 'auto' });
    expect(await storedUnit(stranger.vendorId!)).toBe('AUTO');

    const audit = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.auditLog.findMany({
        where: { action: 'vendor.settings_updated' },
        orderBy: { id: 'asc' },
        select: { actorUserId: true, targetId: true, metadata: true },
      }),
    );
    expect(audit).toEqual([
      {
        actorUserId: owner.userId,
        targetId: owner.vendorId,
        metadata: { temperatureUnit: { from: 'auto', to: 'celsius' } },
      },
      {
        actorUserId: owner.userId,
        targetId: owner.vendorId,
        metadata: { temperatureUnit: { from: 'celsius', to: 'fahrenheit' } },
      },
    ]);

    // Setting the same value again is a 200 that records nothing new.
    await h.call(owner, 'PATCH', '/v1/vendor/settings', { temperatureUnit: 'fahrenheit' });
    const count = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.auditLog.count({ where: { action: 'vendor.settings_updated' } }),
    );
    expect(count).toBe(2);
  });

  it.each([
    ['an unknown unit', { temperatureUnit: 'kelvin' }],
    ['a unit in capitals', { temperatureUnit: 'CELSIUS' }],
    ['null', { temperatureUnit: null }],
    ['an empty body', {}],
    ['an unknown field', { temperatureUnit: 'celsius', currency: 'EUR' }],
  ])('answers 400 to %s and changes nothing', async (_label, body) => {
    const before = await storedUnit(owner.vendorId!);
    const response = await h.call(owner, 'PATCH', '/v1/vendor/settings', body);
    expectProblem(response, 400);
    expect(await storedUnit(owner.vendorId!)).toBe(before);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const before = await storedUnit(owner.vendorId!);
    const response = await h.call(owner, 'PATCH', '/v1/vendor/settings', 'celsius', {
      'content-type': 'application/json',
    });
    expectProblem(response, 400);
    expect(await storedUnit(owner.vendorId!)).toBe(before);
  });

  it('lets staff read but not change it (403), and needs a sign-in (401)', async () => {
    const before = await storedUnit(owner.vendorId!);
    expectProblem(
      await h.call(staff, 'PATCH', '/v1/vendor/settings', { temperatureUnit: 'auto' }),
      403,
    );
    expect(await storedUnit(owner.vendorId!)).toBe(before);
    expectProblem(await h.call(null, 'GET', '/v1/vendor/settings'), 401);
    expectProblem(
      await h.call(null, 'PATCH', '/v1/vendor/settings', { temperatureUnit: 'celsius' }),
      401,
    );
  });
});
