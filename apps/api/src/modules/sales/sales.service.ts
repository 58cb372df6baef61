import type { SalesBatchBody, SalesBatchResult } from '@marketprep/contracts';
import {
  AuditRepository,
  ImportsRepository,
  SalesIntakeRepository,
  withTenant,
  type ApiSaleLine,
  type DatabaseClient,
} from '@marketprep/db';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';
import {
  dateField,
  latestAcceptedDate,
  MAX_UNIT_PRICE,
  quantityField,
} from '../imports/csv-fields';
import { isRetryableConflict } from '../imports/imports.service';

/** Attempts of a batch PostgreSQL aborted as a deadlock or serialization failure. */
const WRITE_ATTEMPTS = 3;
const MAX_UNIT_PRICE_MINOR = MAX_UNIT_PRICE * 100;

type LineError = { path: string; message: string };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function milliToDecimal(milli: number): string {
  return (milli / 1000).toFixed(3);
}

/**
 * Checks every line of a batch with the CSV import's rules (date bounds, quantity range and
 * precision, unit price range) plus what JSON adds (a line id once per batch, refunds within the
 * quantity); returns the lines ready to write, or every error found.
 */
export function validateSalesBatch(
  body: SalesBatchBody,
  now: Date,
): { lines: ApiSaleLine[]; errors: LineError[] } {
  const date = dateField({ latest: latestAcceptedDate(now) });
  const quantity = quantityField({ allowNegative: false, label: 'quantity' });
  const refunded = quantityField({ allowNegative: false, label: 'refunded quantity' });
  const errors: LineError[] = [];
  const lines: ApiSaleLine[] = [];
  const seen = new Map<string, number>();
  body.lines.forEach((line, index) => {
    const at = (field: string) => `lines.${index}.${field}`;
    const before = errors.length;
    const first = seen.get(line.lineId);
    if (first !== undefined)
      errors.push({ path: at('lineId'), message: `The same lineId as lines.${first}` });
    else seen.set(line.lineId, index);
    const parsedDate = date.safeParse(line.date);
    if (!parsedDate.success)
      errors.push({ path: at('date'), message: parsedDate.error.issues[0]?.message ?? 'invalid' });
    const sold = quantity.safeParse(String(line.quantity));
    if (!sold.success)
      errors.push({ path: at('quantity'), message: sold.error.issues[0]?.message ?? 'invalid' });
    const back = refunded.safeParse(String(line.refundedQuantity ?? 0));
    if (!back.success)
      errors.push({
        path: at('refundedQuantity'),
        message: back.error.issues[0]?.message ?? 'invalid',
      });
    if (sold.success && back.success && back.data > sold.data)
      errors.push({
        path: at('refundedQuantity'),
        message: `The refunded quantity is more than the quantity ${line.quantity}`,
      });
    const price = line.unitPriceMinor ?? null;
    if (price !== null && (price < 0 || price > MAX_UNIT_PRICE_MINOR))
      errors.push({
        path: at('unitPriceMinor'),
        message: `${price} is not a unit price (0 to ${MAX_UNIT_PRICE_MINOR} minor units)`,
      });
    if (errors.length > before || !parsedDate.success || !sold.success || !back.success) return;
    const netMilli = sold.data - back.data;
    const gross = line.grossMinor ?? (price === null ? 0 : Math.round((price * netMilli) / 1000));
    if (Math.abs(gross) > MAX_UNIT_PRICE_MINOR * 100_000) {
      errors.push({ path: at('grossMinor'), message: `${gross} is not plausible for one line` });
      return;
    }
    lines.push({
      marketId: line.marketId,
      productId: line.productId,
      providerLineId: `${body.source}:${line.lineId}`,
      providerOrderId: `${body.source}:${line.orderId ?? line.lineId}`,
      date: parsedDate.data,
      quantity: milliToDecimal(sold.data),
      refundedQuantity: milliToDecimal(back.data),
      unitPriceMinor: price,
      grossMinor: gross,
    });
  });
  return { lines, errors };
}

