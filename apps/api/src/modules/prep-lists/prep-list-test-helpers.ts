/** What the prep-list integration tests share: a weekly market's past days and reading a list. */
import { PrepListSchema, type PrepList } from '@marketprep/contracts';
import { expect } from 'vitest';
import type { Agent, Harness } from '../../testing/harness';

/** The `count` dates a week apart before `date`, newest first: a weekly market's past days. */
export function weeksBefore(date: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(`${date}T00:00:00Z`) - (i + 1) * 7 * 86_400_000).toISOString().slice(0, 10),
  );
}

/** `GET url` as `agent`: a 200 with a prep list. */
export async function getPrepList(h: Harness, agent: Agent, url: string): Promise<PrepList> {
  const response = await h.call(agent, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return PrepListSchema.parse(response.json());
}
