-- A pre-order's pickup that did not happen (the customer did not come, or called that day off),
-- marked at the check-in or ahead of the day. Sold then holds none of its units, so training takes
-- out only the pickups that happened; and a day ahead is not planned for it.
ALTER TABLE "pre_orders" ADD CONSTRAINT "pre_orders_vendor_id_id_key" UNIQUE ("vendor_id", "id");

CREATE TABLE "pre_order_missed_pickups" (
  "vendor_id" UUID NOT NULL,
  "pre_order_id" UUID NOT NULL,
  "market_date" DATE NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "pre_order_missed_pickups_pkey" PRIMARY KEY ("vendor_id", "pre_order_id", "market_date"),
  CONSTRAINT "pre_order_missed_pickups_vendor_id_fkey" FOREIGN KEY ("vendor_id")
    REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "pre_order_missed_pickups_pre_order_fkey" FOREIGN KEY ("vendor_id", "pre_order_id")
    REFERENCES "pre_orders"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);

ALTER TABLE "pre_order_missed_pickups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pre_order_missed_pickups" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "pre_order_missed_pickups"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

-- Training reads the pickups that happened: a change is a change of the demand inputs (the model
-- retrains), as a sales change is.
CREATE TRIGGER pre_order_missed_pickups_version_insert AFTER INSERT ON "pre_order_missed_pickups"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_sales_version();
CREATE TRIGGER pre_order_missed_pickups_version_update AFTER UPDATE ON "pre_order_missed_pickups"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_sales_version();
CREATE TRIGGER pre_order_missed_pickups_version_delete AFTER DELETE ON "pre_order_missed_pickups"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_sales_version();

-- The answer cache's data version (migration *_vendor_data_versions), as on every tenant table.
CREATE TRIGGER pre_order_missed_pickups_data_version_insert AFTER INSERT ON "pre_order_missed_pickups"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_vendor_rows();
CREATE TRIGGER pre_order_missed_pickups_data_version_update AFTER UPDATE ON "pre_order_missed_pickups"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_vendor_rows();
CREATE TRIGGER pre_order_missed_pickups_data_version_delete AFTER DELETE ON "pre_order_missed_pickups"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_vendor_rows();
