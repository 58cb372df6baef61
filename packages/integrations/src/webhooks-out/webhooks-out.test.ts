import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendWebhook } from './send';
import { signWebhookBody, verifyWebhookSignature } from './signature';
import {
  addressRefusal,
  checkWebhookUrl,
  guardedLookup,
  WebhookTargetRefusedError,
} from './target-guard';

const production = { allowLoopback: false, requireHttps: true };
const tests = { allowLoopback: true, requireHttps: false };

describe('webhook signature (t=..,v1=HMAC-SHA256 of "t.body")', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"e1","type":"check_in.submitted"}';

  it('verifies its own signature within 5 minutes and refuses outside', () => {
    const header = signWebhookBody(secret, body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret, body, header, nowSeconds: 1_800_000_299 })).toBe(
      undefined,
    );
    expect(verifyWebhookSignature({ secret, body, header, nowSeconds: 1_800_000_301 })).toBe(
      'timestamp-outside-tolerance',
    );
    expect(verifyWebhookSignature({ secret, body, header, nowSeconds: 1_799_999_699 })).toBe(
      'timestamp-outside-tolerance',
    );
  });

  it('refuses another body, another secret, a flipped byte and garbage', () => {
    const header = signWebhookBody(secret, body, 1_800_000_000);
    const now = 1_800_000_000;
    expect(verifyWebhookSignature({ secret, body: `${body} `, header, nowSeconds: now })).toBe(
      'no-matching-signature',
    );
    expect(verifyWebhookSignature({ secret: 'whsec_other', body, header, nowSeconds: now })).toBe(
      'no-matching-signature',
    );
    const flipped = header.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(verifyWebhookSignature({ secret, body, header: flipped, nowSeconds: now })).toBe(
      'no-matching-signature',
    );
    for (const bad of [undefined, '', 't=abc,v1=00', 'v1=' + '0'.repeat(64), 't=1800000000']) {
      expect(verifyWebhookSignature({ secret, body, header: bad, nowSeconds: now })).toBe(
        'malformed',
      );
    }
    // A replayed timestamp with a signature of a different timestamp does not verify.
    const other = signWebhookBody(secret, body, now + 10).split(',')[1];
    expect(
      verifyWebhookSignature({ secret, body, header: `t=${now},${other}`, nowSeconds: now }),
    ).toBe('no-matching-signature');
  });
});

describe('webhook targets (SSRF)', () => {
  it('refuses private, loopback, link-local, ULA, metadata and mapped addresses in production', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      expect(addressRefusal(address, production), address).toBeDefined();
    }
    expect(addressRefusal('93.184.216.34', production)).toBeUndefined();
    expect(addressRefusal('2606:2800:220:1:248:1893:25c8:1946', production)).toBeUndefined();
  });

  it('allows loopback only when configured, and nothing else private', () => {
    expect(addressRefusal('127.0.0.1', tests)).toBeUndefined();
    expect(addressRefusal('::1', tests)).toBeUndefined();
    expect(addressRefusal('10.0.0.1', tests)).toBeDefined();
    expect(addressRefusal('169.254.169.254', tests)).toBeDefined();
  });

  it('checks scheme, credentials and literal hosts of the URL', () => {
    expect(() => checkWebhookUrl('http://example.com/hook', production)).toThrow(/https/);
    expect(() => checkWebhookUrl('https://user:pw@example.com/', production)).toThrow(/password/);
    expect(() => checkWebhookUrl('https://10.0.0.5/hook', production)).toThrow(
      WebhookTargetRefusedError,
    );
    expect(() => checkWebhookUrl('https://[::1]:8443/hook', production)).toThrow(/loopback/);
    expect(() => checkWebhookUrl('https://localhost/hook', production)).toThrow(/loopback/);
    expect(() => checkWebhookUrl('ftp://example.com/', tests)).toThrow(/http/);
    expect(checkWebhookUrl('https://hooks.example.com/x', production).hostname).toBe(
      'hooks.example.com',
    );
  });

  it('refuses a host NAME resolving to loopback when the connection is made (production)', async () => {
    const server = createServer((_req, res) => res.end('hit'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let hits = 0;
    server.on('request', () => (hits += 1));
    try {
      // The resolver's answer is checked at connect time (whatever the URL check let through).
      const lookedUp = await new Promise<Error | null>((resolve) =>
        guardedLookup(production)('localhost', { all: true }, (error) => resolve(error)),
      );
      expect(lookedUp).toBeInstanceOf(WebhookTargetRefusedError);
      expect(lookedUp?.message).toMatch(/localhost resolves to .* loopback address/);
      const refused = await sendWebhook({
        url: `http://localhost.:${port}/`,
        body: '{}',
        headers: {},
        policy: { allowLoopback: false, requireHttps: false },
      });
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatch(/loopback/);
      const allowed = await sendWebhook({
        url: `http://127.0.0.1:${port}/`,
        body: '{}',
        headers: {},
        policy: tests,
      });
      expect(allowed).toEqual({ ok: true, statusCode: 200 });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it('does not follow a redirect', async () => {
    let followed = 0;
    const server = createServer((req, res) => {
      if (req.url === '/target') {
        followed += 1;
        res.end('ok');
        return;
      }
      res.writeHead(302, { location: '/target' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await sendWebhook({
        url: `http://127.0.0.1:${port}/start`,
        body: '{}',
        headers: {},
        policy: tests,
      });
      expect(result).toMatchObject({ ok: false, statusCode: 302 });
      expect(result.error).toMatch(/redirects are not followed/);
      expect(followed).toBe(0);
    } finally {
      server.close();
    }
  });
});
