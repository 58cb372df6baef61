/**
 * @marketprep/planning: training and prep-list computation, and billing entitlements and notices,
 * shared by the API (on request) and
 * the worker (scheduled, and when inputs change). Imports db, forecast and contracts; never
 * integrations (providers are the worker's business).
 */

/** Pure mapping from stored rows to the demand engine's inputs. */
export {
  buildTrainingInputs,
  chooseWeather,
  marketDayCovariates,
  productEconomics,
  scheduleOn,
  weatherColumns,
} from './prep-list-inputs';

/** Market-local calendar arithmetic: local dates and wall-clock times in a market's zone. */
export {
  addDays,
  daysBetween,
  inSeason,
  localDate,
  localTime,
  scheduledDates,
  wallClock,
  weekdayOf,
  zonedInstant,
  type ScheduledDate,
} from './local-time';

/** The market days a weekly schedule puts on the calendar, the planning horizon ahead. */
export { PLANNING_HORIZON_DAYS, scheduledCalendarDays } from './market-calendar';

/** Public and school holiday flags and the named holiday windows of a market's local date. */
export { closingHolidayOn, holidayFlagsOn, holidayLabel } from './holidays';

/** A forecast in the vendor's words: labels, the season note, where a guess comes from. */
export {
  availabilityNote,
  describeForecast,
  describeMonths,
  summarizeExplanation,
  type StoredLineExplanation,
} from './line-explanation';

/** Which dates are market days, in words a vendor reads (one rule for prep lists and check-ins). */
export {
  findLastMarketDate,
  findNearestMarketDates,
  formatMarketDate,
  formatMonthDay,
  LAST_MARKET_DAY_LOOKBACK_DAYS,
  NEAREST_MARKET_DAY_SEARCH_DAYS,
  notAMarketDayReason,
  type NearestMarketDates,
  type StoredDay,
  type WeeklyOpening,
} from './market-day-rules';

/** A market's weekly schedule (weekdays, season months) guessed from its sale dates. */
export {
  inferWeeklySchedule,
  SCHEDULE_INFERENCE_WINDOW_DAYS,
  type InferredSchedule,
} from './schedule-inference';

/** Train, compute and store: one code path for the API and the worker. */
export {
  generatePrepList,
  MODEL_MAX_LAG_DAYS,
  PlanningError,
  PrepListPlanner,
  SCHEDULE_WINDOW_DAYS,
  storeEveningBeforeLists,
  trainVendorModel,
  type GeneratedPrepList,
  type GeneratePrepListRequest,
  type PlanningErrorCode,
} from './planner';

/** Billing: what a business may do from its plan and state, and the notices to its owners. */
export {
  ALL_FEATURES,
  BILLING_STATES,
  decideEntitlements,
  entitlementsOfOverviewRow,
  DEFAULT_PLANS_FILE,
  FEATURE_WORDS,
  LIMIT_WORDS,
  loadPlansConfig,
  monthlyCents,
  planUnlocking,
  planWithFeature,
  PlansConfigSchema,
  UNLIMITED,
  type Entitlements,
  type LimitName,
  type PlanConfig,
  type PlansConfig,
  type SubscriptionFacts,
} from './entitlements';
export {
  BILLING_EMAIL_JOB,
  giveCardFreeTrialNotice,
  noticeDay,
  notifyOwners,
  TRIAL_NOTICE_DAYS,
  trialNoticeDue,
  type BillingNotice,
  type TrialNotice,
} from './billing-notices';

/** How far to trust a prep list: one verdict (good / check / stale) and its reasons in words. */
export {
  INPUT_HEALTH_THRESHOLDS,
  assessInputHealth,
  combineInputHealth,
  formatAge,
  salesRhythm,
} from './input-health';
export type {
  InputHealth,
  SalesMarketCalendar,
  SalesRhythm,
  InputHealthFacts,
  InputHealthInput,
  InputHealthReason,
  InputHealthVerdict,
} from './input-health';

/** The week's plan across markets: batch rounding, carry-over, pre-orders, shared capacity, deadlines. */
export * from './week-plan';

/** CPU-heavy work (model training) on a worker thread, off the process's event loop. */
export { runOffThread } from './off-thread';
