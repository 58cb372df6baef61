import type { ProductPlanning } from '@marketprep/contracts';

/** The planning fields of the product form as typed (strings from the inputs). */
export interface PlanningDraft {
  batchSize: string;
  standingMinimum: string;
  daysBefore: string;
  time: string;
  capacityUnits: string;
  capacityPeriod: 'week' | 'day';
  /** Per market id, the minimum typed for that market; '' = the general minimum applies. */
  marketMinimums: Record<string, string>;
}

/** The form's fields for a product's stored planning (null = the defaults). */
export function planningDraft(planning: ProductPlanning | null): PlanningDraft {
  return {
    batchSize: String(planning?.batchSize ?? 1),
    standingMinimum: String(planning?.standingMinimum ?? 0),
    daysBefore: String(planning?.decisionDeadline?.daysBefore ?? 1),
    time: planning?.decisionDeadline?.time ?? '18:00',
    capacityUnits: planning?.capacity ? String(planning.capacity.units) : '',
    capacityPeriod: planning?.capacity?.period ?? 'week',
    marketMinimums: Object.fromEntries(
      (planning?.marketMinimums ?? []).map((m) => [m.marketId, String(m.units)]),
    ),
  };
}

/**
 * The planning to send from the form: numbers as typed (the contract's schema then says what is
 * wrong), no capacity when its field is empty, a per-market minimum for each market whose field
 * is filled (in market id order, so an unchanged form compares equal), and the deadline left null
 * while it is the default (evening before at 18:00).
 */
export function planningFromDraft(draft: PlanningDraft): ProductPlanning {
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  const daysBefore = number(draft.daysBefore);
  const isDefaultDeadline = daysBefore === 1 && draft.time === '18:00';
  return {
    batchSize: number(draft.batchSize),
    standingMinimum: number(draft.standingMinimum),
    marketMinimums: Object.entries(draft.marketMinimums)
      .filter(([, units]) => units.trim() !== '')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([marketId, units]) => ({ marketId, units: number(units) })),
    decisionDeadline: isDefaultDeadline ? null : { daysBefore, time: draft.time },
    capacity:
      draft.capacityUnits.trim() === ''
        ? null
        : { units: number(draft.capacityUnits), period: draft.capacityPeriod },
  };
}

/** Whether two plannings say the same (null and the defaults are the same). */
export function samePlanning(a: ProductPlanning | null, b: ProductPlanning | null): boolean {
  const norm = (p: ProductPlanning | null) => JSON.stringify(planningFromDraft(planningDraft(p)));
  return norm(a) === norm(b);
}
