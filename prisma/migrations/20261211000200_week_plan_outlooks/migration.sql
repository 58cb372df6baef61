-- The week plan's outlook alerts (issue 19): per product and market day, what the vendor was last
-- told to make, so the worker sends "outlook changed" once per change beyond the vendor's
-- threshold and "all clear" when a feared change (a quantity moved away, rain that would move it)
-- goes away. A row lives until its market day is frozen or past (then it is no longer read).
CREATE TABLE "week_plan_outlooks" (
  "vendor_id" UUID NOT NULL,
  "product_id" UUID NOT NULL,
  "market_id" UUID NOT NULL,
  "market_date" DATE NOT NULL,
  -- `make` when the worker first saw the day in a plan: what the vendor planned around.
  "baseline" INTEGER NOT NULL,
  -- `make` as last told (the baseline, or the last outlook-changed alert).
  "notified" INTEGER NOT NULL,
  -- An outlook change away from the baseline was sent and has not cleared yet.
  "changed" BOOLEAN NOT NULL DEFAULT false,
  -- Rain is forecast that would move `make` beyond the threshold (the rain plan).
  "rain_feared" BOOLEAN NOT NULL DEFAULT false,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "week_plan_outlooks_pkey" PRIMARY KEY ("vendor_id", "product_id", "market_id", "market_date"),
  CONSTRAINT "week_plan_outlooks_vendor_id_fkey" FOREIGN KEY ("vendor_id")
    REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "week_plan_outlooks_product_fkey" FOREIGN KEY ("vendor_id", "product_id")
    REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "week_plan_outlooks_market_fkey" FOREIGN KEY ("vendor_id", "market_id")
    REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);

ALTER TABLE "week_plan_outlooks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "week_plan_outlooks" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "week_plan_outlooks"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON "week_plan_outlooks" TO marketprep_app;
