import type { TenantTransaction } from '../tenant';

/** A stored demand model's bookkeeping (the model JSON is loaded separately: it can be large). */
export interface ModelVersionRecord {
  id: string;
  engineVersion: string;
  status: 'TRAINING' | 'ACTIVE' | 'RETIRED' | 'FAILED';
  trainedAt: Date;
  /** Last sales date the model learned from, `YYYY-MM-DD`. */
  trainedThrough: string | null;
  observationCount: number;
  durationMs: number | null;
}

const versionSelect = {
  id: true,
  engineVersion: true,
  status: true,
  trainedAt: true,
  trainedThrough: true,
  observationCount: true,
  durationMs: true,
} as const;

function toRecord(row: {
  id: string;
  engineVersion: string;
  status: ModelVersionRecord['status'];
  trainedAt: Date;
  trainedThrough: Date | null;
  observationCount: number;
  durationMs: number | null;
}): ModelVersionRecord {
  return { ...row, trainedThrough: row.trainedThrough?.toISOString().slice(0, 10) ?? null };
}

/** The current tenant's trained demand models. Takes a tenant-scoped transaction. */
export class ModelVersionsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The newest ACTIVE model version, or null. */
  async findLatestActive(): Promise<ModelVersionRecord | null> {
    const row = await this.tx.modelVersion.findFirst({
      where: { status: 'ACTIVE' },
      orderBy: [{ trainedAt: 'desc' }, { id: 'desc' }],
      select: versionSelect,
    });
    return row ? toRecord(row) : null;
  }

  /** The stored model of `id` as JSON text (what `deserializeModel` reads), or null. */
  async loadModelJson(id: string): Promise<string | null> {
    const rows = await this.tx.$queryRaw<{ model: string | null }[]>`
      SELECT model::text AS model FROM model_versions WHERE id = ${id}::uuid`;
    return rows[0]?.model ?? null;
  }

  /**
   * Stores a newly trained model as the vendor's ACTIVE one and retires the previous ones.
   * Serialized per vendor (advisory lock), so two trainings never leave two ACTIVE versions.
   */
  async activate(data: {
    vendorId: string;
    engineVersion: string;
    trainedAt: Date;
    trainedThrough: string | null;
    observationCount: number;
    durationMs: number;
    modelJson: string;
    metrics: Record<string, number | string | null>;
  }): Promise<ModelVersionRecord> {
    await this.tx
      .$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`model-versions:${data.vendorId}`}))`;
    await this.tx.modelVersion.updateMany({
      where: { status: 'ACTIVE' },
      data: { status: 'RETIRED' },
    });
    const created = await this.tx.modelVersion.create({
      data: {
        vendorId: data.vendorId,
        engineVersion: data.engineVersion,
        status: 'ACTIVE',
        trainedAt: data.trainedAt,
        trainedThrough: data.trainedThrough ? new Date(`${data.trainedThrough}T00:00:00Z`) : null,
        observationCount: data.observationCount,
        durationMs: data.durationMs,
        metrics: data.metrics,
      },
      select: { id: true },
    });
    // The model goes in as JSON text so it is parsed once, by PostgreSQL.
    await this.tx.$executeRaw`
      UPDATE model_versions SET model = ${data.modelJson}::jsonb WHERE id = ${created.id}::uuid`;
    const row = await this.tx.modelVersion.findUniqueOrThrow({
      where: { id: created.id },
      select: versionSelect,
    });
    return toRecord(row);
  }
}
