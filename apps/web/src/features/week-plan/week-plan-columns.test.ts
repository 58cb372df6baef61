import { describe, expect, it } from 'vitest';

import { weekPlanColumns } from './week-plan-columns';

const day = { carriedOver: 0, preOrders: 0, cut: 0 };

describe('weekPlanColumns', () => {
  it('shows carried, pre-orders and cut only when a day of the week has them', () => {
    expect(weekPlanColumns({ days: [day, day] } as never)).toEqual({
      carried: false,
      preOrders: false,
      cut: false,
    });
    expect(
      weekPlanColumns({ days: [day, { ...day, carriedOver: 4 }, { ...day, cut: 2 }] } as never),
    ).toEqual({ carried: true, preOrders: false, cut: true });
    expect(weekPlanColumns({ days: [{ ...day, preOrders: 6 }] } as never).preOrders).toBe(true);
  });
});
