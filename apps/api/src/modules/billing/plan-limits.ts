import type { LimitName } from '@marketprep/planning';

/** A plan limit that adding would pass: the refusal's words and the plan that unlocks it. */
export interface PlanLimitExceeded {
  limit: LimitName;
  /** What the plan includes. */
  allowed: number;
  /** What the business has now. */
  current: number;
  /** How many the write would add. */
  adding: number;
  /** The cheapest plan that allows them all (null: none does). */
  requiredPlan: string | null;
  message: string;
}

/**
 * What the markets, products, team, API-token, imports and Square services ask billing before
 * adding one or more (`count`, default 1): `assertCanAdd` throws a 403 problem naming the plan
 * that unlocks it when the business's plan would be over; `checkAdd` only tells (the import
 * preview warns with it).
 */
export interface PlanLimitCheck {
  assertCanAdd(vendorId: string, limit: LimitName, count?: number): Promise<void>;
  checkAdd(vendorId: string, limit: LimitName, count?: number): Promise<PlanLimitExceeded | null>;
}
