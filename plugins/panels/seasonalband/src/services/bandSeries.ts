import { FieldType, type DataFrame, type Field } from '@grafana/data';

export interface BandPoint {
  time: number;
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  anomaly: boolean;
}

export interface BandSeries {
  name: string;
  points: BandPoint[];
}

/** Names the datasource (and the `cairn-signals` index) use; matched case-insensitively. */
const FIELD_NAMES = {
  value: ['value', 'actual', 'observed'],
  expected: ['expected', 'baseline', 'mean'],
  lower: ['lower', 'lower_bound', 'min'],
  upper: ['upper', 'upper_bound', 'max'],
  anomaly: ['anomaly', 'is_anomaly', 'anomalous'],
};

function findField(frame: DataFrame, names: string[]): Field | undefined {
  return frame.fields.find((f) => names.includes(f.name.toLowerCase()));
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Reads one series with its band from a frame: a time field, a value field (by name, else the first number
 * field that is not a band field) and optional expected/lower/upper/anomaly fields. False when it cannot.
 */
export function toBandSeries(frame: DataFrame): BandSeries | false {
  const timeField = frame.fields.find((f) => f.type === FieldType.time);
  const expected = findField(frame, FIELD_NAMES.expected);
  const lower = findField(frame, FIELD_NAMES.lower);
  const upper = findField(frame, FIELD_NAMES.upper);
  const anomaly = findField(frame, FIELD_NAMES.anomaly);
  const bandFields = new Set([expected, lower, upper, anomaly]);
  const value =
    findField(frame, FIELD_NAMES.value) ??
    frame.fields.find((f) => f.type === FieldType.number && !bandFields.has(f) && f.name.toLowerCase() !== 'score');
  if (!timeField || !value) {
    return false;
  }
  const points: BandPoint[] = [];
  for (let i = 0; i < frame.length; i++) {
    const time = num(timeField.values[i]);
    const v = num(value.values[i]);
    if (time === null || v === null) {
      continue;
    }
    const lo = num(lower?.values[i]);
    const hi = num(upper?.values[i]);
    const flagged = anomaly?.values[i];
    points.push({
      time,
      value: v,
      expected: num(expected?.values[i]),
      lower: lo,
      upper: hi,
      anomaly: typeof flagged === 'boolean' ? flagged : (lo !== null && v < lo) || (hi !== null && v > hi),
    });
  }
  points.sort((a, b) => a.time - b.time);
  return { name: frame.name ?? value.config.displayName ?? value.name, points };
}

export interface Scale {
  (v: number): number;
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** The y domain covers values and band, padded 5% so the band never touches the panel edge. */
export function valueDomain(points: BandPoint[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    for (const v of [p.value, p.lower, p.upper, p.expected]) {
      if (v !== null) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  if (!Number.isFinite(min)) {
    return [0, 1];
  }
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
  return [min - pad, max + pad];
}

/** SVG path through the points that have a y; gaps (null) break the line. */
export function linePath(points: BandPoint[], y: (p: BandPoint) => number | null, sx: Scale, sy: Scale): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    const v = y(p);
    if (v === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${round(sx(p.time))},${round(sy(v))}`;
    pen = true;
  }
  return d;
}

/** Closed polygon: upper edge left to right, then lower edge right to left, over points with both bounds. */
export function bandPath(points: BandPoint[], sx: Scale, sy: Scale): string {
  const banded = points.filter((p) => p.lower !== null && p.upper !== null);
  if (banded.length < 2) {
    return '';
  }
  const top = banded.map((p) => `${round(sx(p.time))},${round(sy(p.upper ?? 0))}`);
  const bottom = banded.reverse().map((p) => `${round(sx(p.time))},${round(sy(p.lower ?? 0))}`);
  return `M${top.join('L')}L${bottom.join('L')}Z`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
