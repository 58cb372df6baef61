-- The predictive distribution behind a prep-list line (issue 13, item 6): demand at each of the 21
-- QUANTILE_LEVELS of @marketprep/forecast, stored so expected sales and revenue can be computed for
-- a quantity the engine did not choose (the vendor's override): E[min(demand, override)].
-- Lines stored before this column have '{}' (Prisma cannot express a nullable list): readers take
-- an empty array as "not stored" and fall back to a distribution through q10/q50/q90.
-- A constant default makes this a catalog change only (no table rewrite since PostgreSQL 11).
ALTER TABLE "recommendation_lines"
  ADD COLUMN "demand_quantiles" DOUBLE PRECISION[] NOT NULL DEFAULT '{}';
