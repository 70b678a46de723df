import { z } from 'zod';

/** The per-service metrics the bridge extracts every minute and scores against a seasonal baseline. */
export const SIGNAL_METRICS = ['volume', 'error_rate', 'latency_p50', 'latency_p95', 'latency_p99'] as const;
export type SignalMetric = (typeof SIGNAL_METRICS)[number];

/** Index (write target) of the signals; alert rules read it through Grafana's core Elasticsearch datasource. */
export const SIGNALS_INDEX = 'cairn-signals';

const timeBound = z
  .string()
  .min(1)
  .max(64)
  .describe('ISO-8601 timestamp, epoch milliseconds, or date math such as now-15m');

/** One document of `cairn-signals`: a service's metric in one minute, its band and its anomaly score. */
export interface SignalDoc {
  '@timestamp': string;
  service: { name: string };
  metric: SignalMetric;
  value: number;
  /** Null while the baseline has no history for this time (cold start). */
  expected: number | null;
  lower: number | null;
  upper: number | null;
  /** Anomaly score in [0,1] from this minute and earlier ones only; 0.99 = at the edge of the 99% band. */
  score: number;
  /** Criticality tier of the service (config/tiers.yaml). */
  tier: string;
}

/** GET /api/v1/series: one service's metric with bands and scores, oldest first. */
export const seriesRequestSchema = z.object({
  service: z.string().min(1).max(256),
  metric: z.enum(SIGNAL_METRICS).default('volume'),
  from: timeBound.default('now-6h'),
  to: timeBound.default('now'),
});
export type SeriesRequest = z.infer<typeof seriesRequestSchema>;

export interface SeriesPoint {
  /** Minute start, epoch milliseconds. */
  time: number;
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  score: number;
}

export interface SeriesResponse {
  service: string;
  metric: SignalMetric;
  tier: string | null;
  points: SeriesPoint[];
}

/** GET /api/v1/anomalies: the most anomalous service/metric pairs in a range, highest peak score first. */
export const anomaliesRequestSchema = z.object({
  from: timeBound.default('now-1h'),
  to: timeBound.default('now'),
  service: z.string().min(1).max(256).optional(),
  minScore: z.coerce.number().min(0).max(1).default(0.99),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AnomaliesRequest = z.infer<typeof anomaliesRequestSchema>;

export interface Anomaly {
  service: string;
  metric: SignalMetric;
  tier: string;
  /** Highest score in the range, and the minute it was reached (epoch ms). */
  peakScore: number;
  peakTime: number;
  /** Value, expected and band at the peak. */
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  /** Minutes in the range at or above minScore. */
  anomalousMinutes: number;
}

export interface AnomaliesResponse {
  from: number;
  to: number;
  anomalies: Anomaly[];
}

/** GET /api/v1/correlation: which other services' signals moved in the same or the preceding window. */
export const correlationRequestSchema = z.object({
  service: z.string().min(1).max(256),
  at: timeBound.describe('the anomalous minute to explain'),
  metric: z
    .enum(SIGNAL_METRICS)
    .optional()
    .describe('the target metric; default: the one with the highest score at `at`'),
  windowMinutes: z.coerce.number().int().min(1).max(240).default(10),
  minScore: z.coerce.number().min(0).max(1).default(0.95),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type CorrelationRequest = z.infer<typeof correlationRequestSchema>;

export interface CorrelatedSignal {
  service: string;
  metric: SignalMetric;
  /** 0..1: how strongly and how close in time this signal moved with the target. */
  strength: number;
  peakScore: number;
  peakTime: number;
  /** Minutes this signal's onset precedes the target's onset (positive = it moved first, a candidate cause). */
  leadMinutes: number;
  /** Pearson correlation of the two signals' standardized deviations over both windows, at the best lag. */
  correlation: number;
  window: 'same' | 'preceding';
}

/** A log template whose count changed around the onset, against its rate in the hour before the windows. */
export interface CorrelatedTemplate {
  service: string;
  templateId: string;
  pattern: string | null;
  /** Lines in the hour before the preceding window, scaled to one window. */
  expected: number;
  /** Lines in the preceding and in the same window. */
  preceding: number;
  same: number;
  /** Poisson z of the larger of the two windows against expected (negative: the template went quiet). */
  z: number;
  /** True when the template was not seen at all in the baseline hour. */
  isNew: boolean;
  window: 'same' | 'preceding';
}

export interface CorrelationResponse {
  service: string;
  metric: SignalMetric | null;
  /** Onset of the target's anomaly (epoch ms), or `at` when no onset was found. */
  onset: number;
  windowMinutes: number;
  related: CorrelatedSignal[];
  /** Templates (any service, the target's included) whose counts moved most, strongest first. */
  templates: CorrelatedTemplate[];
}
