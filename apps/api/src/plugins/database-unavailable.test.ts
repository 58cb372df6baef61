import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './error-handler';

describe('isDatabaseUnavailable', () => {
  it('recognizes pool, connection and transaction-start failures, also as a cause', () => {
    expect(isDatabaseUnavailable({ code: 'P2028', message: 'Transaction API error' })).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Error('adapter failed', { cause: new Error('Connection terminated unexpectedly') }),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailable({ originalCode: '57P01', message: 'terminating connection' }),
    ).toBe(true);
  });

  it('leaves every other failure a 500', () => {
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable({ code: 'P2002', message: 'Unique constraint failed' })).toBe(
      false,
    );
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
