import { erfcApprox } from './robustStats.js';
import type { StreamingAnomalyDetector } from './types.js';

/** Q-function: probability that a normal variable exceeds x, folded so both tails count (NAB's normalProbability). */
export function gaussianTailProbability(x: number, mean: number, std: number): number {
  const z = Math.abs(x - mean) / std;
  return 0.5 * erfcApprox(z / Math.SQRT2);
}

/** NAB's windowedGaussian detector: window 6400, step 100, score = 1 − Gaussian tail probability. */
export class WindowedGaussianDetector implements StreamingAnomalyDetector {
  private window: number[] = [];
  private stepBuffer: number[] = [];
  private mean = 0;
  private std = 1;

  constructor(
    private readonly windowSize = 6400,
    private readonly stepSize = 100
  ) {}

  score(_timestampMs: number, value: number): number {
    const anomalyScore = this.window.length > 0 ? 1 - gaussianTailProbability(value, this.mean, this.std) : 0;
    if (this.window.length < this.windowSize) {
      this.window.push(value);
      this.update();
    } else {
      this.stepBuffer.push(value);
      if (this.stepBuffer.length === this.stepSize) {
        this.window = this.window.slice(this.stepSize).concat(this.stepBuffer);
        this.stepBuffer = [];
        this.update();
      }
    }
    return anomalyScore;
  }

  private update(): void {
    let sum = 0;
    for (const v of this.window) sum += v;
    const mean = sum / this.window.length;
    let sq = 0;
    for (const v of this.window) sq += (v - mean) * (v - mean);
    this.mean = mean;
    // numpy.std is the population standard deviation; NAB floors a zero std at 1e-6
    this.std = Math.sqrt(sq / this.window.length) || 0.000001;
  }
}

/** Never fires: NAB's null detector, the 0 of the normalized score. */
export class SilentDetector implements StreamingAnomalyDetector {
  score(): number {
    return 0;
  }
}
