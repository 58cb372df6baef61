import type { LimitName } from '@marketprep/planning';

/**
 * What the markets, products, team and API-token services ask billing before adding one more:
 * throws a 403 problem naming the plan that unlocks it when the business's plan is full.
 */
export interface PlanLimitCheck {
  assertCanAdd(vendorId: string, limit: LimitName): Promise<void>;
}
