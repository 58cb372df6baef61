import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEnv, weakSecretReason } from './env';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://app@127.0.0.1:5432/marketprep',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SESSION_SECRET: 'q7Vn2LrX9cTw4KpZ8bHs1MfYd6GjEa3U',
  SMTP_URL: 'smtps://mailer:pw@smtp.example.net:465',
  SQUARE_APPLICATION_ID: 'sq0idp-app',
  SQUARE_APPLICATION_SECRET: 'sq0csp-Hk3vT9qLw2',
  SQUARE_WEBHOOK_SIGNATURE_KEY: 'whk-Yt6Pq2',
  SQUARE_WEBHOOK_URL: 'https://app.example.net/v1/webhooks/square',
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  TOKEN_ENCRYPTION_KEY_ID: 'k1',
};

describe('API env in production', () => {
  it('starts with every required variable set to generated values', () => {
    const env = loadEnv(production);
    expect(env.NODE_ENV).toBe('production');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('refuses to start without REDIS_URL (limits would be per process)', () => {
    expect(() => loadEnv({ ...production, REDIS_URL: '' })).toThrow(/REDIS_URL is required/);
    expect(() => loadEnv({ ...production, REDIS_URL: undefined })).toThrow(/REDIS_URL is required/);
  });

  it.each([
    ['a typed word', 'my-marketprep-session-key-2026-prod!', /placeholder word/],
    ['a repeated unit', 'abc123XYZ!mn'.repeat(3), /repeats a short pattern/],
    ['a run of neighbours', 'abcdefghijklmnopqrstuvwxyz0123456789', /run of neighbouring/],
    ['few distinct characters', 'ab12ab21ba12ba21ab12ba12ab21ba21', /fewer than 10 distinct/],
    ['a short value', 'q7Vn2LrX9cTw4KpZ', /at least 32 characters/],
  ])('refuses a SESSION_SECRET that is %s, naming the variable', (_what, secret, reason) => {
    expect(() => loadEnv({ ...production, SESSION_SECRET: secret })).toThrow(/SESSION_SECRET/);
    expect(() => loadEnv({ ...production, SESSION_SECRET: secret })).toThrow(reason);
  });

  it('refuses the placeholder of .env.example, so a copied example never starts', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const value = /^SESSION_SECRET=(.*)$/m.exec(example)?.[1];
    expect(value).toBeTruthy();
    expect(() => loadEnv({ ...production, SESSION_SECRET: value })).toThrow(
      /SESSION_SECRET contains a placeholder word/,
    );
  });

  it('refuses a missing SESSION_SECRET', () => {
    expect(() => loadEnv({ ...production, SESSION_SECRET: undefined })).toThrow(
      /SESSION_SECRET is not set/,
    );
  });

  it('accepts what `openssl rand -base64 32` and `-hex 32` print, whatever they start with', () => {
    for (let i = 0; i < 500; i += 1) {
      const base64 = randomBytes(32).toString('base64');
      const hex = randomBytes(32).toString('hex');
      expect(weakSecretReason(base64), base64).toBeUndefined();
      expect(weakSecretReason(hex), hex).toBeUndefined();
    }
    // The old prefix test refused random secrets that happened to start with x, 0, dev or test.
    expect(weakSecretReason('x9Kq2LrV7cTw4PpZ8bHs1MfYd6GjEa3U')).toBeUndefined();
    expect(weakSecretReason('0f3a9c81d27e4b6a95c0e1d8f7b2a4c6')).toBeUndefined();
  });

  it('keeps development free of these requirements', () => {
    const env = loadEnv({ DATABASE_URL: production.DATABASE_URL });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.SESSION_SECRET).toBeUndefined();
  });
});

describe('API env: Stripe', () => {
  it('needs the webhook secret with the key, and refuses the local fake in production', () => {
    const dev = { DATABASE_URL: production.DATABASE_URL };
    expect(loadEnv(dev).STRIPE_SECRET_KEY).toBeUndefined();
    expect(() => loadEnv({ ...dev, STRIPE_SECRET_KEY: 'sk_test_abc123' })).toThrow(
      /STRIPE_WEBHOOK_SECRET is required/,
    );
    const billing = { STRIPE_SECRET_KEY: 'sk_live_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' };
    expect(loadEnv({ ...production, ...billing }).STRIPE_WEBHOOK_SECRET).toBe('whsec_abc123');
    expect(() =>
      loadEnv({ ...production, ...billing, STRIPE_API_BASE: 'http://127.0.0.1:4999' }),
    ).toThrow(/STRIPE_API_BASE/);
    expect(() => loadEnv({ ...dev, STRIPE_SECRET_KEY: 'pk_live_publishable' })).toThrow(
      /STRIPE_SECRET_KEY/,
    );
  });
});
