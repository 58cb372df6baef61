/** Deterministic, plausible daily weather for any point and date (for the fakes). */
export interface SyntheticDay {
  tempMaxC: number;
  tempMinC: number;
  tempMeanC: number;
  precipMm: number;
  precipProbPct: number;
  sunshineSeconds: number;
  windMaxKmh: number;
  cloudCoverPct: number;
  humidityPct: number;
  dewpointC: number;
  summary: string;
}

/** FNV-1a over the parts, mapped to [0, 1). */
export function hash01(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('|')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x100000000;
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function dayOfYear(date: string): number {
  const at = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
  return Math.floor((at - Date.UTC(Number(date.slice(0, 4)), 0, 1)) / 86_400_000) + 1;
}

/** Seasonal by latitude (warm summers, cold winters away from the equator) plus daily noise. */
export function syntheticDay(latitude: number, longitude: number, date: string): SyntheticDay {
  const key = [latitude.toFixed(2), longitude.toFixed(2), date];
  const r = (salt: string): number => hash01(...key, salt);
  const absLat = Math.min(70, Math.abs(latitude));
  const season = Math.cos((2 * Math.PI * (dayOfYear(date) - 200)) / 365) * (latitude >= 0 ? 1 : -1);
  const mean = 27 - 0.45 * absLat + (2 + 0.25 * absLat) * season + (r('t') - 0.5) * 6;
  const range = 7 + r('range') * 7;
  const precipProbPct = Math.round(r('pop') ** 1.4 * 100);
  const wet = r('wet') * 100 < precipProbPct;
  const precipMm = wet ? round(0.2 + r('mm') ** 2 * 20) : 0;
  const cloudCoverPct = Math.round(Math.min(100, precipProbPct * 0.7 + r('cloud') * 35));
  const daylightHours = 12 + (absLat / 70) * 5 * season;
  const sunshineSeconds = round(daylightHours * 3600 * (1 - cloudCoverPct / 110), 2);
  const humidityPct = Math.round(Math.min(100, 45 + precipProbPct * 0.35 + r('rh') * 15));
  const summary =
    precipProbPct >= 60
      ? 'Showers Likely'
      : precipProbPct >= 30
        ? 'Chance Showers'
        : cloudCoverPct >= 60
          ? 'Mostly Cloudy'
          : cloudCoverPct >= 30
            ? 'Partly Sunny'
            : 'Sunny';
  return {
    tempMaxC: round(mean + range / 2),
    tempMinC: round(mean - range / 2),
    tempMeanC: round(mean),
    precipMm,
    precipProbPct,
    sunshineSeconds,
    windMaxKmh: round(6 + r('wind') * 30),
    cloudCoverPct,
    humidityPct,
    dewpointC: round(mean - (100 - humidityPct) / 5),
    summary,
  };
}

/** Offset of `timeZone` at `instant`, as `+HH:MM`. */
export function offsetOf(instant: Date, timeZone: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
}

/** Minutes east of UTC for an offset `+HH:MM`. */
export function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** The instant of local `date` `hour`:00 in `timeZone`, with its offset. */
export function zonedTime(
  date: string,
  hour: number,
  timeZone: string,
): { instant: Date; iso: string } {
  const wall = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
    hour,
  );
  let instant = new Date(wall - offsetMinutes(offsetOf(new Date(wall), timeZone)) * 60_000);
  const offset = offsetOf(instant, timeZone);
  instant = new Date(wall - offsetMinutes(offset) * 60_000);
  const hh = String(hour).padStart(2, '0');
  return { instant, iso: `${date}T${hh}:00:00${offset}` };
}

/** `YYYY-MM-DD` plus days. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** A plausible US zone for a longitude (the fakes have no real zone map). */
export function usTimeZoneFor(latitude: number, longitude: number): string {
  if (latitude > 50 && longitude < -130) return 'America/Anchorage';
  if (longitude < -140) return 'Pacific/Honolulu';
  if (longitude < -115) return 'America/Los_Angeles';
  if (longitude < -102) return 'America/Denver';
  if (longitude < -87) return 'America/Chicago';
  return 'America/New_York';
}
