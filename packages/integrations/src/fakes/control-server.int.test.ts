import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNwsClient } from '../weather/nws.client';
import { startFakeControlServer, type FakeControlServer } from './control-server';
import { startFakeProviders, type FakeProviders } from './index';

let fakes: FakeProviders;
let control: FakeControlServer;
const runs: string[] = [];

beforeAll(async () => {
  fakes = await startFakeProviders();
  control = await startFakeControlServer({
    fakes: [fakes.nws, fakes.openMeteo, fakes.ticketmaster],
    port: 0,
    triggers: {
      'schedule-weather-refresh': () => {
        runs.push('weather');
        return Promise.resolve({ vendors: 1, requested: 1 });
      },
      broken: () => Promise.reject(new Error('secret detail')),
    },
  });
});
afterAll(async () => {
  await control.stop();
  await fakes.stop();
});

/** A raw request, so the Host and Content-Type headers are exactly what a test says. */
function call(
  method: string,
  path: string,
  options: { body?: string; contentType?: string; host?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, control.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: {
          host: options.host ?? url.host,
          ...(options.contentType ? { 'content-type': options.contentType } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: 'application/json' });

describe('the fakes control server (demo mode)', () => {
  it('listens on 127.0.0.1 and lists the fakes, their modes and the triggers', async () => {
    expect(control.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { status, body } = await call('GET', '/');
    expect(status).toBe(200);
    expect(body.fakes).toEqual([
      { name: 'nws', mode: 'ok', requestCount: 0 },
      { name: 'open-meteo', mode: 'ok', requestCount: 0 },
      { name: 'ticketmaster', mode: 'ok', requestCount: 0 },
    ]);
    expect(body.triggers).toEqual(['schedule-weather-refresh', 'broken']);
  });

  it('switches one fake to failing and back: the provider client sees it', async () => {
    const nws = createNwsClient({
      userAgent: 'MarketPrep test (ops@example.com)',
      baseUrl: fakes.nws.baseUrl,
      http: { retries: 0 },
    });
    const forecast = () => nws.getDailyForecast({ latitude: 41.88, longitude: -87.63 });
    await expect(forecast()).resolves.not.toHaveLength(0);

    const failing = await call('PUT', '/fakes/nws/mode', json({ mode: 'error500' }));
    expect(failing.status).toBe(200);
    expect(fakes.nws.mode).toBe('error500');
    expect(fakes.openMeteo.mode).toBe('ok');
    await expect(forecast()).rejects.toMatchObject({ status: 500 });

    expect((await call('PUT', '/fakes/nws/mode', json({ mode: 'ok' }))).status).toBe(200);
    await expect(forecast()).resolves.not.toHaveLength(0);
  });

  it('switches every fake at once, with the mode options', async () => {
    const all = await call('PUT', '/fakes/all/mode', json({ mode: 'rateLimited', times: 2 }));
    expect(all.status).toBe(200);
    expect([fakes.nws.mode, fakes.openMeteo.mode, fakes.ticketmaster.mode]).toEqual([
      'rateLimited',
      'rateLimited',
      'rateLimited',
    ]);
    await call('PUT', '/fakes/all/mode', json({ mode: 'ok' }));
    expect(fakes.ticketmaster.mode).toBe('ok');
  });

  it('runs a trigger once per call and hides a failing one behind a generic 500', async () => {
    const ran = await call('POST', '/triggers/schedule-weather-refresh', json({}));
    expect(ran).toEqual({
      status: 200,
      body: { trigger: 'schedule-weather-refresh', result: { vendors: 1, requested: 1 } },
    });
    expect(runs).toEqual(['weather']);
    const broken = await call('POST', '/triggers/broken', json({}));
    expect(broken.status).toBe(500);
    expect(JSON.stringify(broken.body)).not.toContain('secret detail');
    expect((await call('POST', '/triggers/nope', json({}))).status).toBe(404);
    expect((await call('POST', '/triggers/constructor', json({}))).status).toBe(404);
  });

  it('refuses other hosts, non-JSON writes, unknown fakes and modes, wrong methods, big bodies', async () => {
    const before = fakes.nws.mode;
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    expect(
      (await call('PUT', '/fakes/nws/mode', { ...json({ mode: 'hang' }), host: 'evil.example' }))
        .status,
    ).toBe(421);
    // A cross-site form post (no preflight) can only send simple content types.
    expect(
      (
        await call('PUT', '/fakes/nws/mode', {
          body: '{"mode":"hang"}',
          contentType: 'text/plain',
        })
      ).status,
    ).toBe(415);
    expect((await call('POST', '/triggers/broken', { body: '{}' })).status).toBe(415);
    expect((await call('PUT', '/fakes/stripe/mode', json({ mode: 'hang' }))).status).toBe(404);
    expect((await call('PUT', '/fakes/nws/mode', json({ mode: 'down' }))).status).toBe(400);
    expect((await call('PUT', '/fakes/nws/mode', json({ mode: 'ok', extra: 1 }))).status).toBe(400);
    expect(
      (await call('PUT', '/fakes/nws/mode', { body: '{', contentType: 'application/json' })).status,
    ).toBe(400);
    expect((await call('GET', '/fakes/nws/mode')).status).toBe(405);
    expect(
      (
        await call('PUT', '/fakes/nws/mode', {
          body: JSON.stringify({ mode: 'hang', pad: 'x'.repeat(5_000) }),
          contentType: 'application/json',
        })
      ).status,
    ).toBe(413);
    expect((await call('GET', '/elsewhere')).status).toBe(404);
    expect(fakes.nws.mode).toBe(before);
  });
});
