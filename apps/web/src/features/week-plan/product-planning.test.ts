import { describe, expect, it } from 'vitest';
import { planningDraft, planningFromDraft, samePlanning } from './product-planning';

describe('product planning in the form', () => {
  it('reads the defaults for a product without planning and sends them back unchanged', () => {
    const draft = planningDraft(null);
    expect(draft).toMatchObject({
      batchSize: '1',
      daysBefore: '1',
      time: '18:00',
      capacityUnits: '',
    });
    expect(samePlanning(planningFromDraft(draft), null)).toBe(true);
  });

  it('turns trays, a deadline and a capacity into the contract and keeps market minimums', () => {
    const current = {
      batchSize: 1,
      standingMinimum: 0,
      marketMinimums: [{ marketId: '00000000-0000-4000-8000-000000000001', units: 4 }],
      decisionDeadline: null,
      capacity: null,
    };
    const sent = planningFromDraft({
      ...planningDraft(current),
      batchSize: '12',
      standingMinimum: '6',
      daysBefore: '1',
      time: '20:00',
      capacityUnits: '120',
      capacityPeriod: 'week',
    });
    expect(sent).toEqual({
      batchSize: 12,
      standingMinimum: 6,
      marketMinimums: current.marketMinimums,
      decisionDeadline: { daysBefore: 1, time: '20:00' },
      capacity: { units: 120, period: 'week' },
    });
    expect(samePlanning(sent, current)).toBe(false);
    expect(samePlanning(planningFromDraft(planningDraft(current)), current)).toBe(true);
  });

  it('sets, changes and clears a per-market minimum from its field', () => {
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    const draft = planningDraft({
      batchSize: 1,
      standingMinimum: 6,
      marketMinimums: [{ marketId: b, units: 4 }],
      decisionDeadline: null,
      capacity: null,
    });
    expect(draft.marketMinimums).toEqual({ [b]: '4' });
    // A minimum typed for market a, b's field emptied: a gets its own, b the general one.
    expect(planningFromDraft({ ...draft, marketMinimums: { [a]: '10', [b]: ' ' } })).toMatchObject({
      standingMinimum: 6,
      marketMinimums: [{ marketId: a, units: 10 }],
    });
    expect(
      planningFromDraft({ ...draft, marketMinimums: { [b]: '2', [a]: '0' } }).marketMinimums,
    ).toEqual([
      { marketId: a, units: 0 },
      { marketId: b, units: 2 },
    ]);
  });

  it('leaves an empty number as NaN so the schema reports the field', () => {
    expect(
      Number.isNaN(planningFromDraft({ ...planningDraft(null), batchSize: '' }).batchSize),
    ).toBe(true);
  });
});
