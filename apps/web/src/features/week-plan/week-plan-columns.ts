import type { WeekPlanProduct } from '@marketprep/contracts';

/**
 * The columns of a product's table that say something: carried over, pre-orders and cut only when
 * some market day of the week has them. A column of dashes pushed Make and Bring past a phone's
 * screen (the table scrolls sideways), for what most products never have.
 */
export function weekPlanColumns(product: Pick<WeekPlanProduct, 'days'>): {
  carried: boolean;
  preOrders: boolean;
  cut: boolean;
} {
  return {
    carried: product.days.some((day) => day.carriedOver > 0),
    preOrders: product.days.some((day) => day.preOrders > 0),
    cut: product.days.some((day) => day.cut > 0),
  };
}
