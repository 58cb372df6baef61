import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASED_TENANT_TABLES, EXPORT_ENTITIES, AuditRepository, withTenant } from '@marketprep/db';
import { AuditLogPageSchema, BusinessErasureSchema, DataExportSchema } from '@marketprep/contracts';
import { TokenCipher, parseTokenKeyRing, type SquareApi } from '@marketprep/integrations';
import { fromBuffer, type Entry } from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEraseVendorHandler } from '../../../../worker/src/jobs/erase-vendor.handler';
import { createExportVendorHandler } from '../../../../worker/src/jobs/export-vendor.handler';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs } from '../markets/catalog-test-helpers';

const START = new Date('2026-12-01T15:00:00Z');
const HOUR = 3_600_000;
let clock = START;
const now = () => clock;
let h: Harness;
let exportDir: string;

/** Reads every entry of a zip into memory (test archives are small). */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** A market, two products, sales lines and daily totals, a notification and audit entries. */
async function seedBusiness(agent: Agent, tag: string) {
  const vendorId = agent.vendorId!;
  return withTenant(h.db.app.prisma, vendorId, async (tx) => {
    const market = await tx.market.create({
      data: {
        vendorId,
        name: `Riverside ${tag}`,
        latitude: 41.9,
        longitude: -87.6,
        timezone: 'America/Chicago',
        countryCode: 'US',
      },
    });
    const products = await Promise.all(
      ['Sourdough', 'Croissant, butter'].map((name, i) =>
        tx.product.create({
          data: { vendorId, name, priceMinor: 800 + i * 100, unitCostMinor: 250 },
        }),
      ),
    );
    for (let d = 0; d < 3; d++) {
      const date = new Date(Date.UTC(2026, 10, 7 + d * 7));
      for (const [i, product] of products.entries()) {
        await tx.sale.create({
          data: {
            vendorId,
            marketId: market.id,
            productId: product.id,
            source: 'CSV',
            providerOrderId: `o-${tag}-${d}-${i}`,
            providerLineId: `l-${tag}-${d}-${i}`,
            soldAt: date,
            marketDate: date,
            quantity: 10 + d + i,
            unitPriceMinor: product.priceMinor,
            grossMinor: (10 + d + i) * product.priceMinor,
          },
        });
        await tx.dailySales.create({
          data: {
            vendorId,
            marketId: market.id,
            productId: product.id,
            date,
            quantity: 10 + d + i,
            revenueMinor: (10 + d + i) * product.priceMinor,
            lineCount: 1,
          },
        });
      }
    }
    await tx.notification.create({
      data: { vendorId, kind: 'weather.heavy_rain', title: 'Rain', body: 'Heavy rain "Saturday"' },
    });
    await new AuditRepository(tx).record({
      vendorId,
      actorUserId: agent.userId,
      actorType: 'user',
      action: 'market.created',
      targetType: 'market',
      targetId: market.id,
      ip: '203.0.113.9',
      metadata: { name: `Riverside ${tag}`, note: 'free text' },
    });
    return { market, products };
  });
}

beforeAll(async () => {
  exportDir = await mkdtemp(join(tmpdir(), 'mp-exports-'));
  h = await createHarness({ now, exportDir, rateLimit: false });
});
afterAll(async () => {
  await h.close();
  await rm(exportDir, { recursive: true, force: true });
});

