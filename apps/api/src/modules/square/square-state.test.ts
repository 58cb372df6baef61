import { describe, expect, it } from 'vitest';
import { STATE_TTL_MS, createOAuthState, verifyOAuthState } from './square-state';

const key = 'k'.repeat(40);
const now = new Date('2026-11-22T12:00:00Z');
const base = {
  key,
  vendorId: '00000000-0000-4000-8000-000000000001',
  userId: '00000000-0000-4000-8000-000000000002',
  sessionSecret: 'mp_s_session-secret-one',
  now,
};

describe('Square OAuth state', () => {
  it('round-trips for the same session before expiry', () => {
    const state = createOAuthState(base);
    expect(verifyOAuthState({ key, state, sessionSecret: base.sessionSecret, now })).toEqual({
      vendorId: base.vendorId,
      userId: base.userId,
    });
    expect(createOAuthState(base)).not.toBe(state); // a nonce each time
  });

  it('rejects another session, expiry, another key and any edit', () => {
    const state = createOAuthState(base);
    const check = (
      overrides: Partial<{ key: string; state: string; sessionSecret: string; now: Date }>,
    ) => verifyOAuthState({ key, state, sessionSecret: base.sessionSecret, now, ...overrides });
    expect(check({ sessionSecret: 'mp_s_another-session' })).toBeNull();
    expect(check({ now: new Date(now.getTime() + STATE_TTL_MS + 1) })).toBeNull();
    expect(check({ key: 'x'.repeat(40) })).toBeNull();
    expect(check({ state: `${state.slice(0, 5)}A${state.slice(6)}` })).toBeNull();
    expect(check({ state: `${state}.x` })).toBeNull();
    expect(check({ state: 'garbage' })).toBeNull();
  });
});
