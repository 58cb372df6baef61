-- When the events provider last answered for a market, with or without events. Before this the
-- last lookup was read off the newest stored provider event, so a market with nothing on nearby
-- read as never looked up ("Check inputs") on every list.
ALTER TABLE "markets" ADD COLUMN "events_looked_up_at" TIMESTAMPTZ(3);

UPDATE "markets" m
   SET "events_looked_up_at" = (
     SELECT max(e."fetched_at") FROM "events" e
      WHERE e."market_id" = m."id" AND e."source" = 'TICKETMASTER');
