-- Idempotency keys (issue 20): the first answer to a write sent with `Idempotency-Key` is kept
-- per business and key for 24 hours and replayed to a retry with the same parameters.
--
-- A row is claimed (`completed_at` NULL) before the handler runs, so a concurrent duplicate
-- finds it and is told the first is still in progress; the answer is stored when it leaves. A
-- claim left behind by a crashed process is taken over once `locked_until` has passed.
CREATE TABLE "idempotency_keys" (
    "vendor_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_headers" JSONB,
    "response_body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("vendor_id", "key")
);
CREATE INDEX "idempotency_keys_vendor_id_expires_at_idx" ON "idempotency_keys"("vendor_id", "expires_at");
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "idempotency_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "idempotency_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "idempotency_keys"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);
