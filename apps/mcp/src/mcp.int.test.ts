import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { REPO_ROOT } from '@marketprep/db';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../api/src/testing/harness';
import { seedShop, type Shop } from '../../api/src/modules/check-ins/check-ins.fixtures';
import { createMcpHttpServer } from './http';

// The MCP server against a real API on loopback (issue 20): over stdio as an assistant launches
// it, with an owner's API tokens (read and read+write), and refused without one.

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'apps', 'mcp', 'src', 'main.ts');

let h: Harness;
let apiUrl: string;
let owner: Agent;
let shop: Shop;
let readToken: string;
let writeToken: string;
let saturday: string;

/** The next Saturday (UTC calendar) at least two days out: a market day on the schedule. */
function nextSaturday(): string {
  const day = new Date(Date.now() + 2 * 86_400_000);
  while (day.getUTCDay() !== 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function createToken(scopes: string[]): Promise<string> {
  const response = await h.call(owner, 'POST', '/v1/api-tokens', {
    name: scopes.join('+'),
    scopes,
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ token: string }>().token;
}

async function stdioClient(env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: TSX,
    args: [MAIN],
    env: { PATH: process.env.PATH ?? '', MARKETPREP_API_URL: apiUrl, ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('\n');
}

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  apiUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  owner = await h.signup({ vendorName: 'Voice Bakery' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: { name: 'Riverside', schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }] },
    products: [
      {
        key: 'sourdough',
        name: 'Sourdough',
        priceMinor: 900,
        unitCostMinor: 250,
        salvageValueMinor: 0,
      },
    ],
    days: [],
  });
  saturday = nextSaturday();
  readToken = await createToken(['read']);
  writeToken = await createToken(['read', 'write']);
}, 120_000);
afterAll(() => h.close());

describe('MCP over stdio', () => {
  it('lists its tools and answers get_prep_list with a token', async () => {
    const client = await stdioClient({ MARKETPREP_API_TOKEN: readToken });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(
        [
          'explain_quantity',
          'get_prep_list',
          'get_week_plan',
          'list_markets',
          'submit_check_in',
        ].sort(),
      );
      // The input schema is the contract's: a uuid market id and a YYYY-MM-DD date, both required.
      const prep = tools.find((t) => t.name === 'get_prep_list')!;
      expect(prep.inputSchema.required).toEqual(['marketId', 'date']);
      const markets = await client.callTool({ name: 'list_markets', arguments: {} });
      expect(markets.isError).toBeFalsy();
      expect(textOf(markets)).toContain(`Riverside (id ${shop.marketId}`);
      const result = await client.callTool({
        name: 'get_prep_list',
        arguments: { marketId: shop.marketId, date: saturday },
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      // The list's input health comes first: no forecast stored for the day, no event listings.
      expect(textOf(result)).toMatch(
        new RegExp(
          `Prep list for Riverside on ${saturday}:\\nInputs: check before packing\\. [^\\n]*Weather: no forecast for this day[^\\n]*\\nSourdough: bring \\d+ `,
        ),
      );
      const why = await client.callTool({
        name: 'explain_quantity',
        arguments: { marketId: shop.marketId, date: saturday, productName: 'sourdough' },
      });
      expect(textOf(why)).toMatch(/Typical day: [\d.]+ /);
      expect(textOf(why)).toContain('\nInputs: check before packing. ');
      const plan = await client.callTool({ name: 'get_week_plan', arguments: { from: saturday } });
      expect(plan.isError, textOf(plan)).toBeFalsy();
      // The week's verdict, each reason naming the market days it holds for.
      expect(textOf(plan)).toMatch(
        new RegExp(
          `^Plan for ${saturday} to \\d{4}-\\d{2}-\\d{2}:\\nInputs: check before packing\\. [^\\n]* at Riverside: Weather: no forecast for this day[^\\n]*\\nSourdough \\(`,
        ),
      );
      // Arguments outside the contract never reach the API.
      const bad = await client.callTool({
        name: 'get_prep_list',
        arguments: { marketId: 'riverside', date: 'Saturday' },
      });
      expect(bad.isError).toBe(true);
      // The token's scope holds: a read-only token cannot record a check-in.
      const write = await client.callTool({
        name: 'submit_check_in',
        arguments: {
          marketId: shop.marketId,
          date: saturday,
          lines: [
            {
              productId: shop.productIds.sourdough,
              brought: 30,
              sold: 28,
              leftOver: 2,
              wasted: 0,
              donated: 0,
            },
          ],
        },
      });
      expect(write.isError).toBe(true);
      expect(textOf(write)).toMatch(/403.*write/);
    } finally {
      await client.close();
    }
  });

  it('records a check-in with a write token', async () => {
    const client = await stdioClient({ MARKETPREP_API_TOKEN: writeToken });
    try {
      const past = new Date(Date.now() - 86_400_000);
      while (past.getUTCDay() !== 6) past.setUTCDate(past.getUTCDate() - 1);
      const date = past.toISOString().slice(0, 10);
      const result = await client.callTool({
        name: 'submit_check_in',
        arguments: {
          marketId: shop.marketId,
          date,
          lines: [
            {
              productId: shop.productIds.sourdough,
              brought: 30,
              sold: 28,
              leftOver: 2,
              wasted: 0,
              donated: 1,
            },
          ],
        },
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      const stored = await h.db.adminQuery<{ brought: string }>(
        'SELECT brought::text FROM feedback WHERE vendor_id = $1',
        [owner.vendorId],
      );
      expect(stored.map((r) => Number(r.brought))).toEqual([30]);
    } finally {
      await client.close();
    }
  });

  it('refuses to start without a token, and a revoked token gets the API 401', async () => {
    const child = spawn(TSX, [MAIN], {
      env: { PATH: process.env.PATH ?? '', MARKETPREP_API_URL: apiUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/MARKETPREP_API_TOKEN.*refusing to start/);

    const revoked = await createToken(['read']);
    const tokens = await h.call(owner, 'GET', '/v1/api-tokens');
    const id = tokens.json<{ data: { id: string; name: string }[] }>().data[0]!.id;
    expect((await h.call(owner, 'DELETE', `/v1/api-tokens/${id}`)).statusCode).toBe(204);
    const client = await stdioClient({ MARKETPREP_API_TOKEN: revoked });
    try {
      const result = await client.callTool({ name: 'list_markets', arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/answered 401/);
    } finally {
      await client.close();
    }
  });
});

describe('MCP over streamable HTTP', () => {
  it('answers with a Bearer token and refuses without one', async () => {
    const server = createMcpHttpServer({ apiUrl });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
    try {
      const anonymous = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(anonymous.status).toBe(401);
      const client = new Client({ name: 'mcp-http-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(url, {
          requestInit: { headers: { authorization: `Bearer ${readToken}` } },
        }),
      );
      const result = await client.callTool({
        name: 'get_prep_list',
        arguments: { marketId: shop.marketId, date: saturday },
      });
      expect(textOf(result)).toContain('Sourdough: bring');
      await client.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
