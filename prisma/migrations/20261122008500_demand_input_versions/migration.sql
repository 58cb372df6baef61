-- Per-vendor change counters of the demand engine's big inputs (daily sales, check-in feedback).
--
-- A prep list is served from its stored copy while its inputs hash is unchanged; the hash used to
-- include count(*) over the vendor's daily_sales and feedback (so a deletion changes it), which
-- cost several milliseconds of PostgreSQL time on every prep-list read and grows with history.
-- Statement-level triggers now bump a counter per vendor on every INSERT, UPDATE or DELETE of those
-- tables (once per statement and vendor, however many rows); a reader sums the vendor's counters.
--
-- Each vendor's counters are split over 16 shard rows, the shard chosen by the writing
-- transaction's id: a counter row stays locked from the bump to the commit, and with one row per
-- vendor every check-in of a business would queue behind the previous one's commit. A transaction
-- always bumps the same shard, so it holds at most one counter row per vendor (no lock-order
-- deadlock between counter rows). The sum changes with every commit, in any commit order.

CREATE TABLE "demand_input_versions" (
    "vendor_id" UUID NOT NULL,
    "shard" SMALLINT NOT NULL,
    "sales_version" BIGINT NOT NULL DEFAULT 0,
    "feedback_version" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "demand_input_versions_pkey" PRIMARY KEY ("vendor_id", "shard")
);

ALTER TABLE "demand_input_versions" ADD CONSTRAINT "demand_input_versions_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "demand_input_versions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "demand_input_versions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "demand_input_versions"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON "demand_input_versions" TO marketprep_app;

-- Runs as the invoker, so row-level security applies: the changed rows belong to the tenant of the
-- transaction. The join on vendors skips a vendor being deleted (its rows go by cascade).
CREATE FUNCTION bump_sales_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO demand_input_versions AS v (vendor_id, shard, sales_version)
  SELECT vendor_id, (txid_current() % 16)::smallint, 1
    FROM (SELECT DISTINCT c.vendor_id FROM changed c JOIN vendors ON vendors.id = c.vendor_id) x
   ORDER BY vendor_id
  ON CONFLICT (vendor_id, shard) DO UPDATE SET sales_version = v.sales_version + 1;
  RETURN NULL;
END
$$;

CREATE FUNCTION bump_feedback_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO demand_input_versions AS v (vendor_id, shard, feedback_version)
  SELECT vendor_id, (txid_current() % 16)::smallint, 1
    FROM (SELECT DISTINCT c.vendor_id FROM changed c JOIN vendors ON vendors.id = c.vendor_id) x
   ORDER BY vendor_id
  ON CONFLICT (vendor_id, shard) DO UPDATE SET feedback_version = v.feedback_version + 1;
  RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger, hence three of each.
CREATE TRIGGER daily_sales_version_insert AFTER INSERT ON "daily_sales"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_sales_version();
CREATE TRIGGER daily_sales_version_update AFTER UPDATE ON "daily_sales"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_sales_version();
CREATE TRIGGER daily_sales_version_delete AFTER DELETE ON "daily_sales"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_sales_version();

CREATE TRIGGER feedback_version_insert AFTER INSERT ON "feedback"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_feedback_version();
CREATE TRIGGER feedback_version_update AFTER UPDATE ON "feedback"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_feedback_version();
CREATE TRIGGER feedback_version_delete AFTER DELETE ON "feedback"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_feedback_version();

-- Existing data: one row per vendor that has any (the values only need to change from now on).
INSERT INTO demand_input_versions (vendor_id, shard, sales_version, feedback_version)
SELECT id, 0, 1, 1 FROM vendors
ON CONFLICT (vendor_id, shard) DO NOTHING;
