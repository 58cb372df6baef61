import { describe, expect, it } from 'vitest';

import {
  bandPath,
  formatRatioPercent,
  labelIndexes,
  linePath,
  niceMax,
  scaleLinear,
  ticks,
} from './chart-math';

describe('chart math', () => {
  it('rounds axis maxima up to readable numbers', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(8);
    expect(niceMax(38)).toBe(40);
    expect(niceMax(1234)).toBe(1500);
    expect(niceMax(Number.NaN)).toBe(1);
  });

  it('scales linearly, upside down for SVG y', () => {
    const y = scaleLinear([0, 40], [170, 10]);
    expect(y(0)).toBe(170);
    expect(y(40)).toBe(10);
    expect(y(20)).toBe(90);
    expect(scaleLinear([5, 5], [0, 100])(5)).toBe(50);
    expect(ticks(40)).toEqual([0, 10, 20, 30, 40]);
  });

  it('picks at most n labels, always the first and last', () => {
    expect([...labelIndexes(3, 5)]).toEqual([0, 1, 2]);
    expect([...labelIndexes(10, 4)]).toEqual([0, 3, 6, 9]);
  });

  it('draws lines and bands with gaps where values are missing', () => {
    expect(
      linePath([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
        { x: 2, y: null },
        { x: 3, y: 4 },
      ]),
    ).toBe('M0,1L1,2 M3,4');
    expect(
      bandPath([
        { x: 0, low: 10, high: 5 },
        { x: 1, low: 12, high: 6 },
        { x: 2, low: null, high: 3 },
      ]),
    ).toBe('M0,5 L1,6 L1,12 L0,10 Z');
  });

  it('formats effects as signed percentages', () => {
    expect(formatRatioPercent(0.153)).toBe('+15%');
    expect(formatRatioPercent(-0.2)).toBe('−20%');
    expect(formatRatioPercent(null)).toBe('—');
    expect(formatRatioPercent(0.001)).toBe('0%');
  });
});