describe('export', () => {
  it('builds a zip of every entity with a manifest whose counts and checksums hold, downloadable once', async () => {
    clock = START;
    const owner = await h.signup({ vendorName: 'Export Bakery' });
    const staff = await joinAs(h, owner, 'STAFF');
    await seedBusiness(owner, 'A');
    expectProblem(await h.call(staff, 'POST', '/v1/data-exports'), 403);

    const requested = await h.call(owner, 'POST', '/v1/data-exports');
    expect(requested.statusCode, requested.body).toBe(202);
    const created = DataExportSchema.parse(requested.json());
    expect(created).toMatchObject({ status: 'PENDING', downloadable: false });
    const again = await h.call(owner, 'POST', '/v1/data-exports');
    expect(again.statusCode).toBe(200);
    expect(DataExportSchema.parse(again.json()).id).toBe(created.id);
    expectProblem(await h.call(owner, 'GET', `/v1/data-exports/${created.id}/download`), 409);

    const handler = createExportVendorHandler({ db: h.db.app, now, exportDir });
    await handler({ vendorId: owner.vendorId, exportId: created.id }, { jobId: 'x1' });
    const done = DataExportSchema.parse(
      (await h.call(owner, 'GET', `/v1/data-exports/${created.id}`)).json(),
    );
    expect(done).toMatchObject({ status: 'COMPLETED', progress: 100, downloadable: true });
    expect(new Date(done.expiresAt!).getTime() - START.getTime()).toBe(24 * HOUR);

    const notes = await h.call(owner, 'GET', '/v1/notifications');
    expect(JSON.stringify(notes.json())).toContain('Your data export is ready');
    // And an email to the requester, through the outbox.
    const mails = await h.db.adminQuery<{ payload: { userId: string; kind: string } }>(
      `SELECT payload FROM outbox WHERE job_name = 'billing-email' AND dedupe_key = $1`,
      [`data-export-email:${created.id}`],
    );
    expect(mails.map((m) => [m.payload.userId, m.payload.kind])).toEqual([
      [owner.userId, 'data_export.ready'],
    ]);

    const download = await h.call(owner, 'GET', `/v1/data-exports/${created.id}/download`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const files = await unzip(download.rawPayload);
    expect([...files.keys()].sort()).toEqual(
      [...EXPORT_ENTITIES.map((e) => e.file), 'manifest.json', 'README.txt'].sort(),
    );
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as {
      schemaVersion: number;
      counts: Record<string, number>;
      files: { file: string; rows: number; sha256: string }[];
    };
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.counts).toMatchObject({
      markets: 1,
      products: 2,
      sales: 6,
      daily_sales: 6,
      notifications: 1,
    });
    for (const f of manifest.files) {
      const body = files.get(f.file)!;
      expect(createHash('sha256').update(body).digest('hex'), f.file).toBe(f.sha256);
      const lines = body.toString('utf8').trimEnd().split('\n');
      expect(lines.length - 1, f.file).toBe(f.rows);
    }
    const sales = files.get('sales.csv')!.toString('utf8').split('\n');
    expect(sales[0]).toMatch(/^date,market,product,quantity,unit_price,/);
    // A comma inside a name is quoted, so the file re-imports.
    expect(
      sales.filter((l) => l.includes('Croissant')),
      sales.join('\n'),
    ).toContainEqual(
      expect.stringMatching(/^2026-11-07,Riverside A,"Croissant, butter",11\.000,9\.00,/),
    );

    // The link works once.
    const second = expectProblem(
      await h.call(owner, 'GET', `/v1/data-exports/${created.id}/download`),
      409,
    );
    expect(second.detail).toMatch(/works once/);

    // Another business sees nothing of it.
    const stranger = await h.signup({ vendorName: 'Other Bakery' });
    expectProblem(await h.call(stranger, 'GET', `/v1/data-exports/${created.id}`), 404);
    expectProblem(await h.call(stranger, 'GET', `/v1/data-exports/${created.id}/download`), 404);
  });

  it('expires the link 24 hours after the archive was built', async () => {
    clock = START;
    const owner = await h.signup({ vendorName: 'Late Bakery' });
    const created = DataExportSchema.parse(
      (await h.call(owner, 'POST', '/v1/data-exports')).json(),
    );
    await createExportVendorHandler({ db: h.db.app, now, exportDir })(
      { vendorId: owner.vendorId, exportId: created.id },
      { jobId: 'x2' },
    );
    clock = new Date(START.getTime() + 24 * HOUR + 1_000);
    const late = expectProblem(
      await h.call(owner, 'GET', `/v1/data-exports/${created.id}/download`),
      409,
    );
    expect(late.detail).toMatch(/expired/);
    clock = START;
  });
});

