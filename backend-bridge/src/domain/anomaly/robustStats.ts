// Small numeric helpers over plain arrays, shared by the anomaly detector and the seasonal baseline.

/** Fixed-capacity FIFO of numbers; the oldest value drops out when full. */
export class RingBuffer {
  private readonly data: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count < this.capacity) {
      this.data[(this.start + this.count) % this.capacity] = value;
      this.count++;
    } else {
      this.data[this.start] = value;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** i-th value counting back from the newest (0 = newest). */
  back(i: number): number {
    return this.data[(this.start + this.count - 1 - i + this.capacity * 2) % this.capacity] ?? Number.NaN;
  }

  /** Copies the newest n values (oldest first) into a fresh array. */
  newest(n: number): Float64Array {
    const k = Math.min(n, this.count);
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) out[i] = this.data[(this.start + this.count - k + i) % this.capacity] ?? 0;
    return out;
  }
}

/** Quantile (linear interpolation) of an ascending-sorted array. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (pos - lo);
}

/** Median and a robust scale (1.4826·MAD, falling back to mean absolute deviation when over half the values tie). */
export interface RobustLocation {
  median: number;
  scale: number;
}

/** Robust location/scale of the values; sorts a copy in place-friendly Float64Array form. */
export function robustLocation(values: Float64Array): RobustLocation {
  const n = values.length;
  if (n === 0) return { median: Number.NaN, scale: Number.NaN };
  const sorted = values.slice().sort();
  const median = sortedQuantile(sorted, 0.5);
  const deviations = new Float64Array(n);
  let absSum = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs((sorted[i] ?? 0) - median);
    deviations[i] = d;
    absSum += d;
  }
  deviations.sort();
  const mad = sortedQuantile(deviations, 0.5);
  // Quantized or mostly-constant series have MAD 0; the mean absolute deviation still sees the rare moves.
  const scale = mad > 0 ? 1.4826 * mad : 1.2533 * (absSum / n);
  return { median, scale };
}

/** Two-sided standard normal tail probability P(|Z| ≥ z). */
export function normalTwoSidedTail(z: number): number {
  return erfcApprox(Math.abs(z) / Math.SQRT2);
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7). */
export function erfcApprox(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}
