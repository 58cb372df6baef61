import { PrepListSchema, type PrepList } from '@marketprep/contracts';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiMetrics, type ApiMetrics } from '../../plugins/metrics';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';

// The prep-list read fast path (PrepListsService.getPrepListJson): served from the stored list
// and the in-process JSON cache while the inputs are unchanged, recomputed when they change.
const NOW = new Date('2026-11-22T12:00:00Z');
const TODAY = '2026-11-22';

let h: Harness;
let metrics: ApiMetrics;
let demo: Agent;
let url: string;

const inDemo = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
  withTenant(h.db.app.prisma, DEMO_VENDOR_ID, fn);

async function counts(): Promise<{ hits: number; misses: number }> {
  const value = async (metric: 'cacheHits' | 'cacheMisses') =>
    (await metrics[metric].get()).values.find((v) => v.labels.cache === 'prep-list')?.value ?? 0;
  return { hits: await value('cacheHits'), misses: await value('cacheMisses') };
}

async function read(): Promise<{ body: string; list: PrepList }> {
  const response = await h.call(demo, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return { body: response.body, list: PrepListSchema.parse(response.json()) };
}

beforeAll(async () => {
  metrics = createApiMetrics();
  h = await createHarness({ now: () => NOW, metrics });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: NOW });
  const upcoming = await inDemo((tx) =>
    tx.marketDay.findFirstOrThrow({
      where: { date: { gt: new Date(`${TODAY}T00:00:00Z`) }, status: 'SCHEDULED' },
      orderBy: [{ date: 'asc' }, { marketId: 'asc' }],
      select: { date: true, marketId: true },
    }),
  );
  url = `/v1/markets/${upcoming.marketId}/prep-lists/${upcoming.date.toISOString().slice(0, 10)}`;
}, 180_000);
afterAll(() => h.close());

describe('prep-list read fast path', () => {
  it('computes once, then serves the same list from the stored one (cache hit)', async () => {
    const first = await read();
    const afterFirst = await counts();
    expect(afterFirst.misses).toBe(1);
    expect(afterFirst.hits).toBe(0);
    const second = await read();
    expect(second.body).toBe(first.body);
    expect(await counts()).toEqual({ hits: 1, misses: 1 });
    // The serialized body is the contract's shape, lines by product name.
    expect(second.list.lines.length).toBeGreaterThan(0);
    const names = second.list.lines.map((l) => l.productName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('shows an override at once, still without recomputing', async () => {
    const before = await read();
    const line = before.list.lines[0]!;
    const patched = await h.call(demo, 'PATCH', `${url}/lines/${line.productId}`, {
      overrideQuantity: line.recommendedQuantity + 7,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const { hits, misses } = await counts();
    const after = await read();
    expect(after.list.id).toBe(before.list.id);
    const changed = after.list.lines.find((l) => l.productId === line.productId);
    expect(changed?.overrideQuantity).toBe(line.recommendedQuantity + 7);
    expect(changed?.effectiveQuantity).toBe(line.recommendedQuantity + 7);
    expect(await counts()).toEqual({ hits: hits + 1, misses });
  });

  it('sees an override written by another process (no local invalidation)', async () => {
    const before = await read();
    const line = before.list.lines[1]!;
    await inDemo((tx) =>
      tx.recommendationLine.updateMany({
        where: { recommendationId: before.list.id, productId: line.productId },
        data: { overrideQuantity: 99 },
      }),
    );
    const after = await read();
    expect(after.list.lines.find((l) => l.productId === line.productId)?.overrideQuantity).toBe(99);
  });

  it('recomputes when an input changes (a product renamed elsewhere)', async () => {
    const before = await read();
    const line = before.list.lines[2]!;
    await inDemo((tx) =>
      tx.product.update({ where: { id: line.productId }, data: { name: 'Zz renamed' } }),
    );
    const { misses } = await counts();
    const after = await read();
    expect(after.list.id).not.toBe(before.list.id);
    expect(after.list.lines.find((l) => l.productId === line.productId)?.productName).toBe(
      'Zz renamed',
    );
    expect((await counts()).misses).toBe(misses + 1);
  });

  // A deletion leaves max(updated_at) as it was: only the change counters kept by the
  // demand_input_versions triggers tell the fast path.
  it.each([
    ['daily sales', 'daily_sales'],
    ['check-in feedback', 'feedback'],
  ] as const)('recomputes when %s are deleted elsewhere', async (_label, table) => {
    const before = await read();
    const oldest = await inDemo((tx) =>
      tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id FROM ${table} ORDER BY updated_at ASC, id ASC LIMIT 1`,
      ),
    );
    expect(oldest).toHaveLength(1);
    const deleted = await inDemo((tx) =>
      tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE id = $1::uuid`, oldest[0]!.id),
    );
    expect(deleted).toBe(1);
    const { misses } = await counts();
    const after = await read();
    expect(after.list.id).not.toBe(before.list.id);
    expect((await counts()).misses).toBe(misses + 1);
    // ...and serves the new list again while nothing else changes.
    expect((await read()).list.id).toBe(after.list.id);
  });

  it("never serves another business's list (404), nor an unknown market day", async () => {
    await read();
    const other = await h.signup();
    const foreign = await h.call(other, 'GET', url);
    expect(foreign.statusCode, foreign.body).toBe(404);
    const notADay = await h.call(demo, 'GET', url.replace(/\d{4}-\d{2}-\d{2}$/, '2026-02-30'));
    expect(notADay.statusCode).toBeGreaterThanOrEqual(400);
    expect(notADay.statusCode).toBeLessThan(500);
  });
});
