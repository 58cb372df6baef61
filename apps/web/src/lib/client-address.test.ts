import { describe, expect, it } from 'vitest';

import { forwardedFor } from './client-address';

describe('forwardedFor', () => {
  it('browser straight to the web app (0 hops): only the address the web app saw', () => {
    expect(forwardedFor(undefined, '198.51.100.7', 0)).toBe('198.51.100.7');
    // A forged header is dropped, whatever it claims.
    expect(forwardedFor('127.0.0.1, 10.0.0.1', '198.51.100.7', 0)).toBe('198.51.100.7');
  });

  it('behind a TLS proxy (1 hop): keeps what the proxy wrote, then adds the proxy itself', () => {
    expect(forwardedFor('10.9.9.9, 198.51.100.7', '172.18.0.2', 1)).toBe(
      '198.51.100.7, 172.18.0.2',
    );
    expect(forwardedFor(['10.9.9.9', '198.51.100.7'], '172.18.0.2', 1)).toBe(
      '198.51.100.7, 172.18.0.2',
    );
  });

  it('names an unknown peer rather than leaving the header empty', () => {
    expect(forwardedFor('', undefined, 0)).toBe('unknown');
  });
});
