-- The week's plan (issue 19): product planning facts, pre-orders, and the quantities frozen at
-- each product's decision deadline.
--
-- products.planning: NULL = the defaults (batches of 1, no standing minimum, decided the evening
-- before at 18:00, no capacity). Otherwise an object validated by ProductPlanningSchema
-- (packages/contracts/src/products.ts):
--   { "batchSize": 1-10000, "standingMinimum": units, "marketMinimums": [{"marketId", "units"}],
--     "decisionDeadline": {"daysBefore": 0-14, "time": "HH:MM"} | null,
--     "capacity": {"units": n, "period": "week" | "day"} | null }
-- Adding a nullable column without a default rewrites nothing.
ALTER TABLE "products" ADD COLUMN "planning" JSONB;
ALTER TABLE "products" ADD CONSTRAINT "products_planning_check" CHECK (
  "planning" IS NULL
  OR (jsonb_typeof("planning") = 'object'
      AND jsonb_typeof("planning"->'batchSize') = 'number'
      AND ("planning"->>'batchSize')::numeric >= 1)
);

-- Orders for pickup at a market: one-off (on first_date) or weekly (every 7 days from first_date,
-- through until_date when set). Known demand on top of the walk-up forecast.
CREATE TABLE "pre_orders" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "vendor_id" UUID NOT NULL,
  "product_id" UUID NOT NULL,
  "market_id" UUID NOT NULL,
  "customer_name" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "repeat" TEXT NOT NULL DEFAULT 'once',
  "first_date" DATE NOT NULL,
  "until_date" DATE,
  "notes" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "pre_orders_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "pre_orders_quantity_check" CHECK ("quantity" BETWEEN 1 AND 100000),
  CONSTRAINT "pre_orders_repeat_check" CHECK ("repeat" IN ('once', 'weekly')),
  CONSTRAINT "pre_orders_until_check" CHECK (
    "until_date" IS NULL OR ("repeat" = 'weekly' AND "until_date" >= "first_date")
  ),
  CONSTRAINT "pre_orders_vendor_id_fkey" FOREIGN KEY ("vendor_id")
    REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "pre_orders_product_fkey" FOREIGN KEY ("vendor_id", "product_id")
    REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "pre_orders_market_fkey" FOREIGN KEY ("vendor_id", "market_id")
    REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "pre_orders_vendor_id_first_date_idx" ON "pre_orders"("vendor_id", "first_date");

-- One product's quantities for one market day, frozen at its decision deadline: `line` is the
-- plan's day as computed then (make, bring, carry-over, pre-orders, expected sales...). Later
-- inputs never change a frozen row (the plan reads it instead of recomputing).
CREATE TABLE "week_plan_freezes" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "vendor_id" UUID NOT NULL,
  "product_id" UUID NOT NULL,
  "market_id" UUID NOT NULL,
  "market_date" DATE NOT NULL,
  "deadline_at" TIMESTAMPTZ(3) NOT NULL,
  "frozen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "make" INTEGER NOT NULL,
  "bring" INTEGER NOT NULL,
  "line" JSONB NOT NULL,
  CONSTRAINT "week_plan_freezes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "week_plan_freezes_vendor_id_fkey" FOREIGN KEY ("vendor_id")
    REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "week_plan_freezes_product_fkey" FOREIGN KEY ("vendor_id", "product_id")
    REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "week_plan_freezes_market_fkey" FOREIGN KEY ("vendor_id", "market_id")
    REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "week_plan_freezes_product_market_date_key"
  ON "week_plan_freezes"("vendor_id", "product_id", "market_id", "market_date");
CREATE INDEX "week_plan_freezes_vendor_id_market_date_idx"
  ON "week_plan_freezes"("vendor_id", "market_date");

ALTER TABLE "pre_orders" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pre_orders" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "pre_orders"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "week_plan_freezes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "week_plan_freezes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "week_plan_freezes"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);
