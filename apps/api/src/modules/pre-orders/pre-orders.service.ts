import type { PreOrder, PreOrderCreateBody, PreOrderListQuery } from '@marketprep/contracts';
import { addDays, localDate, scheduledPickupDates } from '@marketprep/planning';
import {
  AuditRepository,
  WeekPlanRepository,
  withTenant,
  type DatabaseClient,
  type PreOrderRecord,
} from '@marketprep/db';
import { AppError } from '../../errors';
import { enqueueWork } from '../../lib/outbox';
import type { TenantContext } from '../../plugins/auth';

function toPreOrderDto(record: PreOrderRecord): PreOrder {
  return { ...record, createdAt: record.createdAt.toISOString() };
}

/** Pre-orders and standing orders: known demand on top of the walk-up forecast (issue 19). */
export class PreOrdersService {
  private readonly db: DatabaseClient;
  private readonly now: () => Date;

  constructor(options: { db: DatabaseClient; now: () => Date }) {
    this.db = options.db;
    this.now = options.now;
  }

  /** Orders with a possible pickup in [from, to] (either open), by first date. */
  async listPreOrders(tenant: TenantContext, query: PreOrderListQuery): Promise<PreOrder[]> {
    if (query.from && query.to && query.to < query.from) {
      throw new AppError('BAD_REQUEST', '`to` cannot be before `from`.', [
        { path: 'to', message: 'Before from' },
      ]);
    }
    const rows = await withTenant(this.db.prisma, tenant.vendorId, (tx) =>
      new WeekPlanRepository(tx).listPreOrders({ from: query.from, to: query.to }),
    );
    return rows.map(toPreOrderDto);
  }

  /**
   * Records an order for pickup at a market: the product and market must be the business's own
   * (404 otherwise, the same for unknown and foreign ids) and `firstDate` a scheduled market day
   * of that market (400).
   */
  async createPreOrder(
    tenant: TenantContext,
    body: PreOrderCreateBody,
    context: { requestId: string },
  ): Promise<PreOrder> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new WeekPlanRepository(tx);
      const target = await repo.findPickupTarget({
        productId: body.productId,
        marketId: body.marketId,
        date: body.firstDate,
      });
      if (!target.product) throw new AppError('NOT_FOUND', 'No such product.');
      if (!target.market) throw new AppError('NOT_FOUND', 'No such market.');
      if (!target.marketDay) {
        throw new AppError(
          'BAD_REQUEST',
          `${body.firstDate} is not a scheduled market day of this market: pick a date it opens.`,
          [{ path: 'firstDate', message: 'Not a scheduled market day of this market' }],
        );
      }
      const created = await repo.createPreOrder({
        vendorId: tenant.vendorId,
        productId: body.productId,
        marketId: body.marketId,
        customerName: body.customerName,
        quantity: body.quantity,
        repeat: body.repeat,
        firstDate: body.firstDate,
        untilDate: body.repeat === 'weekly' ? (body.untilDate ?? null) : null,
        notes: body.notes ?? null,
      });
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
        action: 'pre_order.created',
        targetType: 'pre_order',
        targetId: created.id,
        requestId: context.requestId,
        metadata: {
          productId: created.productId,
          quantity: created.quantity,
          repeat: created.repeat,
        },
      });
      return toPreOrderDto(created);
    });
  }

  /**
   * Records whether one pickup of an order happened. A missed one (a no-show, or a day the
   * customer called off) was not sold, so training takes none of its units out of what was sold,
   * and a day still ahead is planned without it. 404 for an unknown or foreign order, 400 for a
   * date the order has no pickup on.
   */
  async setPickup(
    tenant: TenantContext,
    params: { preOrderId: string; date: string },
    pickedUp: boolean,
    context: { requestId: string },
  ): Promise<PreOrder> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new WeekPlanRepository(tx);
      const order = await repo.findPreOrder(params.preOrderId);
      if (!order) throw new AppError('NOT_FOUND', 'No such pre-order.');
      if (scheduledPickupDates(order, params.date, params.date).length === 0) {
        throw new AppError(
          'BAD_REQUEST',
          `This order has no pickup on ${params.date}: ${
            order.repeat === 'once'
              ? `its pickup is on ${order.firstDate}`
              : `it is picked up weekly from ${order.firstDate}${order.untilDate ? ` through ${order.untilDate}` : ''}`
          }.`,
          [{ path: 'date', message: 'Not a pickup date of this order' }],
        );
      }
      const missed = !pickedUp;
      if (order.missedPickups.includes(params.date) !== missed) {
        await repo.setPickupMissed({
          vendorId: tenant.vendorId,
          preOrderId: order.id,
          date: params.date,
          missed,
        });
        await new AuditRepository(tx).record({
          vendorId: tenant.vendorId,
          actorUserId: tenant.userId,
          actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
          action: missed ? 'pre_order.pickup_missed' : 'pre_order.picked_up',
          targetType: 'pre_order',
          targetId: order.id,
          requestId: context.requestId,
          metadata: { date: params.date },
        });
        // What the model learns from changed (a missed pickup's units stay in sold), as after a
        // check-in.
        await enqueueWork(tx, {
          jobName: 'retrain-vendor',
          payload: { vendorId: tenant.vendorId },
          dedupeKey: `retrain:${tenant.vendorId}`,
          requestId: context.requestId,
        });
      }
      const missedPickups = missed
        ? [...new Set([...order.missedPickups, params.date])].sort()
        : order.missedPickups.filter((date) => date !== params.date);
      return toPreOrderDto({ ...order, missedPickups });
    });
  }

  /**
   * Cancels an order's pickups to come (from the market's today on; a frozen plan keeps what it
   * froze). Its past pickups are history: they were sold, and training takes their units out of
   * what sold, so a standing order that ran for months is ended after its last past pickup
   * instead of deleted (deleting it would teach the engine that walk-ups bought those units, and
   * the next list would grow just as the order stops). An order with no pickup before today, or
   * none to come (a record entered by mistake, or ended before), is deleted.
   */
  async deletePreOrder(
    tenant: TenantContext,
    preOrderId: string,
    context: { requestId: string },
  ): Promise<void> {
    await withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new WeekPlanRepository(tx);
      const order = await repo.findPreOrder(preOrderId);
      const timezone = order && (await repo.marketTimezone(order.marketId));
      if (!order || !timezone) throw new AppError('NOT_FOUND', 'No such pre-order.');
      const today = localDate(this.now(), timezone);
      const yesterday = addDays(today, -1);
      const past = scheduledPickupDates(order, order.firstDate, yesterday);
      const toCome =
        (order.repeat === 'weekly' && !order.untilDate) ||
        scheduledPickupDates(order, today, order.untilDate ?? order.firstDate).length > 0;
      const endAfter = toCome ? past.at(-1) : undefined;
      if (endAfter) await repo.endPreOrder({ id: order.id, untilDate: endAfter });
      else await repo.deletePreOrder(order.id);
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
        action: endAfter ? 'pre_order.ended' : 'pre_order.deleted',
        targetType: 'pre_order',
        targetId: preOrderId,
        requestId: context.requestId,
        ...(endAfter ? { metadata: { untilDate: endAfter } } : {}),
      });
    });
  }
}
