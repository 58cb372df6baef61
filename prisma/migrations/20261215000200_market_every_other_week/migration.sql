-- Markets that run every other week: a weekly opening may name one date it runs on, and then runs
-- every two weeks from it (and before it). Its weekday is the opening's; it does not combine with
-- weeks of the month. The check-in context carries it like the weeks of the month. Same signature
-- and columns as in 20261215000100 (CREATE OR REPLACE keeps the grant).
ALTER TABLE "market_schedules" ADD COLUMN "every_other_week_from" DATE;
ALTER TABLE "market_schedules" ADD CONSTRAINT "market_schedules_every_other_week_check"
  CHECK ("every_other_week_from" IS NULL
         OR (EXTRACT(ISODOW FROM "every_other_week_from")::int - 1 = "weekday"
             AND cardinality("weeks_of_month") = 0));

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
                                            'weeksOfMonth', s.weeks_of_month,
                                            'everyOtherWeekFrom',
                                            to_char(s.every_other_week_from, 'YYYY-MM-DD')))
            FROM market_schedules s WHERE s.market_id = m.id),
         d.id, d.status::text, d.opens_at, d.closes_at
    FROM markets m
    LEFT JOIN market_days d ON d.market_id = m.id AND d.date = p_date
   WHERE m.id = p_market_id;
END
$$;
