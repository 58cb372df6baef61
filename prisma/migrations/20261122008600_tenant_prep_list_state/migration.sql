-- The prep-list read's "is the stored list still current?" question in ONE round trip.
--
-- A GET of a prep list is the API's hottest request. Asked as BEGIN, set_config, query, COMMIT it
-- took four round trips to PostgreSQL, and on a loaded 2-core machine the socket writes and
-- protocol parsing of those round trips were the largest share of the API's CPU. This function
-- scopes the tenant itself (the same transaction-local settings withTenant / withTenantSql set, so
-- row-level security applies to every table it reads: SECURITY INVOKER, nothing bypassed) and
-- answers the state. Called as a single statement outside a transaction, the settings live exactly
-- as long as that statement's implicit transaction; PL/pgSQL keeps the query's plan per connection.
-- packages/db/src/repositories/prep-list-reads.repository.ts maps the row (PrepListState).

CREATE FUNCTION tenant_prep_list_state(p_vendor_id uuid, p_market_id uuid, p_date date)
RETURNS TABLE (
  market_id uuid, market_name text, timezone text, country_code text, region_code text,
  market_updated_at timestamptz, vendor_name text, currency text,
  day_id uuid, day_status text, day_updated_at timestamptz,
  model_id uuid, engine_version text, model_status text, trained_at timestamptz,
  trained_through text, observation_count integer, duration_ms integer,
  rec_id uuid, inputs_hash text, overrides text,
  sales_as_of timestamptz, sales_version bigint, latest_sales_date text,
  feedback_as_of timestamptz, feedback_version bigint,
  products_as_of timestamptz, product_count bigint,
  weather_as_of timestamptz, events_as_of timestamptz, event_count bigint
)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.vendor_id', p_vendor_id::text, true),
          set_config('app.user_id', '', true),
          set_config('app.token_hash', '', true);
  -- The explicit vendor_id predicates are redundant with row-level security (which still applies)
  -- but let the planner use the (vendor_id, updated_at) / (vendor_id, date) indexes.
  RETURN QUERY
  SELECT m.id, m.name, m.timezone, m.country_code::text, m.region_code,
         m.updated_at, v.name, v.currency::text,
         d.id, d.status::text, d.updated_at,
         mv.id, mv.engine_version, mv.status::text, mv.trained_at,
         to_char(mv.trained_through, 'YYYY-MM-DD'), mv.observation_count, mv.duration_ms,
         r.id, r.inputs_hash,
         (SELECT coalesce(string_agg(l.product_id::text || '=' || l.override_quantity::text, ','
                                     ORDER BY l.product_id), '')
            FROM recommendation_lines l
           WHERE l.recommendation_id = r.id AND l.override_quantity IS NOT NULL),
         (SELECT max(s.updated_at) FROM daily_sales s WHERE s.vendor_id = p_vendor_id),
         iv.sales_version,
         (SELECT to_char(max(s.date), 'YYYY-MM-DD') FROM daily_sales s
           WHERE s.vendor_id = p_vendor_id),
         (SELECT max(f.updated_at) FROM feedback f WHERE f.vendor_id = p_vendor_id),
         iv.feedback_version,
         (SELECT max(p.updated_at) FROM products p WHERE p.vendor_id = p_vendor_id),
         (SELECT count(*) FROM products p WHERE p.vendor_id = p_vendor_id),
         (SELECT max(w.fetched_at) FROM weather w WHERE w.market_id = p_market_id),
         (SELECT max(e.fetched_at) FROM events e
           WHERE e.vendor_id = p_vendor_id AND (e.market_id = p_market_id OR e.market_id IS NULL)),
         (SELECT count(*) FROM events e
           WHERE e.vendor_id = p_vendor_id AND (e.market_id = p_market_id OR e.market_id IS NULL))
    FROM markets m
    JOIN vendors v ON v.id = m.vendor_id
    LEFT JOIN LATERAL (
          SELECT sum(z.sales_version)::bigint AS sales_version,
                 sum(z.feedback_version)::bigint AS feedback_version
            FROM demand_input_versions z WHERE z.vendor_id = m.vendor_id) iv ON true
    LEFT JOIN market_days d ON d.market_id = m.id AND d.date = p_date
    LEFT JOIN LATERAL (
          SELECT x.id, x.engine_version, x.status, x.trained_at, x.trained_through,
                 x.observation_count, x.duration_ms
            FROM model_versions x WHERE x.status = 'ACTIVE'
           ORDER BY x.trained_at DESC, x.id DESC LIMIT 1) mv ON true
    LEFT JOIN LATERAL (
          SELECT y.id, y.inputs_hash FROM recommendations y
           WHERE y.market_day_id = d.id AND y.status = 'CURRENT'
           ORDER BY y.generated_at DESC LIMIT 1) r ON true
   WHERE m.id = p_market_id AND m.archived_at IS NULL;
END
$$;

GRANT EXECUTE ON FUNCTION tenant_prep_list_state(uuid, uuid, date) TO marketprep_app;
