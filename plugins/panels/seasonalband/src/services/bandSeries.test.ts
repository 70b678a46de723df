import { FieldType, createDataFrame } from '@grafana/data';
import { bandPath, linePath, linearScale, toBandSeries, valueDomain, type BandPoint } from './bandSeries';

const frame = createDataFrame({
  name: 'api error_rate',
  fields: [
    { name: 'time', type: FieldType.time, values: [3000, 1000, 2000] },
    { name: 'value', type: FieldType.number, values: [9, 5, 1] },
    { name: 'expected', type: FieldType.number, values: [4, 4, 4] },
    { name: 'lower', type: FieldType.number, values: [2, 2, 2] },
    { name: 'upper', type: FieldType.number, values: [6, 6, 6] },
  ],
});

describe('toBandSeries', () => {
  it('reads and sorts points, deriving anomalies from the band', () => {
    const s = toBandSeries(frame);
    expect(s).not.toBe(false);
    if (!s) {
      return;
    }
    expect(s.name).toBe('api error_rate');
    expect(s.points.map((p) => [p.time, p.value, p.anomaly])).toEqual([
      [1000, 5, false],
      [2000, 1, true],
      [3000, 9, true],
    ]);
  });

  it('prefers an explicit anomaly field', () => {
    const flagged = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'value', type: FieldType.number, values: [100, 1] },
        { name: 'upper', type: FieldType.number, values: [10, 10] },
        { name: 'anomaly', type: FieldType.boolean, values: [false, true] },
      ],
    });
    const s = toBandSeries(flagged);
    expect(s && s.points.map((p) => p.anomaly)).toEqual([false, true]);
  });

  it('falls back to the first non-band number field and skips null values', () => {
    const plain = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2, 3] },
        { name: 'lower', type: FieldType.number, values: [0, 0, 0] },
        { name: 'errors', type: FieldType.number, values: [1, null, 3] },
      ],
    });
    const s = toBandSeries(plain);
    expect(s && s.points.map((p) => p.value)).toEqual([1, 3]);
    expect(s && s.points[0]?.upper).toBeNull();
  });

  it('is false without a time or a value field', () => {
    expect(toBandSeries(createDataFrame({ fields: [{ name: 'value', type: FieldType.number, values: [1] }] }))).toBe(
      false
    );
    expect(toBandSeries(createDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: [1] }] }))).toBe(
      false
    );
  });
});

describe('geometry', () => {
  const pts: BandPoint[] = [
    { time: 0, value: 1, expected: 1, lower: 0, upper: 2, anomaly: false },
    { time: 10, value: 3, expected: null, lower: 1, upper: 3, anomaly: false },
    { time: 20, value: 2, expected: 2, lower: null, upper: null, anomaly: false },
  ];
  const sx = linearScale([0, 20], [0, 200]);
  const sy = linearScale([0, 4], [100, 0]);

  it('scales linearly and tolerates an empty domain', () => {
    expect(sx(10)).toBe(100);
    expect(sy(4)).toBe(0);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(0);
  });

  it('pads the value domain over values and bounds', () => {
    const [lo, hi] = valueDomain(pts);
    expect(lo).toBeCloseTo(-0.15);
    expect(hi).toBeCloseTo(3.15);
    expect(valueDomain([])).toEqual([0, 1]);
  });

  it('breaks lines at gaps', () => {
    expect(linePath(pts, (p) => p.expected, sx, sy)).toBe('M0,75M200,50');
    expect(linePath(pts, (p) => p.value, sx, sy)).toBe('M0,75L100,25L200,50');
  });

  it('closes the band over points with both bounds', () => {
    expect(bandPath(pts, sx, sy)).toBe('M0,50L100,25L100,75L0,100Z');
    expect(bandPath(pts.slice(2), sx, sy)).toBe('');
  });
});
