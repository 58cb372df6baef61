-- The owner's season setting of a product (issue 13): when it is brought and to which markets.
-- NULL means "learned": the forecast learns the weeks it sells at each market from the history.
-- Otherwise an object validated by ProductSeasonSchema (packages/contracts/src/products.ts):
--   { "mode": "learned" | "always" | "months", "months": [1-12], "ranges": [{"from": "MM-DD",
--     "to": "MM-DD"}], "excludedMarkets": [market ids] }
-- The API checks the shape and that every excluded market is the vendor's own; the constraint
-- below keeps anything else from storing a value the readers could not interpret.
-- Adding a nullable column without a default rewrites nothing (a catalog change only).
ALTER TABLE "products" ADD COLUMN "season" JSONB;

ALTER TABLE "products" ADD CONSTRAINT "products_season_check" CHECK (
  "season" IS NULL
  OR (jsonb_typeof("season") = 'object' AND "season"->>'mode' IN ('learned', 'always', 'months'))
);