describe('audit log', () => {
  it('shows owners who did what, filtered and paginated, and never another business', async () => {
    clock = START;
    const owner = await h.signup({ vendorName: 'Audit Bakery' });
    const staff = await joinAs(h, owner, 'STAFF');
    await seedBusiness(owner, 'B');
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: staff.email,
      password: 'a long enough password',
    });
    expect(login.statusCode).toBe(200);
    await h.call(owner, 'POST', '/v1/data-exports');

    expectProblem(await h.call(staff, 'GET', '/v1/audit-log'), 403);
    expectProblem(await h.call(null, 'GET', '/v1/audit-log'), 401);
    const all = AuditLogPageSchema.parse((await h.call(owner, 'GET', '/v1/audit-log')).json());
    const actions = all.data.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.signed_in', 'data_export.requested', 'market.created']),
    );
    const signIn = all.data.find((e) => e.action === 'auth.signed_in')!;
    expect(signIn).toMatchObject({ actorUserId: staff.userId, actorName: 'Test Person' });

    const exports = AuditLogPageSchema.parse(
      (await h.call(owner, 'GET', '/v1/audit-log?entity=data_export')).json(),
    );
    expect(exports.data.map((e) => e.action)).toEqual(['data_export.requested']);
    const byStaff = AuditLogPageSchema.parse(
      (await h.call(owner, 'GET', `/v1/audit-log?actor=${staff.userId}`)).json(),
    );
    expect(byStaff.data.every((e) => e.actorUserId === staff.userId)).toBe(true);
    expect(byStaff.data.length).toBeGreaterThan(0);
    const future = AuditLogPageSchema.parse(
      (await h.call(owner, 'GET', '/v1/audit-log?from=2027-01-01')).json(),
    );
    expect(future.data).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/audit-log?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = AuditLogPageSchema.parse((await h.call(owner, 'GET', url)).json());
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((e) => e.id));
    expectProblem(await h.call(owner, 'GET', '/v1/audit-log?cursor=bogus!'), 400);
    expectProblem(await h.call(owner, 'GET', '/v1/audit-log?from=yesterday'), 400);

    const other = await h.signup({ vendorName: 'Nosy Bakery' });
    const theirs = AuditLogPageSchema.parse((await h.call(other, 'GET', '/v1/audit-log')).json());
    const ours = new Set(all.data.map((e) => e.id));
    expect(theirs.data.some((e) => ours.has(e.id))).toBe(false);
    expect(JSON.stringify(theirs)).not.toContain(owner.vendorId!);
  });
});

