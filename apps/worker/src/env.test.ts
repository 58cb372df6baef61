import { describe, expect, it } from 'vitest';
import { loadEnv } from './env';

const base = { DATABASE_URL: 'postgresql://app@127.0.0.1:5432/marketprep' };
/** What production requires besides the database. */
const production = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AUDIT_PSEUDONYM_KEY: 'q7Vn2LrX9cTw4KpZ8bHs1MfYd6GjEa3U',
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  TOKEN_ENCRYPTION_KEY_ID: 'k1',
};

describe('worker env: provider fakes and their control', () => {
  it('takes the control port in demo mode', () => {
    const env = loadEnv({ ...base, PROVIDER_FAKES: 'true', PROVIDER_FAKES_CONTROL_PORT: '4190' });
    expect(env.PROVIDER_FAKES).toBe(true);
    expect(env.PROVIDER_FAKES_CONTROL_PORT).toBe(4190);
    expect(loadEnv(base).PROVIDER_FAKES_CONTROL_PORT).toBeUndefined();
  });

  it('refuses the control port without the fakes (real providers configured)', () => {
    expect(() => loadEnv({ ...base, PROVIDER_FAKES_CONTROL_PORT: '4190' })).toThrow(
      /PROVIDER_FAKES_CONTROL_PORT needs PROVIDER_FAKES=true/,
    );
  });

  it('refuses the fakes in production', () => {
    expect(() =>
      loadEnv({
        ...base,
        NODE_ENV: 'production',
        PROVIDER_FAKES: '1',
        REDIS_URL: 'redis://r:6379',
      }),
    ).toThrow(/PROVIDER_FAKES must be false in production/);
    expect(loadEnv({ ...base, ...production }).PROVIDER_FAKES).toBe(false);
  });

  it('refuses to start in production without REDIS_URL (the in-process runner is for development)', () => {
    expect(() => loadEnv({ ...base, ...production, REDIS_URL: undefined })).toThrow(
      /REDIS_URL is required/,
    );
    expect(() => loadEnv({ ...base, ...production, REDIS_URL: '' })).toThrow(
      /REDIS_URL is required/,
    );
    expect(loadEnv({ ...base, ...production }).REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(loadEnv(base).REDIS_URL).toBeUndefined();
  });

  it('refuses to start in production without the token key ring (webhook secrets are sealed)', () => {
    expect(() => loadEnv({ ...base, ...production, TOKEN_ENCRYPTION_KEYS: undefined })).toThrow(
      /TOKEN_ENCRYPTION_KEYS and TOKEN_ENCRYPTION_KEY_ID are required in production/,
    );
    expect(() => loadEnv({ ...base, ...production, TOKEN_ENCRYPTION_KEY_ID: '' })).toThrow(
      /TOKEN_ENCRYPTION_KEYS and TOKEN_ENCRYPTION_KEY_ID are required in production/,
    );
    expect(loadEnv({ ...base, ...production }).TOKEN_ENCRYPTION_KEY_ID).toBe('k1');
  });
});
