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
    expect(samePlanning(planningFromDraft(draft, null), null)).toBe(true);
  });

  it('turns trays, a deadline and a capacity into the contract and keeps market minimums', () => {
    const current = {
      batchSize: 1,
      standingMinimum: 0,
      marketMinimums: [{ marketId: '00000000-0000-4000-8000-000000000001', units: 4 }],
      decisionDeadline: null,
      capacity: null,
    };
    const sent = planningFromDraft(
      {
        batchSize: '12',
        standingMinimum: '6',
        daysBefore: '1',
        time: '20:00',
        capacityUnits: '120',
        capacityPeriod: 'week',
      },
      current,
    );
    expect(sent).toEqual({
      batchSize: 12,
      standingMinimum: 6,
      marketMinimums: current.marketMinimums,
      decisionDeadline: { daysBefore: 1, time: '20:00' },
      capacity: { units: 120, period: 'week' },
    });
    expect(samePlanning(sent, current)).toBe(false);
  });

  it('leaves an empty number as NaN so the schema reports the field', () => {
    expect(
      Number.isNaN(planningFromDraft({ ...planningDraft(null), batchSize: '' }, null).batchSize),
    ).toBe(true);
  });
});
