/** The week's plan (issue 19): batches, carry-over, pre-orders, shared capacity, deadlines. */
export {
  allocateBatches,
  dayOutcome,
  daysBetween,
  planProductWeek,
  roundToBatches,
  withinShelfLife,
  type CarriedStock,
  type PlanCapacity,
  type PlanDay,
  type PlanDayInput,
  type PlanProductFacts,
  type ProductWeekPlan,
} from './week-plan-allocation';
export {
  DEADLINE_REMINDER_LEAD_MS,
  decisionDeadlineAt,
  DEFAULT_DECISION_DEADLINE,
  reminderDue,
  shiftDate,
  type DecisionDeadline,
} from './week-plan-deadline';
export {
  assembleWeekPlan,
  cutNoteOf,
  KEPT_LOOKBACK_DAYS,
  pickupDates,
  WEEK_PLAN_DAYS,
  WEEK_PLAN_NOTIFICATION_KINDS,
  WeekPlanner,
  type RainyDay,
} from './week-planner';
export {
  RAIN_PLAN_MIN_MM,
  RAIN_PLAN_MIN_PROB,
  rainForecastOf,
  rainyWeatherOf,
  type RainForecast,
} from './week-plan-rain';
