import { describe, expect, it } from 'vitest';

import { moneyEffects } from './replay-money';

const dollars = (minor: number) => `$${(minor / 100).toFixed(2)}`;

describe('moneyEffects', () => {
  it('leaves out a part that is zero', () => {
    expect(moneyEffects({ wasteAvoidedMinor: 400, salesRecoveredMinor: 0 }, dollars)).toBe(
      '$4.00 less waste',
    );
    expect(moneyEffects({ wasteAvoidedMinor: 0, salesRecoveredMinor: 250 }, dollars)).toBe(
      '$2.50 of sell-outs recovered',
    );
  });

  it('says what a negative part cost instead of a minus sign', () => {
    expect(moneyEffects({ wasteAvoidedMinor: -300, salesRecoveredMinor: 900 }, dollars)).toBe(
      '$3.00 more waste, $9.00 of sell-outs recovered',
    );
    expect(moneyEffects({ wasteAvoidedMinor: 500, salesRecoveredMinor: -120 }, dollars)).toBe(
      '$5.00 less waste, $1.20 more in missed sales',
    );
  });

  it('says so when nothing changed', () => {
    expect(moneyEffects({ wasteAvoidedMinor: 0, salesRecoveredMinor: 0 }, dollars)).toBe(
      'no change in waste or sell-outs',
    );
  });
});
