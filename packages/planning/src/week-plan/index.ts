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
  dueWeeks,
  KEPT_LOOKBACK_DAYS,
  WEEK_PLAN_DAYS,
  WEEK_PLAN_NOTIFICATION_KINDS,
  outlookNotifications,
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
export {
  evaluateOutlook,
  type OutlookDayAlerts,
  type OutlookEvaluation,
  type OutlookItem,
} from './week-plan-outlook';
export {
  pickupDates,
  preOrderedByDay,
  scheduledPickupDates,
  type PreOrderSchedule,
} from '../pre-order-pickups';
