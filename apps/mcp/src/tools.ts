import { randomUUID } from 'node:crypto';
import { createApiClient, type ApiClient, type ApiSchema } from '@marketprep/api-client';
import {
  CheckInParamsSchema,
  CheckInSubmitBodySchema,
  PaginationQuerySchema,
  PrepListParamsSchema,
  WeekPlanQuerySchema,
} from '@marketprep/contracts';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** How the tools reach the API: its origin and the token of the business they act for. */
export interface ToolsOptions {
  apiUrl: string;
  token: string;
  fetch?: typeof fetch;
}

type PrepList = ApiSchema<'PrepList'>;
type PrepListLine = PrepList['lines'][number];

/** A tool answer: a short text an assistant can read aloud plus the API's JSON. */
function answer(text: string, data: unknown): CallToolResult {
  return {
    content: [
      { type: 'text', text },
      { type: 'text', text: JSON.stringify(data) },
    ],
  };
}

/** The API's refusal (problem+json) as a tool error the assistant can relay. */
function refusal(status: number, problem: unknown): CallToolResult {
  const detail =
    problem && typeof problem === 'object'
      ? ((problem as { detail?: string; title?: string }).detail ??
        (problem as { title?: string }).title)
      : undefined;
  const hint =
    status === 401
      ? ' (the API token is missing, revoked or expired)'
      : status === 403
        ? ' (the API token lacks the scope or role for this)'
        : '';
  return {
    isError: true,
    content: [{ type: 'text', text: `MarketPrep answered ${status}: ${detail ?? 'error'}${hint}` }],
  };
}

const HEALTH_WORD = { good: 'good', check: 'check before packing', stale: 'out of date' } as const;

/** How far to trust a list or plan, first in an answer (docs/input-health.md). */
function describeHealth(health: ApiSchema<'InputHealth'>): string {
  return `Inputs: ${HEALTH_WORD[health.verdict]}.${health.summary ? ` ${health.summary}` : ''}`;
}

function describeLine(line: PrepListLine): string {
  const range = `${Math.round(line.q10)}-${Math.round(line.q90)}`;
  return `${line.productName}: bring ${line.effectiveQuantity} ${line.unit} (likely demand ${range}, expect to sell ${Math.round(line.expectedSold)}). ${line.explanation.summary}`;
}

async function fetchPrepList(
  api: ApiClient,
  params: { marketId: string; date: string },
): Promise<{ list: PrepList } | { error: CallToolResult }> {
  const { data, error, response } = await api.GET('/v1/markets/{marketId}/prep-lists/{date}', {
    params: { path: params },
  });
  if (!data) return { error: refusal(response.status, error) };
  return { list: data };
}

/**
 * The MarketPrep MCP server: tools over the REST API, acting with one API token. Input schemas
 * are the API's own zod contracts, so an assistant is held to what the API accepts.
 */
