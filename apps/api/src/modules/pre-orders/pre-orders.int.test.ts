// Cancelling a pre-order (DELETE /v1/pre-orders/:id) against the real database: its pickups to
// come go, its past ones stay (an order with nothing to come is deleted). A standing order that ran for weeks is ended after its last past
// pickup, not deleted: training takes those pickups' units out of what sold, and deleting them
// would teach the engine that walk-ups bought them just as the order stops.
import { PreOrderListSchema, type PreOrder } from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { addDays } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { createMarket, expectProblem } from '../markets/catalog-test-helpers';

// Sunday 2026-11-22, 09:00 in Chicago; the market opens on Saturdays.
const START = new Date('2026-11-22T15:00:00Z');
const FIRST_SATURDAY = '2026-11-28';
const DAY_MS = 86_400_000;

let now = START;
let h: Harness;
let owner: Agent;
let marketId: string;
let productId: string;

async function order(fields: Record<string, unknown>): Promise<PreOrder> {
  const response = await h.call(owner, 'POST', '/v1/pre-orders', {
    productId,
    marketId,
    customerName: 'Ana',
    quantity: 10,
    firstDate: FIRST_SATURDAY,
    ...fields,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<PreOrder>();
}

async function orders(): Promise<PreOrder[]> {
  const response = await h.call(owner, 'GET', '/v1/pre-orders?limit=100');
  expect(response.statusCode, response.body).toBe(200);
  return PreOrderListSchema.parse(response.json()).data;
}

const cancel = (id: string) => h.call(owner, 'DELETE', `/v1/pre-orders/${id}`);

async function auditActions(targetId: string) {
  const rows = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
    tx.auditLog.findMany({ where: { targetId }, orderBy: { id: 'asc' } }),
  );
  return rows.map((row) => [row.action, row.metadata]);
}

beforeAll(async () => {
  h = await createHarness({ now: () => now, rateLimit: false });
  owner = await h.signup({ vendorName: 'Standing Orders Bakery' });
  marketId = (await createMarket(h, owner)).id;
  const product = await h.call(owner, 'POST', '/v1/products', { name: 'Rye', priceMinor: 900 });
  expect(product.statusCode, product.body).toBe(201);
  productId = product.json<{ id: string }>().id;
});
afterAll(() => h.close());

describe('cancelling a pre-order', () => {
  it('deletes an order whose pickups are all to come', async () => {
    const weekly = await order({ repeat: 'weekly' });
    const once = await order({ repeat: 'once', customerName: 'Ben' });
    expect((await cancel(weekly.id)).statusCode).toBe(204);
    expect((await cancel(once.id)).statusCode).toBe(204);
    expect((await orders()).map((o) => o.id)).not.toContain(weekly.id);
    expect(await auditActions(weekly.id)).toEqual([
      ['pre_order.created', expect.anything()],
      ['pre_order.deleted', null],
    ]);
    expectProblem(await cancel(weekly.id), 404);
  });

  it('ends a standing order after its last past pickup, keeping what it sold', async () => {
    const standing = await order({ repeat: 'weekly', customerName: 'Cafe Luna' });
    // Called off ahead: the pickup four weeks on. Ending the order before it drops the mark.
    const ahead = addDays(FIRST_SATURDAY, 28);
    const mark = await h.call(owner, 'PUT', `/v1/pre-orders/${standing.id}/pickups/${ahead}`, {
      pickedUp: false,
    });
    expect(mark.statusCode, mark.body).toBe(200);

    // Three Saturdays later (Nov 28, Dec 5 and Dec 12 picked up), on Sunday Dec 13.
    now = new Date(START.getTime() + 21 * DAY_MS);
    expect((await cancel(standing.id)).statusCode).toBe(204);
    const ended = (await orders()).find((o) => o.id === standing.id);
    expect(ended).toMatchObject({
      repeat: 'weekly',
      firstDate: FIRST_SATURDAY,
      untilDate: addDays(FIRST_SATURDAY, 14),
      missedPickups: [],
    });
    expect((await auditActions(standing.id)).at(-1)).toEqual([
      'pre_order.ended',
      { untilDate: addDays(FIRST_SATURDAY, 14) },
    ]);
    // Nothing to come any more: a second DELETE removes the record itself.
    expect((await cancel(standing.id)).statusCode).toBe(204);
    expect((await orders()).map((o) => o.id)).not.toContain(standing.id);
    expect((await auditActions(standing.id)).at(-1)).toEqual(['pre_order.deleted', null]);
  });

  it('cancels the pickup of the market day itself, and deletes a one-off order already past', async () => {
    // Saturday Dec 19, 07:00 in Chicago: today's pickup is still to come.
    now = new Date('2026-12-19T13:00:00Z');
    const today = '2026-12-19';
    const weekly = await order({ repeat: 'weekly', firstDate: '2026-12-12', customerName: 'Dee' });
    const once = await order({ repeat: 'once', firstDate: today, customerName: 'Eve' });
    expect((await cancel(weekly.id)).statusCode).toBe(204);
    expect((await orders()).find((o) => o.id === weekly.id)?.untilDate).toBe('2026-12-12');
    expect((await cancel(once.id)).statusCode).toBe(204);

    // Entered by mistake: the record goes.
    const past = await order({ repeat: 'once', firstDate: '2026-12-12', customerName: 'Fay' });
    expect((await cancel(past.id)).statusCode).toBe(204);
    expect((await orders()).map((o) => o.id)).not.toContain(past.id);
  });
});
