import { describe, expect, it } from 'vitest';
import {
  dateField,
  isCalendarDate,
  latestAcceptedDate,
  parseMoneyMinor,
  quantityField,
} from './csv-fields';
import { squareProductName } from './square-item-sales';

describe('csv fields', () => {
  it('accepts only real calendar dates within bounds', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    const field = dateField({ latest: '2026-01-16', allowUs: true });
    expect(field.parse('06/07/2025')).toBe('2025-06-07');
    expect(field.safeParse('1999-12-31').success).toBe(false);
    expect(field.safeParse('2026-01-17').success).toBe(false);
    expect(field.parse(' 2026-01-16 ')).toBe('2026-01-16');
  });

  it('allows tomorrow in the zone where it is latest, not later', () => {
    // 15:00 UTC on Jan 15 is already Jan 16 in UTC+14; "tomorrow" there is Jan 17.
    expect(latestAcceptedDate(new Date('2026-01-15T15:00:00Z'))).toBe('2026-01-17');
  });

  it('parses quantities in thousandths and refuses negative, absurd and non-numbers', () => {
    const field = quantityField({ allowNegative: false, label: 'quantity' });
    expect(field.parse('12.0000000000')).toBe(12_000);
    expect(field.parse('0.5')).toBe(500);
    expect(field.safeParse('-1').success).toBe(false);
    expect(field.safeParse('100001').success).toBe(false);
    expect(field.safeParse('1e400').success).toBe(false);
    expect(field.safeParse('1,5').success).toBe(false);
    expect(field.safeParse('NaN').success).toBe(false);
    expect(quantityField({ allowNegative: true, label: 'q' }).parse('-2')).toBe(-2_000);
  });

  it("parses Square's money formats", () => {
    expect(parseMoneyMinor('$4.50')).toBe(450);
    expect(parseMoneyMinor('($4.50)')).toBe(-450);
    expect(parseMoneyMinor('-$4.50')).toBe(-450);
    expect(parseMoneyMinor('$1,234.5')).toBe(123_450);
    expect(parseMoneyMinor('')).toBeNull();
    expect(parseMoneyMinor('4,50')).toBe('invalid');
    expect(parseMoneyMinor('abc')).toBe('invalid');
  });

  it('names Square products by item and price point unless Regular', () => {
    expect(squareProductName('Croissant', 'Almond')).toBe('Croissant (Almond)');
    expect(squareProductName('Croissant', 'Regular')).toBe('Croissant');
    expect(squareProductName('Croissant', '')).toBe('Croissant');
  });
});
