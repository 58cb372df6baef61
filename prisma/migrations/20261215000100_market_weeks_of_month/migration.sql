-- Markets that do not run every week: a weekly opening may name which of the month's weekdays it
-- runs on ({1,3} = the 1st and 3rd Saturdays, -1 = the last one); empty is every week, as before.
-- The check-in context carries it beside the season, so a check-in on a 2nd Saturday of a
-- 1st-and-3rd market is refused like one out of season. Same signature and columns as in
-- 20261205000300 (CREATE OR REPLACE keeps the grant).
ALTER TABLE "market_schedules" ADD COLUMN "weeks_of_month" SMALLINT[] NOT NULL DEFAULT '{}';
ALTER TABLE "market_schedules" ADD CONSTRAINT "market_schedules_weeks_of_month_check"
  CHECK ("weeks_of_month" <@ ARRAY[1, 2, 3, 4, 5, -1]::SMALLINT[]);

CREATE OR REPLACE FUNCTION tenant_check_in_context(p_vendor_id uuid, p_market_id uuid, p_date date)
RETURNS TABLE (
  id uuid, name text, timezone text, booth_fee_minor integer, schedule json,
  day_id uuid, day_status text, day_opens_at timestamptz, day_closes_at timestamptz
)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.vendor_id', p_vendor_id::text, true),
          set_config('app.user_id', '', true),
          set_config('app.token_hash', '', true);
  RETURN QUERY
  SELECT m.id, m.name, m.timezone, m.booth_fee_minor,
         (SELECT json_agg(json_build_object('weekday', s.weekday,
                                            'opensAt', to_char(s.opens_at, 'HH24:MI'),
                                            'closesAt', to_char(s.closes_at, 'HH24:MI'),
                                            'seasonFrom', to_char(s.season_from, 'MM-DD'),
                                            'seasonTo', to_char(s.season_to, 'MM-DD'),
                                            'weeksOfMonth', s.weeks_of_month))
            FROM market_schedules s WHERE s.market_id = m.id),
         d.id, d.status::text, d.opens_at, d.closes_at
    FROM markets m
    LEFT JOIN market_days d ON d.market_id = m.id AND d.date = p_date
   WHERE m.id = p_market_id;
END
$$;