describe('erasure', () => {
  it('deletes the business after the grace period: zero tenant rows, a pseudonymized audit log, Square revoked', async () => {
    clock = START;
    const owner = await h.signup({ vendorName: 'Gone Bakery' });
    const staff = await joinAs(h, owner, 'STAFF');
    const vendorId = owner.vendorId!;
    await seedBusiness(owner, 'C');
    // A connected Square account whose token must be revoked at Square.
    const cipher = new TokenCipher(
      parseTokenKeyRing(`k1:${randomBytes(32).toString('base64')}`, 'k1'),
    );
    await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.providerConnection.create({
        data: {
          vendorId,
          provider: 'SQUARE',
          externalAccountId: `merchant-${vendorId.slice(0, 8)}`,
          scopes: [],
          accessTokenEncrypted: new Uint8Array(cipher.encrypt('sq-access-canary')),
          encryptionKeyId: 'k1',
        },
      }),
    );
    // A live Stripe subscription, which must be cancelled at Stripe before anything is deleted.
    await h.db.adminQuery(
      `INSERT INTO subscriptions (vendor_id, stripe_customer_id, stripe_subscription_id, plan, status)
       VALUES ($1, $2, $3, 'starter', 'ACTIVE')`,
      [vendorId, `cus_${vendorId.slice(0, 8)}`, `sub_${vendorId.slice(0, 8)}`],
    );
    const cancelled: string[] = [];
    const billing = {
      cancelSubscription: (id: string) => {
        cancelled.push(id);
        return Promise.resolve();
      },
    };
    const revoked: string[] = [];
    const square = {
      revokeToken: (token: string) => {
        revoked.push(token);
        return Promise.resolve();
      },
    } as unknown as SquareApi;
    const erase = createEraseVendorHandler({
      db: h.db.app,
      now,
      exportDir,
      pseudonymKey: 'test-pseudonym-key-0123456789abcdef',
      square: { square, cipher },
      billing,
    });

    expectProblem(
      await h.call(staff, 'POST', '/v1/vendor/erasure', { confirm: 'Gone Bakery' }),
      403,
    );
    const wrong = expectProblem(
      await h.call(owner, 'POST', '/v1/vendor/erasure', { confirm: 'Gone bakery!' }),
      400,
    );
    expect(wrong.errors?.[0]?.path).toBe('confirm');
    const first = await h.call(owner, 'POST', '/v1/vendor/erasure', { confirm: 'Gone Bakery' });
    expect(first.statusCode, first.body).toBe(202);
    const pending = BusinessErasureSchema.parse(first.json());
    expect(new Date(pending.scheduledFor).getTime() - START.getTime()).toBe(7 * 24 * HOUR);
    expectProblem(
      await h.call(owner, 'POST', '/v1/vendor/erasure', { confirm: 'Gone Bakery' }),
      409,
    );

    // Restore during the grace period: the queued job then does nothing.
    const restored = await h.call(owner, 'DELETE', '/v1/vendor/erasure');
    expect(restored.statusCode, restored.body).toBe(200);
    expect(BusinessErasureSchema.parse(restored.json()).status).toBe('CANCELLED');
    clock = new Date(START.getTime() + 8 * 24 * HOUR);
    expect(await erase({ vendorId, erasureId: pending.id }, { jobId: 'e0' })).toMatchObject({
      skipped: expect.any(String) as string,
    });
    expect((await h.call(owner, 'GET', '/v1/markets')).statusCode).toBe(200);

    // Ask again; too early does nothing, after 7 days everything goes.
    clock = START;
    const again = BusinessErasureSchema.parse(
      (await h.call(owner, 'POST', '/v1/vendor/erasure', { confirm: 'Gone Bakery' })).json(),
    );
    expect(await erase({ vendorId, erasureId: again.id }, { jobId: 'e1' })).toMatchObject({
      skipped: expect.any(String) as string,
    });
    clock = new Date(START.getTime() + 7 * 24 * HOUR + 60_000);
    await erase({ vendorId, erasureId: again.id }, { jobId: 'e2' });
    // Safe to run twice.
    await erase({ vendorId, erasureId: again.id }, { jobId: 'e3' });

    expect(revoked).toEqual(['sq-access-canary']);
    expect(cancelled).toEqual([`sub_${vendorId.slice(0, 8)}`]);
    for (const table of ERASED_TENANT_TABLES) {
      const [row] = await h.db.adminQuery<{ n: string }>(
        `SELECT count(*)::text AS n FROM "${table}" WHERE vendor_id = $1`,
        [vendorId],
      );
      expect(`${table}: ${row?.n}`).toBe(`${table}: 0`);
    }
    const [vendor] = await h.db.adminQuery<{ name: string; deleted_at: Date | null }>(
      'SELECT name, deleted_at FROM vendors WHERE id = $1',
      [vendorId],
    );
    expect(vendor?.name).toBe('Deleted business');
    expect(vendor?.deleted_at).not.toBeNull();
    const [erasure] = await h.db.adminQuery<{ status: string }>(
      'SELECT status::text FROM erasure_requests WHERE id = $1',
      [again.id],
    );
    expect(erasure?.status).toBe('COMPLETED');

    const audit = await h.db.adminQuery<{
      actor_user_id: string | null;
      target_id: string | null;
      ip: string | null;
      metadata: unknown;
      action: string;
    }>(
      'SELECT actor_user_id, target_id, ip, metadata, action FROM audit_log WHERE vendor_id = $1',
      [vendorId],
    );
    expect(audit.length).toBeGreaterThan(3);
    const text = JSON.stringify(audit);
    for (const secret of [owner.userId, staff.userId, '203.0.113.9', 'free text', 'Riverside C']) {
      expect(text).not.toContain(secret);
    }
    expect(audit.every((a) => a.ip === null)).toBe(true);
    // Stable: the owner's entries share one pseudonym.
    const ownerActs = audit.filter((a) =>
      ['vendor.created', 'vendor.erasure_requested', 'vendor.erasure_cancelled'].includes(a.action),
    );
    expect(new Set(ownerActs.map((a) => a.actor_user_id)).size).toBe(1);
    expect(ownerActs[0]?.actor_user_id).toMatch(/^[0-9a-f-]{36}$/);

    // The owner's account lives on without the business.
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: owner.email,
      password: 'a long enough password',
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ activeVendorId: null, memberships: [] });
    clock = START;
  });
});

describe('account', () => {
  it('exports the user’s own data and deletes the account, except for the last owner', async () => {
    clock = START;
    const owner = await h.signup({ vendorName: 'Owner Bakery' });
    const staff = await joinAs(h, owner, 'STAFF');

    const exported = await h.call(staff, 'GET', '/v1/account/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.json()).toMatchObject({
      account: { email: staff.email },
      memberships: [{ vendorId: owner.vendorId, role: 'STAFF' }],
    });

    const last = expectProblem(
      await h.call(owner, 'POST', '/v1/account/delete', { confirm: owner.email }),
      409,
    );
    expect(last.detail).toMatch(/last owner of "Owner Bakery"/);
    expectProblem(await h.call(staff, 'POST', '/v1/account/delete', { confirm: 'nope' }), 400);
    const deleted = await h.call(staff, 'POST', '/v1/account/delete', { confirm: staff.email });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await h.call(staff, 'GET', '/v1/account/export')).statusCode).toBe(401);
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: staff.email,
      password: 'a long enough password',
    });
    expect(login.statusCode).toBe(401);
    const team = await h.call(owner, 'GET', '/v1/team/members');
    expect(team.statusCode).toBe(200);
    expect(team.body).not.toContain(staff.email);
  });
});

