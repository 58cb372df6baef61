/**
 * Small pure helpers behind the hand-written SVG charts (no chart library: the JS stays lean, and
 * these few functions are all the math the charts need, each tested).
 */

/** A value axis from 0: its top and its ticks. */
export interface NiceAxis {
  /** The last tick, at or above the data's maximum. */
  max: number;
  /** 0, step, 2 x step, ... max: evenly spaced, each a multiple of the step. */
  ticks: number[];
}

/**
 * Readable ticks from 0 to at least `max`: a step of 1, 2 or 5 x 10^k (at least `minStep`, so
 * counts get whole-number ticks and money whole dollars), about `count` intervals. Every tick is a
 * distinct multiple of the step, so none repeat once formatted at the step's precision:
 * 2 -> 0, 1, 2 (not 0, 0.5, 1, 1.5, 2 read as "0, 1, 1, 2, 2"); 38 -> 0, 10, 20, 30, 40.
 */
export function niceAxis(max: number, { count = 4, minStep = 1 } = {}): NiceAxis {
  const floor = minStep > 0 ? minStep : 1;
  const top = Number.isFinite(max) && max > 0 ? max : floor;
  const raw = top / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((f) => f * magnitude).find((step) => step >= raw) ?? raw;
  const step = Math.max(floor, tidy(nice));
  const intervals = Math.max(1, Math.ceil(tidy(top / step)));
  const ticks = Array.from({ length: intervals + 1 }, (_, index) => tidy(index * step));
  return { max: ticks[ticks.length - 1] ?? step, ticks };
}

/** Drops binary floating-point noise (0.30000000000000004 -> 0.3). */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** Maps `[domainMin, domainMax]` onto `[rangeMin, rangeMax]` (a flat domain maps to the middle). */
export function scaleLinear(
  [domainMin, domainMax]: readonly [number, number],
  [rangeMin, rangeMax]: readonly [number, number],
): (value: number) => number {
  const span = domainMax - domainMin;
  if (span === 0) return () => (rangeMin + rangeMax) / 2;
  return (value) => rangeMin + ((value - domainMin) / span) * (rangeMax - rangeMin);
}

/**
 * At most `max` evenly picked indexes of `count` items (always the first and the last), never
 * closer than `max` labels across the whole axis would be: 5 of 6 bars put two labels side by
 * side ("Oct 17 OPOct 24 OP" on a phone).
 */
export function labelIndexes(count: number, max: number): Set<number> {
  if (count <= max) return new Set(Array.from({ length: count }, (_, index) => index));
  const step = Math.ceil((count - 1) / (max - 1));
  const gaps = Math.max(1, Math.floor((count - 1) / step));
  const picked = new Set<number>();
  for (let index = 0; index <= gaps; index++) {
    picked.add(Math.round((index * (count - 1)) / gaps));
  }
  return picked;
}

/**
 * The SVG path of a band between a lower and an upper series (points with a gap in either value
 * split the band into separate pieces).
 */
export function bandPath(
  points: readonly { x: number; low: number | null; high: number | null }[],
): string {
  const pieces: { x: number; low: number; high: number }[][] = [];
  let current: { x: number; low: number; high: number }[] = [];
  for (const point of points) {
    if (point.low === null || point.high === null) {
      if (current.length) pieces.push(current);
      current = [];
    } else current.push({ x: point.x, low: point.low, high: point.high });
  }
  if (current.length) pieces.push(current);
  return pieces
    .map((piece) => {
      const top = piece.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)},${r(p.high)}`).join(' ');
      const bottom = [...piece]
        .reverse()
        .map((p) => `L${r(p.x)},${r(p.low)}`)
        .join(' ');
      return `${top} ${bottom} Z`;
    })
    .join(' ');
}

/** The SVG path of a line through the non-null points (gaps start a new segment). */
export function linePath(points: readonly { x: number; y: number | null }[]): string {
  let path = '';
  let pen = false;
  for (const point of points) {
    if (point.y === null) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : ' M'}${r(point.x)},${r(point.y)}`;
    pen = true;
  }
  return path.trim();
}

function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** `0.153` -> `"+15%"`, `-0.2` -> `"−20%"`, null -> `"—"`. */
export function formatRatioPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const percent = Math.round(ratio * 100);
  if (percent === 0) return '0%';
  return percent > 0 ? `+${percent}%` : `\u2212${Math.abs(percent)}%`;
}
