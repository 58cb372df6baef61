-- "Your last season, replayed" (issue 22): one row per replay a business asked for. The worker's
-- replay-vendor job moves it PENDING -> RUNNING (progress 0-100) -> COMPLETED with the result (the
-- totals and per-month sums as JSON, see packages/contracts/src/replay.ts) or FAILED with a reason.
-- Vendor data: row-level security like every tenant table; in the data export and the erasure.
CREATE TABLE "replay_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "requested_by_user_id" UUID,
    "status" "request_status" NOT NULL DEFAULT 'PENDING',
    "months" SMALLINT NOT NULL,
    "progress" SMALLINT NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "replay_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "replay_runs_months_check" CHECK ("months" BETWEEN 1 AND 36),
    CONSTRAINT "replay_runs_progress_check" CHECK ("progress" BETWEEN 0 AND 100)
);

CREATE INDEX "replay_runs_vendor_id_requested_at_idx" ON "replay_runs"("vendor_id", "requested_at");

ALTER TABLE "replay_runs" ADD CONSTRAINT "replay_runs_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "replay_runs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "replay_runs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "replay_runs"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON "replay_runs" TO marketprep_app;
