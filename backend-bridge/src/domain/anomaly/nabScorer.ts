// NAB (Numenta Anomaly Benchmark) scoring, following numenta/NAB nab/sweeper.py, optimizer.py and runner.normalize().

/** Weights of one NAB application profile. */
export interface NabCostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export const NAB_STANDARD_PROFILE: NabCostProfile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
export const NAB_REWARD_LOW_FP_PROFILE: NabCostProfile = { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 };
export const NAB_REWARD_LOW_FN_PROFILE: NabCostProfile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 };

/** One data file: a detector's score per row, and the labelled windows as inclusive [start, end] timestamps. */
export interface NabFile {
  name: string;
  timestamps: readonly number[];
  scores: readonly number[];
  windows: readonly (readonly [number, number])[];
}

export interface NabScoringOptions {
  profile?: NabCostProfile;
  probationPercent?: number;
}

/** Row-level view of a file: which window a row falls in and what a detection there would earn. */
export interface NabSweepPoint {
  score: number;
  sweepScore: number;
  /** Corpus-wide window index; OUTSIDE_WINDOW for rows outside every window; PROBATIONARY for ignored rows. */
  windowId: number;
}

export const OUTSIDE_WINDOW = -1;
export const PROBATIONARY = -2;

export interface NabThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

export interface NabFileResult {
  name: string;
  windows: number;
  rawScore: number;
  /** Score of the detector that never fires on this file (−fnWeight per scorable window). */
  nullScore: number;
  /** Score of the detector that catches every window at its first row. */
  perfectScore: number;
  /** 100·(raw − null)/(perfect − null); null for files without windows. */
  normalizedScore: number | null;
  /** Detections after probation: rows at or above the threshold. */
  detections: number;
  /** Detections outside every window. */
  falsePositives: number;
  /** Windows with no detection. */
  missedWindows: number;
}

export interface NabCorpusResult {
  threshold: number;
  rawScore: number;
  nullScore: number;
  perfectScore: number;
  normalizedScore: number;
  files: NabFileResult[];
}

