const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether a `/prep-list/:marketId/:date` (or check-in) path names a market id and a date. */
export function isMarketDayParams({ marketId, date }: { marketId: string; date: string }): boolean {
  return UUID.test(marketId) && LOCAL_DATE.test(date);
}
