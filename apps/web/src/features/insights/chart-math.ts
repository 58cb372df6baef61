/** Small pure helpers behind the hand-written SVG charts (no chart library: the JS stays lean). */

/** A round upper bound for an axis: 0 -> 1, 7 -> 10, 38 -> 40, 1234 -> 1500. */
export function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
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

/** `n` evenly spaced ticks from 0 to `max` inclusive. */
export function ticks(max: number, n = 4): number[] {
  return Array.from({ length: n + 1 }, (_, index) => (max / n) * index);
}

/** At most `max` evenly picked indexes of `count` items (always the first and the last). */
export function labelIndexes(count: number, max: number): Set<number> {
  if (count <= max) return new Set(Array.from({ length: count }, (_, index) => index));
  const picked = new Set<number>();
  for (let index = 0; index < max; index++) {
    picked.add(Math.round((index * (count - 1)) / (max - 1)));
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
