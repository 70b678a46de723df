/** A detector that scores each point in [0,1] as it arrives, from that point and earlier ones only. */
export interface StreamingAnomalyDetector {
  /** Scores one point; timestamps are epoch milliseconds and must not go backwards. */
  score(timestampMs: number, value: number): number;
}
