import { describe, expect, it } from 'vitest';
import { prefersMinimalReturn } from './check-ins';

describe('prefersMinimalReturn (RFC 7240 Prefer header)', () => {
  it.each([
    ['return=minimal', true],
    ['RETURN=Minimal', true],
    ['return="minimal"', true],
    ['respond-async, return=minimal; foo=bar', true],
    [' handling=lenient ,return = minimal', true],
    ['return=representation', false],
    ['return-minimal', false],
    ['minimal', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (header, expected) => {
    expect(prefersMinimalReturn(header)).toBe(expected);
  });
});
