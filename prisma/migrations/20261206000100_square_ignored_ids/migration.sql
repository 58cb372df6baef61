-- Square mapping (issue 14, item 4): the owner can say a Square location is "not a market" (a home
-- kitchen, a warehouse, an online store) and an item variation is "not tracked" (gift cards, tote
-- bags). Those answers are remembered on the connection so the mapping screen does not offer them
-- as unmapped again; they map to no market or product, so their orders contribute no sales.
--
-- Arrays on the connection, not a table: a merchant has a handful of locations and at most a few
-- thousand variations, they are read and written together with the mapping, and a new connection
-- (reconnect) keeps them. A constant default is a catalog change only: no table rewrite.
ALTER TABLE "provider_connections"
  ADD COLUMN "ignored_square_location_ids" TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN "ignored_square_variation_ids" TEXT[] NOT NULL DEFAULT '{}';