/** Rows whose detections are ignored: min(floor(p·rows), p·5000), as NAB's sweeper computes it. */
export function nabProbationLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/** σ(p) = 2/(1+e^(5p)) − 1, and −1 beyond three window lengths past a window (NAB's cut-off). */
export function nabScaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** Window limits as inclusive row indices: first row at or after start, last row at or before end. */
export function windowRowRanges(
  timestamps: readonly number[],
  windows: readonly (readonly [number, number])[]
): [number, number][] {
  const ranges: [number, number][] = [];
  for (const [start, end] of windows) {
    let left = -1;
    let right = -1;
    for (let i = 0; i < timestamps.length; i++) {
      const t = timestamps[i] ?? Number.NaN;
      if (left === -1 && t >= start) left = i;
      if (t <= end) right = i;
    }
    if (left !== -1 && right >= left) ranges.push([left, right]);
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** NAB's calcSweepScore: what a detection at each row would be worth. firstWindowId numbers windows corpus-wide. */
export function nabSweepPoints(
  file: Pick<NabFile, 'timestamps' | 'scores' | 'windows'>,
  options: NabScoringOptions = {},
  firstWindowId = 0
): NabSweepPoint[] {
  const profile = options.profile ?? NAB_STANDARD_PROFILE;
  const { timestamps, scores } = file;
  if (timestamps.length !== scores.length) throw new Error('timestamps and scores differ in length');
  const ranges = windowRowRanges(timestamps, file.windows);
  const probation = nabProbationLength(timestamps.length, options.probationPercent ?? 0.15);
  const maxTp = nabScaledSigmoid(-1);
  const points: NabSweepPoint[] = [];
  let next = 0;
  let current: { left: number; right: number; width: number; id: number } | null = null;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < scores.length; i++) {
    const nextRange = ranges[next];
    if (current === null && nextRange && nextRange[0] === i) {
      current = {
        left: nextRange[0],
        right: nextRange[1],
        width: nextRange[1] - nextRange[0] + 1,
        id: firstWindowId + next,
      };
      next++;
    }
    let sweepScore: number;
    if (current !== null) {
      const position = -(current.right - i + 1) / current.width;
      sweepScore = (nabScaledSigmoid(position) * profile.tpWeight) / maxTp;
    } else if (prevRight < 0) {
      sweepScore = -profile.fpWeight;
    } else {
      // A one-row window has zero length to measure from: treat the FP as far away, as NAB's division would fail.
      const position = prevWidth > 1 ? Math.abs(prevRight - i) / (prevWidth - 1) : Number.POSITIVE_INFINITY;
      sweepScore = nabScaledSigmoid(position) * profile.fpWeight;
    }
    const windowId = i < probation ? PROBATIONARY : current !== null ? current.id : OUTSIDE_WINDOW;
    points.push({ score: scores[i] ?? 0, sweepScore, windowId });
    if (current !== null && i === current.right) {
      prevRight = i;
      prevWidth = current.width;
      current = null;
    }
  }
  return points;
}

/** NAB's calcScoreByThreshold: the score for every distinct threshold, highest first (a row fires when score ≥ threshold). */
export function nabScoresByThreshold(
  points: readonly NabSweepPoint[],
  profile = NAB_STANDARD_PROFILE
): NabThresholdScore[] {
  const scorable = points.filter((p) => p.windowId !== PROBATIONARY).sort((a, b) => b.score - a.score);
  const best = new Map<number, number>();
  for (const p of scorable) if (p.windowId !== OUTSIDE_WINDOW) best.set(p.windowId, -profile.fnWeight);
  let windowSum = -profile.fnWeight * best.size;
  let fpSum = 0;
  let tp = 0;
  let fp = 0;
  let tn = scorable.filter((p) => p.windowId === OUTSIDE_WINDOW).length;
  let fn = scorable.length - tn;
  const results: NabThresholdScore[] = [];
  let threshold = 1.1;
  for (const p of scorable) {
    if (p.score !== threshold) {
      results.push({ threshold, score: fpSum + windowSum, tp, tn, fp, fn });
      threshold = p.score;
    }
    if (p.windowId === OUTSIDE_WINDOW) {
      fp++;
      tn--;
      fpSum += p.sweepScore;
    } else {
      tp++;
      fn--;
      const old = best.get(p.windowId) ?? -profile.fnWeight;
      if (p.sweepScore > old) {
        best.set(p.windowId, p.sweepScore);
        windowSum += p.sweepScore - old;
      }
    }
  }
  results.push({ threshold, score: fpSum + windowSum, tp, tn, fp, fn });
  return results;
}

/** Scores one file's sweep points with detections at score ≥ threshold. */
export function scoreNabPointsAtThreshold(
  points: readonly NabSweepPoint[],
  threshold: number,
  profile = NAB_STANDARD_PROFILE
): { score: number; detections: number; falsePositives: number; missedWindows: number; windows: number } {
  const best = new Map<number, number>();
  for (const p of points) if (p.windowId >= 0) best.set(p.windowId, -profile.fnWeight);
  let fpSum = 0;
  let detections = 0;
  let falsePositives = 0;
  for (const p of points) {
    if (p.windowId === PROBATIONARY || p.score < threshold) continue;
    detections++;
    if (p.windowId === OUTSIDE_WINDOW) {
      falsePositives++;
      fpSum += p.sweepScore;
    } else {
      best.set(p.windowId, Math.max(best.get(p.windowId) ?? -profile.fnWeight, p.sweepScore));
    }
  }
  let windowSum = 0;
  let missedWindows = 0;
  for (const v of best.values()) {
    windowSum += v;
    if (v === -profile.fnWeight) missedWindows++;
  }
  return { score: fpSum + windowSum, detections, falsePositives, missedWindows, windows: best.size };
}

/** Scores a corpus as NAB does: one threshold for all files, chosen to maximise the total; normalized null=0, perfect=100. */
export function scoreNabCorpus(files: readonly NabFile[], options: NabScoringOptions = {}): NabCorpusResult {
  const profile = options.profile ?? NAB_STANDARD_PROFILE;
  const perFile: NabSweepPoint[][] = [];
  let windowId = 0;
  let labelledWindows = 0;
  for (const file of files) {
    perFile.push(nabSweepPoints(file, options, windowId));
    windowId += windowRowRanges(file.timestamps, file.windows).length;
    labelledWindows += file.windows.length;
  }
  const sweep = nabScoresByThreshold(perFile.flat(), profile);
  let bestRow = sweep[0];
  for (const row of sweep) if (bestRow === undefined || row.score > bestRow.score) bestRow = row;
  const threshold = bestRow?.threshold ?? 1.1;
  const rawScore = bestRow?.score ?? 0;
  const nullScore = sweep[0]?.score ?? 0;
  const perfectScore = labelledWindows * profile.tpWeight;
  const fileResults = files.map((file, i): NabFileResult => {
    const at = scoreNabPointsAtThreshold(perFile[i] ?? [], threshold, profile);
    const fileNull = -profile.fnWeight * at.windows;
    const filePerfect = profile.tpWeight * file.windows.length;
    return {
      name: file.name,
      windows: file.windows.length,
      rawScore: at.score,
      nullScore: fileNull,
      perfectScore: filePerfect,
      normalizedScore: filePerfect > fileNull ? (100 * (at.score - fileNull)) / (filePerfect - fileNull) : null,
      detections: at.detections,
      falsePositives: at.falsePositives,
      missedWindows: at.missedWindows,
    };
  });
  const normalizedScore = perfectScore > nullScore ? (100 * (rawScore - nullScore)) / (perfectScore - nullScore) : 0;
  return { threshold, rawScore, nullScore, perfectScore, normalizedScore, files: fileResults };
}

/** Parses NAB's 'YYYY-MM-DD HH:MM:SS[.ffffff]' timestamps as UTC milliseconds. */
export function parseNabTimestamp(text: string): number {
  const iso = text.trim().replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${text}`);
  return ms;
}
