import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction';

describe('redactUrl', () => {
  it('hides OAuth codes and states, and reset or invite tokens', () => {
    expect(redactUrl('/v1/integrations/square/callback?code=sq0cgb-abc&state=xyz')).toBe(
      '/v1/integrations/square/callback?code=%5Bredacted%5D&state=%5Bredacted%5D',
    );
    expect(redactUrl('/accept-invite?token=mp_i_secret&next=%2Fdashboard')).toBe(
      '/accept-invite?token=%5Bredacted%5D&next=%2Fdashboard',
    );
  });

  it('leaves other URLs as they are', () => {
    expect(redactUrl('/v1/markets?limit=10&cursor=abc')).toBe('/v1/markets?limit=10&cursor=abc');
    expect(redactUrl('/health/ready')).toBe('/health/ready');
  });
});
