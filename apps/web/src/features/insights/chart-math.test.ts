import { describe, expect, it } from 'vitest';

import {
  bandPath,
  formatRatioPercent,
  labelIndexes,
  linePath,
  niceAxis,
  scaleLinear,
} from './chart-math';

describe('chart math', () => {
  it('picks readable whole-number ticks that never repeat', () => {
    // The forecast chart of a slow seller used to read "0, 1, 1, 2, 2".
    expect(niceAxis(2)).toEqual({ max: 2, ticks: [0, 1, 2] });
    expect(niceAxis(1.4)).toEqual({ max: 2, ticks: [0, 1, 2] });
    expect(niceAxis(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceAxis(38)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceAxis(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(niceAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceAxis(Number.NaN)).toEqual({ max: 1, ticks: [0, 1] });
    for (let tenths = 5; tenths < 5000; tenths += 7) {
      const max = tenths / 10;
      const { ticks, max: top } = niceAxis(max);
      expect(ticks.every((tick) => Number.isInteger(tick))).toBe(true);
      expect(new Set(ticks.map((tick) => String(Math.round(tick)))).size).toBe(ticks.length);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it('keeps money ticks on whole dollars and allows fractions only when asked', () => {
    // Revenue in cents: $0, $500, $1,000, $1,500.
    expect(niceAxis(123_456, { minStep: 100 }).ticks).toEqual([0, 50_000, 100_000, 150_000]);
    expect(niceAxis(150, { minStep: 100 }).ticks).toEqual([0, 100, 200]);
    expect(niceAxis(0.3, { minStep: 0.1 }).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('scales linearly, upside down for SVG y', () => {
    const y = scaleLinear([0, 40], [170, 10]);
    expect(y(0)).toBe(170);
    expect(y(40)).toBe(10);
    expect(y(20)).toBe(90);
    expect(scaleLinear([5, 5], [0, 100])(5)).toBe(50);
  });

  it('picks at most n labels, always the first and last', () => {
    expect([...labelIndexes(3, 5)]).toEqual([0, 1, 2]);
    expect([...labelIndexes(10, 4)]).toEqual([0, 3, 6, 9]);
    // Six bars, room for five labels: never two side by side.
    expect([...labelIndexes(6, 5)]).toEqual([0, 3, 5]);
    expect([...labelIndexes(19, 5)]).toEqual([0, 6, 12, 18]);
    for (let count = 2; count <= 60; count++) {
      const picked = [...labelIndexes(count, 5)];
      expect(picked.length).toBeLessThanOrEqual(5);
      expect(picked[0]).toBe(0);
      expect(picked.at(-1)).toBe(count - 1);
      if (count > 5) {
        const closest = Math.min(...picked.slice(1).map((index, i) => index - picked[i]!));
        expect(closest).toBeGreaterThanOrEqual(Math.ceil((count - 1) / 4));
      }
    }
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
