'use client';

import { useEffect, useState } from 'react';

import { toLocalDate } from './format';

/**
 * The market's today by the browser's clock ('YYYY-MM-DD'). A page may be rendered elsewhere or
 * earlier (on the server, or loaded yesterday and opened offline), so the clock is read after
 * hydration: until then it is the day of `renderedAt` when given (the same on server and
 * client), else null.
 */
export function useMarketToday(timeZone: string | undefined, renderedAt?: Date): string | null {
  const initial =
    timeZone !== undefined && renderedAt !== undefined ? toLocalDate(renderedAt, timeZone) : null;
  const [today, setToday] = useState<string | null>(initial);
  useEffect(() => {
    setToday(timeZone === undefined ? null : toLocalDate(new Date(), timeZone));
  }, [timeZone]);
  return today;
}
