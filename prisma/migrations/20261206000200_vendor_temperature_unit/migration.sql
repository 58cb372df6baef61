-- Temperatures in the unit a vendor reads (issue 14, item 11): by default a market's weather is
-- shown in °F when the market is in a °F country (the US and a few others) and in °C elsewhere,
-- decided by the web app from the market's country. The owner can pin one unit for the whole
-- business instead. Stored values are always °C (weather.temp_*_c); this only picks the display.
--
-- An enum rather than free text, so a bad value cannot be stored. Adding a NOT NULL column with a
-- constant default is a catalog change only (no table rewrite); every existing business is AUTO.
CREATE TYPE "temperature_unit_preference" AS ENUM ('AUTO', 'FAHRENHEIT', 'CELSIUS');

ALTER TABLE "vendors"
  ADD COLUMN "temperature_unit" "temperature_unit_preference" NOT NULL DEFAULT 'AUTO';