describe('round trip', () => {
  /** Sets the market's place and Saturday schedule and the products' economics, as onboarding. */
  async function setUp(agent: Agent) {
    const markets = (await h.call(agent, 'GET', '/v1/markets')).json<{
      data: { id: string; name: string }[];
    }>().data;
    for (const m of markets) {
      const patched = await h.call(agent, 'PATCH', `/v1/markets/${m.id}`, {
        latitude: 41.9136,
        longitude: -87.6347,
        timezone: 'America/Chicago',
        countryCode: 'US',
        schedule: [{ weekday: 5, opensAt: '07:00', closesAt: '13:00' }],
      });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    const products = (await h.call(agent, 'GET', '/v1/products?limit=200')).json<{
      data: { id: string; name: string }[];
    }>().data;
    for (const p of products) {
      const cost = p.name === 'Sourdough' ? 300 : 120;
      const patched = await h.call(agent, 'PATCH', `/v1/products/${p.id}`, {
        unitCostMinor: cost,
      });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    return { marketId: markets[0]!.id };
  }

  async function prepList(agent: Agent, marketId: string) {
    const response = await h.call(agent, 'GET', `/v1/markets/${marketId}/prep-lists/2026-12-05`);
    expect(response.statusCode, response.body).toBe(200);
    const list = response.json<{
      lines: {
        productName: string;
        recommendedQuantity: number;
        q10: number;
        q50: number;
        q90: number;
      }[];
    }>();
    return list.lines
      .map((l) => ({
        product: l.productName,
        quantity: l.recommendedQuantity,
        range: [l.q10, l.q50, l.q90],
      }))
      .sort((a, b) => a.product.localeCompare(b.product));
  }

  it('re-imports the exported sales CSV into a new business and gets the same prep list', async () => {
    clock = START;
    // A year of Saturdays at one market, three products, from a plain CSV.
    const rows = ['date,market,product,quantity,unit_price'];
    for (let week = 0; week < 60; week++) {
      const day = new Date(Date.UTC(2026, 10, 28) - week * 7 * 24 * HOUR);
      const date = day.toISOString().slice(0, 10);
      const season = 1 + 0.3 * Math.sin((week / 52) * 2 * Math.PI);
      rows.push(`${date},Green City,Sourdough,${Math.round(30 * season + (week % 5))},8.00`);
      rows.push(`${date},Green City,"Scone, cheddar",${Math.round(18 * season + (week % 3))},3.50`);
      rows.push(`${date},Green City,Jam,${4 + (week % 4)},6.00`);
    }
    const upload = (agent: Agent, csv: string) =>
      h.app.inject({
        method: 'POST',
        url: '/v1/imports',
        payload: csv,
        headers: {
          cookie: agent.cookie,
          'x-csrf-token': agent.csrf,
          'content-type': 'text/csv',
        },
      });
    const a = await h.signup({ vendorName: 'Original Bakery' });
    const imported = await upload(a, rows.join('\n'));
    expect(imported.statusCode, imported.body).toBe(201);
    const { marketId: marketA } = await setUp(a);

    const requested = DataExportSchema.parse((await h.call(a, 'POST', '/v1/data-exports')).json());
    await createExportVendorHandler({ db: h.db.app, now, exportDir })(
      { vendorId: a.vendorId, exportId: requested.id },
      { jobId: 'rt' },
    );
    const zip = await h.call(a, 'GET', `/v1/data-exports/${requested.id}/download`);
    const sales = (await unzip(zip.rawPayload)).get('sales.csv')!.toString('utf8');

    const b = await h.signup({ vendorName: 'Moved Bakery' });
    const reimported = await upload(b, sales);
    expect(reimported.statusCode, reimported.body).toBe(201);
    expect(reimported.json<{ rowsValid: number }>()).toMatchObject({ rowsValid: rows.length - 1 });
    const { marketId: marketB } = await setUp(b);

    const listA = await prepList(a, marketA);
    const listB = await prepList(b, marketB);
    expect(listA.map((l) => l.product)).toEqual(['Jam', 'Scone, cheddar', 'Sourdough']);
    expect(listA.every((l) => l.quantity > 0)).toBe(true);
    expect(listB).toEqual(listA);
  });
});
