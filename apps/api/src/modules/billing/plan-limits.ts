import type { LimitName } from '@marketprep/planning';

/**
 * What the markets, products, team, API-token, imports and Square services ask billing before
 * adding one or more (`count`, default 1): throws a 403 problem naming the plan that unlocks it
 * when the business's plan would be over.
 */
export interface PlanLimitCheck {
  assertCanAdd(vendorId: string, limit: LimitName, count?: number): Promise<void>;
}