/**
 * Sales in as JSON (`POST /v1/sales`) from point-of-sale systems other than Square: one batch is
 * validated whole, then written in one transaction or not at all. Each line is keyed by its
 * source and line id, so a batch sent twice changes nothing the second time; daily totals of
 * every touched day are recomputed from all sales (Square, CSV and API add up) and a retrain is
 * requested, as a CSV import does.
 */
export class SalesService {
  constructor(private readonly deps: { db: DatabaseClient; now: () => Date }) {}

  async receiveBatch(
    tenant: TenantContext,
    body: SalesBatchBody,
    requestId: string,
  ): Promise<SalesBatchResult> {
    const { lines, errors } = validateSalesBatch(body, this.deps.now());
    const fail = (found: LineError[]) =>
      new AppError(
        'BAD_REQUEST',
        `${found.length} problem(s) in the batch; nothing was written. Fix the lines named in errors and send the whole batch again.`,
        found.slice(0, 200),
        { code: 'sales-batch-invalid' },
      );
    if (errors.length > 0) throw fail(errors);
    lines.sort((a, b) => compareText(a.providerLineId, b.providerLineId));

    const apply = () =>
      withTenant(
        this.deps.db.prisma,
        tenant.vendorId,
        async (tx) => {
          const intake = new SalesIntakeRepository(tx);
          const known = await intake.findKnown({
            marketIds: [...new Set(lines.map((l) => l.marketId))],
            productIds: [...new Set(lines.map((l) => l.productId))],
          });
          const unknown: LineError[] = [];
          body.lines.forEach((line, index) => {
            if (!known.marketIds.has(line.marketId))
              unknown.push({ path: `lines.${index}.marketId`, message: 'No such market' });
            if (!known.productIds.has(line.productId))
              unknown.push({ path: `lines.${index}.productId`, message: 'No such product' });
          });
          if (unknown.length > 0) throw fail(unknown);

          const previous = await intake.findPreviousKeys(lines.map((l) => l.providerLineId));
          const { created, updated } = await intake.upsertLines(tenant.vendorId, lines);
          const keys = new Map<string, { marketId: string; productId: string; date: string }>();
          for (const k of [...previous, ...lines])
            keys.set(`${k.marketId}:${k.productId}:${k.date}`, {
              marketId: k.marketId,
              productId: k.productId,
              date: k.date,
            });
          const days = [...keys.values()].sort((a, b) =>
            compareText(
              `${a.marketId}:${a.productId}:${a.date}`,
              `${b.marketId}:${b.productId}:${b.date}`,
            ),
          );
          const imports = new ImportsRepository(tx);
          await imports.recomputeDailySales(tenant.vendorId, days);
          await intake.clearEmptyDays(days);
          await imports.requestRetrain(tenant.vendorId, requestId);
          const dates = lines.map((l) => l.date).sort();
          const dateRange = { from: dates[0] ?? '', to: dates.at(-1) ?? '' };
          await new AuditRepository(tx).record({
            vendorId: tenant.vendorId,
            actorUserId: tenant.userId,
            actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
            action: 'sales_batch.received',
            targetType: 'sales_batch',
            targetId: body.source,
            requestId,
            metadata: { source: body.source, lines: lines.length, created, updated, ...dateRange },
          });
          return {
            source: body.source,
            received: lines.length,
            created,
            updated,
            days: days.length,
            dateRange,
          };
        },
        { timeoutMs: 60_000, maxWaitMs: 10_000 },
      );
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await apply();
      } catch (error) {
        if (!isRetryableConflict(error)) throw error;
        if (attempt >= WRITE_ATTEMPTS) {
          throw new AppError(
            'UNAVAILABLE',
            'Other changes to these sales were being saved at the same moment. Send the batch again.',
          );
        }
      }
    }
  }
}
