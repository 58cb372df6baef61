import { CheckInLineInputSchema, type CheckInLine } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import {
  isLineWorthSending,
  prefillLine,
  toLineInput,
  validateLine,
  type CheckInDraftLine,
} from './check-in-form';

const base: CheckInLine = {
  productId: '7d0c1c1e-2b9a-4a59-8d0e-2f1b3c4d5e6f',
  productName: 'Sourdough Loaf',
  unit: 'loaf',
  brought: null,
  sold: null,
  leftOver: null,
  wasted: null,
  donated: null,
  soldOutAt: null,
  rating: null,
  notes: null,
  recommendedQuantity: 40,
  salesQuantity: 34,
  checkedIn: false,
  updatedAt: null,
};

const draft = (patch: Partial<CheckInDraftLine>): CheckInDraftLine => ({
  ...prefillLine(base, 'America/Chicago'),
  ...patch,
});

describe('check-in form', () => {
  it('prefills brought from the prep list, sold from sales, left over as the difference', () => {
    expect(prefillLine(base, 'America/Chicago')).toMatchObject({
      brought: 40,
      sold: 34,
      leftOver: 6,
      wasted: 0,
      donated: 0,
      soldOutAt: '',
    });
    expect(
      prefillLine({ ...base, recommendedQuantity: null, salesQuantity: null }, 'UTC'),
    ).toMatchObject({
      brought: 0,
      sold: null,
      leftOver: 0,
    });
  });

  it('shows stored values, with the sell-out instant as the market’s local time', () => {
    const stored = prefillLine(
      {
        ...base,
        brought: 24,
        sold: 24,
        leftOver: 0,
        wasted: 0,
        donated: 0,
        soldOutAt: '2026-11-21T17:40:00.000Z',
        checkedIn: true,
      },
      'America/Chicago',
    );
    expect(stored).toMatchObject({ brought: 24, leftOver: 0, soldOutAt: '11:40', checkedIn: true });
  });

  it('mirrors the API rules: wasted + donated <= left over <= brought, sold <= brought', () => {
    expect(validateLine(draft({}))).toEqual({});
    expect(validateLine(draft({ leftOver: 41 })).leftOver).toMatch(/cannot be more than brought/);
    expect(validateLine(draft({ wasted: 4, donated: 3 })).wasted).toMatch(
      /Wasted \+ donated \(7\)/,
    );
    expect(validateLine(draft({ sold: 41 })).sold).toMatch(/cannot be more than brought/);
    expect(validateLine(draft({ wasted: -1 })).wasted).toMatch(/below 0/);
    expect(validateLine(draft({ brought: 1.23456 })).brought).toMatch(/3 decimals/);
    expect(validateLine(draft({ soldOutAt: '11:40' })).soldOutAt).toMatch(/leftovers/);
    expect(validateLine(draft({ leftOver: 0, soldOutAt: '25:00' })).soldOutAt).toMatch(/HH:MM/);
    expect(validateLine(draft({ rating: 6 })).rating).toBeDefined();
  });

  it('agrees with the API schema on what it lets through', () => {
    const cases: Partial<CheckInDraftLine>[] = [
      {},
      { leftOver: 0, soldOutAt: '11:40', sold: 40 },
      { wasted: 3, donated: 3 },
      { wasted: 4, donated: 3 },
      { leftOver: 41 },
      { sold: 41 },
      { soldOutAt: '11:40' },
      { brought: 2.5, sold: 2, leftOver: 0.5, wasted: 0.25, donated: 0.25 },
    ];
    for (const patch of cases) {
      const line = draft(patch);
      const ours = Object.keys(validateLine(line)).length === 0;
      const api = CheckInLineInputSchema.safeParse(toLineInput(line)).success;
      expect({ patch, ok: ours }).toEqual({ patch, ok: api });
    }
  });

  it('sends only lines that say something', () => {
    expect(isLineWorthSending(draft({}))).toBe(true);
    expect(isLineWorthSending(draft({ brought: 0, sold: null }))).toBe(false);
    expect(isLineWorthSending(draft({ brought: 0, sold: null, checkedIn: true }))).toBe(true);
  });
});
