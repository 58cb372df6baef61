import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ProviderHttpError,
  ProviderNetworkError,
  ProviderSchemaError,
  isProviderError,
  isProviderHttpError,
} from './errors';
import { createHttpClient, fullJitterDelay, parseRetryAfter, redactUrl } from './http-client';

const Schema = z.object({ ok: z.boolean() });

/** A fetch that plays back a script of answers (Response or thrown error). */
function scriptedFetch(script: (Response | Error)[]): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: () => {
      const next = script[Math.min(calls, script.length - 1)];
      calls += 1;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next!.clone());
    },
    calls: () => calls,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers });

describe('http client retries', () => {
  const url = new URL('https://provider.example/v1/thing?apikey=secret-key&x=1');

  it('retries 5xx and network errors with backoff, then succeeds', async () => {
    const delays: number[] = [];
    const script = scriptedFetch([
      json(503, {}),
      new TypeError('fetch failed'),
      json(200, { ok: true }),
    ]);
    const client = createHttpClient({
      provider: 'nws',
      userAgent: 'test',
      retries: 2,
      fetch: script.fetch,
      random: () => 0.5,
      backoff: { baseMs: 100, maxMs: 1_000 },
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    await expect(client.getJson({ url, schema: Schema })).resolves.toEqual({ ok: true });
    expect(script.calls()).toBe(3);
    expect(delays).toEqual([50, 100]); // 0.5 * 100 * 2^0, 0.5 * 100 * 2^1
  });

  it('never retries a 4xx other than 429', async () => {
    const script = scriptedFetch([json(404, { title: 'nope' })]);
    const client = createHttpClient({ provider: 'nws', userAgent: 't', fetch: script.fetch });
    const error: unknown = await client.getJson({ url, schema: Schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(isProviderHttpError(error) && [error.status, error.retryable]).toEqual([404, false]);
    expect(script.calls()).toBe(1);
  });

  it('waits at least Retry-After on 429, and gives up at once when it is too long', async () => {
    const delays: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      delays.push(ms);
      return Promise.resolve();
    };
    const short = scriptedFetch([json(429, {}, { 'retry-after': '2' }), json(200, { ok: true })]);
    const client = createHttpClient({
      provider: 'ticketmaster',
      userAgent: 't',
      fetch: short.fetch,
      sleep,
      random: () => 0,
    });
    await expect(client.getJson({ url, schema: Schema })).resolves.toEqual({ ok: true });
    expect(delays).toEqual([2_000]);

    const long = scriptedFetch([json(429, {}, { 'retry-after': '120' })]);
    const impatient = createHttpClient({
      provider: 'ticketmaster',
      userAgent: 't',
      fetch: long.fetch,
      sleep,
      maxRetryAfterMs: 10_000,
    });
    const error: unknown = await impatient
      .getJson({ url, schema: Schema })
      .catch((e: unknown) => e);
    expect(isProviderHttpError(error) && [error.status, error.retryAfterMs]).toEqual([
      429, 120_000,
    ]);
    expect(long.calls()).toBe(1);
  });

  it('reports invalid JSON and schema mismatches as ProviderSchemaError without retrying', async () => {
    const bad = scriptedFetch([new Response('{"ok": tru', { status: 200 })]);
    const client = createHttpClient({ provider: 'open-meteo', userAgent: 't', fetch: bad.fetch });
    await expect(client.getJson({ url, schema: Schema })).rejects.toBeInstanceOf(
      ProviderSchemaError,
    );
    expect(bad.calls()).toBe(1);

    const wrong = scriptedFetch([json(200, { ok: 'yes' })]);
    const strict = createHttpClient({ provider: 'open-meteo', userAgent: 't', fetch: wrong.fetch });
    const error: unknown = await strict.getJson({ url, schema: Schema }).catch((e: unknown) => e);
    expect(error instanceof ProviderSchemaError && error.issues[0]?.path).toEqual(['ok']);
  });

  it('keeps API keys out of error URLs', async () => {
    const down = scriptedFetch([new TypeError('fetch failed')]);
    const client = createHttpClient({
      provider: 'ticketmaster',
      userAgent: 't',
      fetch: down.fetch,
      retries: 0,
    });
    const error: unknown = await client.getJson({ url, schema: Schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderNetworkError);
    expect(isProviderError(error) && error.url).toBe(
      'https://provider.example/v1/thing?apikey=***&x=1',
    );
    expect(JSON.stringify(error) + String(error)).not.toContain('secret-key');
  });
});

describe('http helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('2015-10-21T07:28:00Z')),
    ).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('draws full-jitter delays below an exponential, capped ceiling', () => {
    const options = { baseMs: 100, maxMs: 1_000, random: () => 0.999 };
    expect([0, 1, 2, 3, 4, 5].map((n) => fullJitterDelay(n, options))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(fullJitterDelay(3, { ...options, random: () => 0 })).toBe(0);
  });

  it('redacts secret query parameters only', () => {
    expect(redactUrl('https://x.example/a?apikey=k&token=t&latitude=1')).toBe(
      'https://x.example/a?apikey=***&token=***&latitude=1',
    );
  });
});
