import { CheckInLineInputSchema, type CheckInLine } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import {
  applyLinePatch,
  describePrefill,
  findConflicts,
  isLineWorthSending,
  selectLinesToSend,
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
  prefilledFrom: { sold: 'sales', soldOutAt: null },
  checkedIn: false,
  updatedAt: null,
};

const draft = (patch: Partial<CheckInDraftLine>): CheckInDraftLine => ({
  ...prefillLine(base, 'America/Chicago'),
  ...patch,
});

describe('check-in form', () => {
  it('sends each line with the version it was loaded with, so a stale save is refused', () => {
    const saved = '2026-12-05T18:00:00.123Z';
    const stored = prefillLine(
      { ...base, brought: 40, sold: 30, leftOver: 10, checkedIn: true, updatedAt: saved },
      'UTC',
    );
    const input = toLineInput(applyLinePatch(stored, { leftOver: 8 }));
    expect(input.expectedUpdatedAt).toBe(saved);
    expect(CheckInLineInputSchema.parse(input).expectedUpdatedAt).toBe(saved);
    // A line with nothing saved yet expects none (null), not "anything goes" (undefined).
    expect(toLineInput(draft({})).expectedUpdatedAt).toBeNull();
  });

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
      broughtKnown: false,
      sold: null,
      leftOver: 0,
    });
  });

  it('without a prep list, brought is sold + left over, never a validation trap', () => {
    // A CSV-onboarded business: sales say 30 sold, nothing says what was brought.
    const noPlan = prefillLine({ ...base, recommendedQuantity: null, salesQuantity: 30 }, 'UTC');
    expect(noPlan).toMatchObject({ brought: 30, broughtKnown: false, sold: 30, leftOver: 0 });
    expect(validateLine(noPlan)).toEqual({});
    expect(isLineWorthSending(noPlan)).toBe(true);
    expect(CheckInLineInputSchema.safeParse(toLineInput(noPlan)).success).toBe(true);

    // Left over 4 on top: brought follows (34), still valid, and the API takes it.
    const withLeftOver = applyLinePatch(noPlan, { leftOver: 4, wasted: 1 });
    expect(withLeftOver).toMatchObject({ brought: 34, sold: 30, leftOver: 4, wasted: 1 });
    expect(validateLine(withLeftOver)).toEqual({});
    expect(CheckInLineInputSchema.safeParse(toLineInput(withLeftOver)).success).toBe(true);

    // Typing brought makes it known: from then on the rules apply to it.
    const typed = applyLinePatch(withLeftOver, { brought: 20 });
    expect(typed).toMatchObject({ brought: 20, broughtKnown: true });
    expect(validateLine(typed).sold).toMatch(/Sold \(30\) cannot be more than brought \(20\)/);
    expect(applyLinePatch(typed, { leftOver: 2 }).brought).toBe(20);

    // A line with a prep list keeps its planned quantity when left over changes.
    expect(applyLinePatch(draft({}), { leftOver: 10 })).toMatchObject({ brought: 40 });
  });

  it('sends only the lines the person changed; untouched, it confirms the new prefilled lines', () => {
    const apples = prefillLine({ ...base, productId: 'a', productName: 'Apples' }, 'UTC');
    const pears = prefillLine({ ...base, productId: 'p', productName: 'Pears' }, 'UTC');
    const stored = prefillLine(
      { ...base, productId: 's', brought: 10, leftOver: 1, sold: 9, checkedIn: true },
      'UTC',
    );
    const loaded = [apples, pears, stored];
    expect(selectLinesToSend(loaded, loaded).map((line) => line.productId)).toEqual(['a', 'p']);
    const edited = [applyLinePatch(apples, { leftOver: 3 }), pears, stored];
    expect(selectLinesToSend(edited, loaded).map((line) => line.productId)).toEqual(['a']);
    const editedStored = [apples, pears, applyLinePatch(stored, { wasted: 1 })];
    expect(selectLinesToSend(editedStored, loaded).map((line) => line.productId)).toEqual(['s']);
    // Changed back to what was loaded counts as untouched (a new line is then confirmed as is).
    const undone = [applyLinePatch(applyLinePatch(apples, { leftOver: 3 }), { leftOver: 6 })];
    expect(selectLinesToSend(undone, [apples]).map((line) => line.productId)).toEqual(['a']);
  });

  it('finds the lines changed on the server since the form was loaded', () => {
    const loaded = {
      marketId: 'm',
      marketDayId: null,
      date: '2026-12-05',
      timezone: 'UTC',
      opensAt: null,
      closesAt: null,
      checkInOpen: true,
      lines: [
        { ...base, productId: 'a' },
        { ...base, productId: 'p', checkedIn: true, updatedAt: '2026-12-05T18:00:00.000Z' },
        { ...base, productId: 'q', checkedIn: true, updatedAt: '2026-12-05T18:00:00.000Z' },
      ],
    };
    const current = {
      ...loaded,
      lines: [
        { ...base, productId: 'a', checkedIn: true, updatedAt: '2026-12-05T19:00:00.000Z' },
        { ...base, productId: 'p', checkedIn: true, updatedAt: '2026-12-05T19:30:00.000Z' },
        { ...base, productId: 'q', checkedIn: true, updatedAt: '2026-12-05T18:00:00.000Z' },
      ],
    };
    expect(findConflicts(['a', 'p', 'q'], loaded, current).map((l) => l.productId)).toEqual([
      'a',
      'p',
    ]);
    // A line changed elsewhere that this person did not touch is no conflict.
    expect(findConflicts(['q'], loaded, current)).toEqual([]);
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

  it('says a sold count and sell-out time came from Square while they stand as prefilled', () => {
    const square = prefillLine(
      {
        ...base,
        sold: 14,
        salesQuantity: 14,
        soldOutAt: '2026-12-05T16:40:00.000Z',
        prefilledFrom: { sold: 'square', soldOutAt: 'square' },
      },
      'America/Chicago',
    );
    expect(describePrefill(square)).toEqual({
      sold: 'from Square',
      soldOutAt: 'From Square: last sale 10:40',
    });
    // Typed over, the value is the vendor's own: no note.
    expect(describePrefill(applyLinePatch(square, { soldOutAt: '11:15', sold: 15 }))).toEqual({});
    // CSV sales: the sold count says where it came from, no sell-out time is known.
    expect(describePrefill(prefillLine(base, 'UTC'))).toEqual({ sold: 'from your sales data' });
    // A stored check-in is not a prefill.
    const stored = prefillLine(
      {
        ...base,
        brought: 40,
        sold: 30,
        leftOver: 10,
        checkedIn: true,
        prefilledFrom: { sold: null, soldOutAt: null },
      },
      'UTC',
    );
    expect(describePrefill(stored)).toEqual({});
  });
});
