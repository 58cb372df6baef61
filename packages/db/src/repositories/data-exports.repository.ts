import { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** Status of an export or erasure request. */
export type DataRequestStatus =
  'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

/** An export request as the apps see it. */
export interface DataExportRecord {
  id: string;
  vendorId: string;
  requestedByUserId: string | null;
  status: DataRequestStatus;
  progress: number;
  location: string | null;
  sizeBytes: bigint | null;
  error: string | null;
  requestedAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
  downloadedAt: Date | null;
}

const select = {
  id: true,
  vendorId: true,
  requestedByUserId: true,
  status: true,
  progress: true,
  location: true,
  sizeBytes: true,
  error: true,
  requestedAt: true,
  completedAt: true,
  expiresAt: true,
  downloadedAt: true,
} as const satisfies Prisma.DataExportRequestSelect;

/** One CSV of the export archive: its file name and columns, in order. */
export interface ExportEntity {
  name: ExportEntityName;
  file: string;
  columns: readonly string[];
}

/** The entities an export holds, one CSV each. */
export type ExportEntityName =
  | 'markets'
  | 'market_schedules'
  | 'market_days'
  | 'products'
  | 'sales'
  | 'daily_sales'
  | 'check_ins'
  | 'prep_lists'
  | 'prep_list_lines'
  | 'events'
  | 'notifications'
  | 'pre_orders'
  | 'alert_settings'
  | 'push_subscriptions'
  | 'replays'
  | 'audit_log';

/**
 * The archive's CSVs. `sales.csv` and `daily_sales.csv` start with the plain import layout
 * (`date,market,product,quantity,unit_price`), so either re-imports into another business; the
 * columns after those are kept for the record and ignored by the import.
 */
export const EXPORT_ENTITIES: readonly ExportEntity[] = [
  {
    name: 'markets',
    file: 'markets.csv',
    columns: [
      'id',
      'name',
      'address',
      'latitude',
      'longitude',
      'timezone',
      'country_code',
      'region_code',
      'booth_fee_minor',
      'active',
      'archived_at',
      'created_at',
    ],
  },
  {
    name: 'market_schedules',
    file: 'market_schedules.csv',
    columns: [
      'id',
      'market',
      'weekday',
      'opens_at',
      'closes_at',
      'season_from',
      'season_to',
      'weeks_of_month',
      'every_other_week_from',
    ],
  },
  {
    name: 'market_days',
    file: 'market_days.csv',
    columns: ['id', 'market', 'date', 'status', 'opens_at', 'closes_at', 'notes'],
  },
  {
    name: 'products',
    file: 'products.csv',
    columns: [
      'id',
      'name',
      'unit',
      'category',
      'price_minor',
      'unit_cost_minor',
      'salvage_value_minor',
      'shelf_life_days',
      'expected_daily_units',
      'active',
      'season',
    ],
  },
  {
    name: 'sales',
    file: 'sales.csv',
    columns: [
      'date',
      'market',
      'product',
      'quantity',
      'unit_price',
      'id',
      'source',
      'state',
      'sold_at',
      'quantity_sold',
      'refunded_quantity',
      'gross_minor',
      'provider_order_id',
      'provider_line_id',
    ],
  },
  {
    name: 'daily_sales',
    file: 'daily_sales.csv',
    columns: ['date', 'market', 'product', 'quantity', 'unit_price', 'revenue_minor', 'line_count'],
  },
  {
    name: 'check_ins',
    file: 'check_ins.csv',
    columns: [
      'id',
      'market',
      'date',
      'product',
      'brought',
      'sold',
      'left_over',
      'wasted',
      'donated',
      'sold_out_at',
      'rating',
      'notes',
      'updated_at',
    ],
  },
  {
    name: 'prep_lists',
    file: 'prep_lists.csv',
    columns: ['id', 'market', 'date', 'status', 'trigger', 'generated_at', 'sales_as_of'],
  },
  {
    name: 'prep_list_lines',
    file: 'prep_list_lines.csv',
    columns: [
      'id',
      'prep_list_id',
      'product',
      'quantity',
      'override_quantity',
      'q10',
      'q50',
      'q90',
      'critical_ratio',
      'expected_sold',
      'expected_revenue_minor',
      'model_rung',
      'data_sufficiency',
      'explanation',
    ],
  },
  {
    name: 'events',
    file: 'events.csv',
    columns: [
      'id',
      'market',
      'source',
      'name',
      'date',
      'starts_at',
      'ends_at',
      'venue_name',
      'distance_km',
      'expected_attendance',
      'category',
      'url',
    ],
  },
  {
    name: 'notifications',
    file: 'notifications.csv',
    columns: ['id', 'kind', 'title', 'body', 'read_at', 'created_at'],
  },
  {
    // Orders for pickup at a market (the week's plan, issue 19): customer names are the vendor's data.
    name: 'pre_orders',
    file: 'pre_orders.csv',
    columns: [
      'id',
      'product',
      'market',
      'customer_name',
      'quantity',
      'repeat',
      'first_date',
      'until_date',
      'notes',
      'missed_pickups',
      'created_at',
    ],
  },
  {
    // Which alerts go by email and push, and the outlook-change threshold (issue 19).
    name: 'alert_settings',
    file: 'alert_settings.csv',
    columns: ['routes', 'outlook_threshold_mode', 'outlook_threshold_value', 'updated_at'],
  },
  {
    // The browsers subscribed to push; the endpoint and keys are the push service's secrets.
    name: 'push_subscriptions',
    file: 'push_subscriptions.csv',
    columns: ['id', 'member', 'user_agent', 'created_at', 'last_success_at'],
  },
  {
    // "Your last season, replayed" (issue 22): each replay and its result (JSON).
    name: 'replays',
    file: 'replays.csv',
    columns: ['id', 'status', 'months', 'requested_at', 'completed_at', 'result'],
  },
  {
    name: 'audit_log',
    file: 'audit_log.csv',
    columns: [
      'id',
      'created_at',
      'actor_type',
      'actor',
      'action',
      'target_type',
      'target_id',
      'metadata',
    ],
  },
];

/** One exported row: its keyset cursor and its cells in the entity's column order. */
export interface ExportRow {
  cursor: string;
  cells: (string | null)[];
}

type Cell = string | null;

const iso = (column: string) =>
  Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** Data export requests and the streamed reads that fill the archive (one tenant transaction). */
export class DataExportsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Records a new export request. */
  async createExport(input: { vendorId: string; requestedByUserId: string | null }) {
    return this.tx.dataExportRequest.create({ data: input, select });
  }

  /** An export that is still queued or being built, if any. */
  async findActiveExport(): Promise<DataExportRecord | null> {
    return this.tx.dataExportRequest.findFirst({
      where: { status: { in: ['PENDING', 'RUNNING'] } },
      orderBy: { requestedAt: 'desc' },
      select,
    });
  }

  /** One export of the tenant. */
  async findExport(id: string): Promise<DataExportRecord | null> {
    return this.tx.dataExportRequest.findUnique({ where: { id }, select });
  }

  /** The tenant's latest exports, newest first. */
  async listExports(take: number): Promise<DataExportRecord[]> {
    return this.tx.dataExportRequest.findMany({
      orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
      take,
      select,
    });
  }

  /** Moves a PENDING (or a crashed RUNNING) export to RUNNING; null when it is past that. */
  async startExport(id: string): Promise<DataExportRecord | null> {
    const changed = await this.tx.dataExportRequest.updateMany({
      where: { id, status: { in: ['PENDING', 'RUNNING'] } },
      data: { status: 'RUNNING', progress: 0, error: null },
    });
    return changed.count === 1 ? this.findExport(id) : null;
  }

  /** Stores the build's progress (0-100). */
  async setProgress(id: string, progress: number): Promise<void> {
    await this.tx.dataExportRequest.updateMany({
      where: { id, status: 'RUNNING' },
      data: { progress: Math.max(0, Math.min(100, Math.round(progress))) },
    });
  }

  /** Marks the archive built and downloadable until `expiresAt`. */
  async completeExport(
    id: string,
    input: { location: string; sizeBytes: number; completedAt: Date; expiresAt: Date },
  ): Promise<void> {
    await this.tx.dataExportRequest.update({
      where: { id },
      data: { ...input, sizeBytes: BigInt(input.sizeBytes), status: 'COMPLETED', progress: 100 },
    });
  }

  /** Marks the build failed with a reason shown to the owner. */
  async failExport(id: string, error: string): Promise<void> {
    await this.tx.dataExportRequest.updateMany({
      where: { id },
      data: { status: 'FAILED', error: error.slice(0, 500) },
    });
  }

  /**
   * Takes the one download an export allows: only a COMPLETED, unexpired, not yet downloaded
   * export; of two concurrent callers exactly one gets it (the row's update decides).
   */
  async consumeDownload(id: string, now: Date): Promise<DataExportRecord | null> {
    const taken = await this.tx.dataExportRequest.updateMany({
      where: { id, status: 'COMPLETED', downloadedAt: null, expiresAt: { gt: now } },
      data: { downloadedAt: now },
    });
    return taken.count === 1 ? this.findExport(id) : null;
  }

  /** Marks exports whose link lapsed (or was used) EXPIRED; returns their stored locations. */
  async expireExports(now: Date): Promise<{ id: string; location: string | null }[]> {
    const rows = await this.tx.dataExportRequest.findMany({
      where: {
        status: 'COMPLETED',
        // A used link's file goes an hour after its download started (never under a transfer).
        OR: [
          { expiresAt: { lte: now } },
          { downloadedAt: { lt: new Date(now.getTime() - 3_600_000) } },
        ],
      },
      select: { id: true, location: true },
    });
    if (rows.length === 0) return [];
    await this.tx.dataExportRequest.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { status: 'EXPIRED', location: null },
    });
    return rows;
  }

  /** Every stored archive of the tenant (erasure removes them). */
  async listStoredLocations(): Promise<string[]> {
    const rows = await this.tx.dataExportRequest.findMany({
      where: { location: { not: null } },
      select: { location: true },
    });
    return rows.flatMap((r) => (r.location ? [r.location] : []));
  }

  /** How many rows each entity will export (for progress). */
  async countExportRows(vendorId: string): Promise<Record<ExportEntityName, number>> {
    const [row] = await this.tx.$queryRaw<Record<ExportEntityName, bigint>[]>`
      SELECT
        (SELECT count(*) FROM markets WHERE vendor_id = ${vendorId}::uuid) AS markets,
        (SELECT count(*) FROM market_schedules WHERE vendor_id = ${vendorId}::uuid) AS market_schedules,
        (SELECT count(*) FROM market_days WHERE vendor_id = ${vendorId}::uuid) AS market_days,
        (SELECT count(*) FROM products WHERE vendor_id = ${vendorId}::uuid) AS products,
        (SELECT count(*) FROM sales WHERE vendor_id = ${vendorId}::uuid) AS sales,
        (SELECT count(*) FROM daily_sales WHERE vendor_id = ${vendorId}::uuid) AS daily_sales,
        (SELECT count(*) FROM feedback WHERE vendor_id = ${vendorId}::uuid) AS check_ins,
        (SELECT count(*) FROM recommendations WHERE vendor_id = ${vendorId}::uuid) AS prep_lists,
        (SELECT count(*) FROM recommendation_lines WHERE vendor_id = ${vendorId}::uuid) AS prep_list_lines,
        (SELECT count(*) FROM events WHERE vendor_id = ${vendorId}::uuid) AS events,
        (SELECT count(*) FROM notifications WHERE vendor_id = ${vendorId}::uuid) AS notifications,
        (SELECT count(*) FROM pre_orders WHERE vendor_id = ${vendorId}::uuid) AS pre_orders,
        (SELECT count(*) FROM alert_settings WHERE vendor_id = ${vendorId}::uuid) AS alert_settings,
        (SELECT count(*) FROM push_subscriptions WHERE vendor_id = ${vendorId}::uuid) AS push_subscriptions,
        (SELECT count(*) FROM replay_runs WHERE vendor_id = ${vendorId}::uuid) AS replays,
        (SELECT count(*) FROM audit_log WHERE vendor_id = ${vendorId}::uuid) AS audit_log`;
    const out = {} as Record<ExportEntityName, number>;
    for (const entity of EXPORT_ENTITIES) out[entity.name] = Number(row?.[entity.name] ?? 0);
    return out;
  }

  /**
   * The next `take` rows of one entity after `cursor` (keyset on id, so each batch is an index
   * range and the archive streams in bounded memory). Cells are text, as they go into the CSV.
   */
  async readExportBatch(
    vendorId: string,
    entity: ExportEntityName,
    cursor: string | null,
    take: number,
  ): Promise<ExportRow[]> {
    const after = cursor ?? MIN_UUID;
    const v = Prisma.sql`${vendorId}::uuid`;
    let rows: { cursor: string; cells: Cell[] }[];
    switch (entity) {
      case 'markets':
        rows = await this.tx.$queryRaw`
          SELECT m.id::text AS cursor, ARRAY[m.id::text, m.name, m.address, m.latitude::text,
                 m.longitude::text, m.timezone, m.country_code::text, m.region_code,
                 m.booth_fee_minor::text, m.active::text, ${iso('m.archived_at')},
                 ${iso('m.created_at')}] AS cells
          FROM markets m WHERE m.vendor_id = ${v} AND m.id > ${after}::uuid
          ORDER BY m.id LIMIT ${take}`;
        break;
      case 'market_schedules':
        rows = await this.tx.$queryRaw`
          SELECT s.id::text AS cursor, ARRAY[s.id::text, m.name, s.weekday::text,
                 to_char(s.opens_at, 'HH24:MI'), to_char(s.closes_at, 'HH24:MI'),
                 s.season_from::text, s.season_to::text,
                 array_to_string(s.weeks_of_month, ' '), s.every_other_week_from::text] AS cells
          FROM market_schedules s JOIN markets m ON m.id = s.market_id
          WHERE s.vendor_id = ${v} AND s.id > ${after}::uuid ORDER BY s.id LIMIT ${take}`;
        break;
      case 'market_days':
        rows = await this.tx.$queryRaw`
          SELECT d.id::text AS cursor, ARRAY[d.id::text, m.name, d.date::text, d.status::text,
                 ${iso('d.opens_at')}, ${iso('d.closes_at')}, d.notes] AS cells
          FROM market_days d JOIN markets m ON m.id = d.market_id
          WHERE d.vendor_id = ${v} AND d.id > ${after}::uuid ORDER BY d.id LIMIT ${take}`;
        break;
      case 'products':
        rows = await this.tx.$queryRaw`
          SELECT p.id::text AS cursor, ARRAY[p.id::text, p.name, p.unit, p.category,
                 p.price_minor::text, p.unit_cost_minor::text, p.salvage_value_minor::text,
                 p.shelf_life_days::text, p.expected_daily_units::text, p.active::text,
                 p.season::text] AS cells
          FROM products p WHERE p.vendor_id = ${v} AND p.id > ${after}::uuid
          ORDER BY p.id LIMIT ${take}`;
        break;
      case 'sales':
        // quantity: what the line sold net of refunds (what daily totals add up); a cancelled
        // line counts 0. unit_price in the currency's major unit, as the import reads it.
        rows = await this.tx.$queryRaw`
          SELECT s.id::text AS cursor, ARRAY[s.market_date::text, m.name, p.name,
                 (CASE WHEN s.state = 'CANCELED' THEN 0
                       ELSE greatest(s.quantity - s.refunded_quantity, 0) END)::text,
                 to_char(s.unit_price_minor / 100.0, 'FM999999990.00'),
                 s.id::text, s.source::text, s.state::text, ${iso('s.sold_at')},
                 s.quantity::text, s.refunded_quantity::text, s.gross_minor::text,
                 s.provider_order_id, s.provider_line_id] AS cells
          FROM sales s JOIN markets m ON m.id = s.market_id JOIN products p ON p.id = s.product_id
          WHERE s.vendor_id = ${v} AND s.id > ${after}::uuid ORDER BY s.id LIMIT ${take}`;
        break;
      case 'daily_sales':
        rows = await this.tx.$queryRaw`
          SELECT d.id::text AS cursor, ARRAY[d.date::text, m.name, p.name, d.quantity::text,
                 CASE WHEN d.quantity > 0
                      THEN to_char(round(d.revenue_minor / d.quantity) / 100.0, 'FM999999990.00')
                 END,
                 d.revenue_minor::text, d.line_count::text] AS cells
          FROM daily_sales d JOIN markets m ON m.id = d.market_id JOIN products p ON p.id = d.product_id
          WHERE d.vendor_id = ${v} AND d.id > ${after}::uuid ORDER BY d.id LIMIT ${take}`;
        break;
      case 'check_ins':
        rows = await this.tx.$queryRaw`
          SELECT f.id::text AS cursor, ARRAY[f.id::text, m.name, d.date::text, p.name,
                 f.brought::text, f.sold::text, f.left_over::text, f.wasted::text,
                 f.donated::text, ${iso('f.sold_out_at')}, f.rating::text, f.notes,
                 ${iso('f.updated_at')}] AS cells
          FROM feedback f JOIN market_days d ON d.id = f.market_day_id
          JOIN markets m ON m.id = d.market_id JOIN products p ON p.id = f.product_id
          WHERE f.vendor_id = ${v} AND f.id > ${after}::uuid ORDER BY f.id LIMIT ${take}`;
        break;
      case 'prep_lists':
        rows = await this.tx.$queryRaw`
          SELECT r.id::text AS cursor, ARRAY[r.id::text, m.name, d.date::text, r.status::text,
                 r.trigger, ${iso('r.generated_at')}, ${iso('r.sales_as_of')}] AS cells
          FROM recommendations r JOIN market_days d ON d.id = r.market_day_id
          JOIN markets m ON m.id = r.market_id
          WHERE r.vendor_id = ${v} AND r.id > ${after}::uuid ORDER BY r.id LIMIT ${take}`;
        break;
      case 'prep_list_lines':
        rows = await this.tx.$queryRaw`
          SELECT l.id::text AS cursor, ARRAY[l.id::text, l.recommendation_id::text, p.name,
                 l.quantity::text, l.override_quantity::text, l.q10::text, l.q50::text,
                 l.q90::text, l.critical_ratio::text, l.expected_sold::text,
                 l.expected_revenue_minor::text, l.model_rung, l.data_sufficiency,
                 l.explanation::text] AS cells
          FROM recommendation_lines l JOIN products p ON p.id = l.product_id
          WHERE l.vendor_id = ${v} AND l.id > ${after}::uuid ORDER BY l.id LIMIT ${take}`;
        break;
      case 'events':
        rows = await this.tx.$queryRaw`
          SELECT e.id::text AS cursor, ARRAY[e.id::text, m.name, e.source::text, e.name,
                 e.date::text, ${iso('e.starts_at')}, ${iso('e.ends_at')}, e.venue_name,
                 e.distance_km::text, e.expected_attendance::text, e.category, e.url] AS cells
          FROM events e LEFT JOIN markets m ON m.id = e.market_id
          WHERE e.vendor_id = ${v} AND e.id > ${after}::uuid ORDER BY e.id LIMIT ${take}`;
        break;
      case 'notifications':
        rows = await this.tx.$queryRaw`
          SELECT n.id::text AS cursor, ARRAY[n.id::text, n.kind, n.title, n.body,
                 ${iso('n.read_at')}, ${iso('n.created_at')}] AS cells
          FROM notifications n WHERE n.vendor_id = ${v} AND n.id > ${after}::uuid
          ORDER BY n.id LIMIT ${take}`;
        break;
      case 'pre_orders':
        rows = await this.tx.$queryRaw`
          SELECT o.id::text AS cursor, ARRAY[o.id::text, p.name, m.name, o.customer_name,
                 o.quantity::text, o.repeat, o.first_date::text, o.until_date::text, o.notes,
                 (SELECT string_agg(x.market_date::text, ' ' ORDER BY x.market_date)
                    FROM pre_order_missed_pickups x
                   WHERE x.vendor_id = o.vendor_id AND x.pre_order_id = o.id),
                 ${iso('o.created_at')}] AS cells
          FROM pre_orders o JOIN products p ON p.id = o.product_id JOIN markets m ON m.id = o.market_id
          WHERE o.vendor_id = ${v} AND o.id > ${after}::uuid ORDER BY o.id LIMIT ${take}`;
        break;
      case 'alert_settings':
        // One row per business, keyed by the vendor id.
        rows = await this.tx.$queryRaw`
          SELECT s.vendor_id::text AS cursor, ARRAY[s.routes::text, s.outlook_threshold_mode,
                 s.outlook_threshold_value::text, ${iso('s.updated_at')}] AS cells
          FROM alert_settings s WHERE s.vendor_id = ${v} AND s.vendor_id > ${after}::uuid
          ORDER BY s.vendor_id LIMIT ${take}`;
        break;
      case 'push_subscriptions':
        rows = await this.tx.$queryRaw`
          SELECT p.id::text AS cursor, ARRAY[p.id::text, u.email, p.user_agent,
                 ${iso('p.created_at')}, ${iso('p.last_success_at')}] AS cells
          FROM push_subscriptions p LEFT JOIN users u ON u.id = p.user_id
          WHERE p.vendor_id = ${v} AND p.id > ${after}::uuid ORDER BY p.id LIMIT ${take}`;
        break;
      case 'replays':
        rows = await this.tx.$queryRaw`
          SELECT r.id::text AS cursor, ARRAY[r.id::text, r.status::text, r.months::text,
                 ${iso('r.requested_at')}, ${iso('r.completed_at')}, r.result::text] AS cells
          FROM replay_runs r WHERE r.vendor_id = ${v} AND r.id > ${after}::uuid
          ORDER BY r.id LIMIT ${take}`;
        break;
      case 'audit_log':
        rows = await this.tx.$queryRaw`
          SELECT a.id::text AS cursor, ARRAY[a.id::text, ${iso('a.created_at')}, a.actor_type,
                 u.email, a.action, a.target_type, a.target_id, a.metadata::text] AS cells
          FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
          WHERE a.vendor_id = ${v} AND a.id > ${cursor === null ? 0n : BigInt(cursor)}
          ORDER BY a.id LIMIT ${take}`;
        break;
    }
    return rows;
  }
}
