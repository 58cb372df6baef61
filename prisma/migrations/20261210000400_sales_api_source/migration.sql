-- Sales in as JSON (issue 20): lines a point-of-sale system posts to POST /v1/sales are stored
-- with source API; `provider_line_id` is `<source>:<the system's line id>`, so the unique key
-- (vendor_id, source, provider_line_id) makes a resent line an update, never a second sale.
ALTER TYPE "sales_source" ADD VALUE IF NOT EXISTS 'API';