export function createMarketPrepMcpServer(options: ToolsOptions): McpServer {
  const api = createApiClient({
    baseUrl: options.apiUrl,
    token: options.token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const server = new McpServer({ name: 'marketprep', version: '1.0.0' });

  server.registerTool(
    'list_markets',
    {
      title: 'List markets',
      description:
        "The business's active markets with their weekly schedule, time zone and next market day. Use a market's id with the other tools.",
      inputSchema: PaginationQuerySchema.pick({ limit: true, cursor: true }),
      annotations: { readOnlyHint: true },
    },
    async ({ limit, cursor }) => {
      const { data, error, response } = await api.GET('/v1/markets', {
        params: { query: { limit, ...(cursor ? { cursor } : {}) } },
      });
      if (!data) return refusal(response.status, error);
      const lines = data.data.map(
        (m) =>
          `${m.name} (id ${m.id}, ${m.timezone})${m.nextMarketDate ? `: next on ${m.nextMarketDate}` : ''}`,
      );
      return answer(lines.length ? lines.join('\n') : 'No markets yet.', data);
    },
  );

  server.registerTool(
    'get_prep_list',
    {
      title: 'Get the prep list',
      description:
        'How much of each product to bring to a market on a date (market-local YYYY-MM-DD), with the likely range and a one-line reason per product.',
      inputSchema: PrepListParamsSchema,
      annotations: { readOnlyHint: true },
    },
    async (params) => {
      const result = await fetchPrepList(api, params);
      if ('error' in result) return result.error;
      const { list } = result;
      const text = [
        `Prep list for ${list.marketName} on ${list.date}:`,
        describeHealth(list.health),
        ...list.lines.map(describeLine),
      ].join('\n');
      return answer(text, list);
    },
  );

  server.registerTool(
    'explain_quantity',
    {
      title: 'Explain a quantity',
      description:
        'Why the prep list says to bring that many of one product: the typical day and each effect (weather, holiday, event, trend, sell-outs) in units. Name the product by id or by name.',
      inputSchema: PrepListParamsSchema.extend({
        productId: z.uuid().optional(),
        productName: z.string().trim().min(1).max(120).optional(),
      }),
      annotations: { readOnlyHint: true },
    },
    async ({ marketId, date, productId, productName }) => {
      const result = await fetchPrepList(api, { marketId, date });
      if ('error' in result) return result.error;
      const wanted = productName?.toLocaleLowerCase('en');
      const line = result.list.lines.find(
        (l) =>
          (productId && l.productId === productId) ||
          (wanted && l.productName.toLocaleLowerCase('en') === wanted),
      );
      if (!line) {
        return {
          isError: true,
          content: [
            {
              type: 'text',
              text: `No product ${productId ?? productName ?? '(none named)'} on this prep list. Products: ${result.list.lines.map((l) => l.productName).join(', ')}.`,
            },
          ],
        };
      }
      const { explanation } = line;
      const effects = explanation.effects.map(
        (e) =>
          `${e.label ?? e.name}: ${e.units >= 0 ? '+' : ''}${e.units.toFixed(1)} (${e.percent >= 0 ? '+' : ''}${e.percent.toFixed(0)}%, from ${e.support} market days)`,
      );
      const text = [
        describeLine(line),
        describeHealth(result.list.health),
        `Typical day: ${explanation.baseline.toFixed(1)} ${line.unit} (from ${explanation.baselineSupport} market days${explanation.basis ? `; ${explanation.basis}` : ''}).`,
        ...effects,
        `Median demand ${line.q50.toFixed(1)}; bringing ${line.effectiveQuantity} balances leftovers against selling out (critical ratio ${line.criticalRatio.toFixed(2)}).`,
      ].join('\n');
      return answer(text, line);
    },
  );

  server.registerTool(
    'get_week_plan',
    {
      title: "Get the week's plan",
      description:
        'What to make (or pick) by each deadline for all market days of the seven dates from `from` (YYYY-MM-DD): prep list quantities plus pre-orders and standing minimums, minus carried-over stock, in whole batches, within shared capacity. Frozen days no longer change.',
      inputSchema: WeekPlanQuerySchema,
      annotations: { readOnlyHint: true },
    },
    async ({ from }) => {
      const { data, error, response } = await api.GET('/v1/plans/week', {
        params: { query: { from } },
      });
      if (!data) return refusal(response.status, error);
      const lines = data.products.map((product) => {
        const days = product.days
          .filter((d) => d.make > 0 || d.bring > 0)
          .map(
            (d) =>
              `${d.marketName} ${d.date}: make ${d.make}, bring ${d.bring}${d.frozen ? ' (frozen)' : ''}`,
          );
        return `${product.productName} (${product.totalMake} ${product.unit} in all): ${days.join('; ') || 'nothing this week'}${product.cutNote ? `. ${product.cutNote}` : ''}`;
      });
      return answer(
        [`Plan for ${data.from} to ${data.to}:`, describeHealth(data.health), ...lines].join('\n'),
        data,
      );
    },
  );

  server.registerTool(
    'submit_check_in',
    {
      title: 'Submit a check-in',
      description:
        'Records the pack-up check-in of a market day: per product brought, sold, left over, wasted, donated (and sold-out time). Needs a token with the write scope. Reuse clientSubmissionId when retrying so it is stored once.',
      inputSchema: CheckInParamsSchema.extend({
        clientSubmissionId: z.uuid().optional(),
        lines: CheckInSubmitBodySchema.shape.lines,
      }),
      annotations: { readOnlyHint: false, idempotentHint: true },
    },
    async ({ marketId, date, clientSubmissionId, lines }) => {
      const body = { clientSubmissionId: clientSubmissionId ?? randomUUID(), lines };
      const parsed = CheckInSubmitBodySchema.safeParse(body);
      if (!parsed.success) {
        return {
          isError: true,
          content: [{ type: 'text', text: parsed.error.issues.map((i) => i.message).join('; ') }],
        };
      }
      const { data, error, response } = await api.PUT('/v1/markets/{marketId}/check-ins/{date}', {
        params: { path: { marketId, date } },
        body: parsed.data,
      });
      if (!data) return refusal(response.status, error);
      return answer(
        `Check-in saved for ${date} (${lines.length} product${lines.length === 1 ? '' : 's'}; submission ${body.clientSubmissionId}).`,
        data,
      );
    },
  );

  return server;
}
