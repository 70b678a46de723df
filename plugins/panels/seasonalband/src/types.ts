export interface SeasonalBandOptions {
  /** Draw the expected (seasonal baseline) line inside the band. */
  showExpected: boolean;
  /** Mark points flagged anomalous (or outside the band) with dots. */
  showAnomalies: boolean;
  /** Fill opacity of the lower..upper band, 0..1. */
  bandOpacity: number;
}

export const DEFAULT_OPTIONS: SeasonalBandOptions = {
  showExpected: true,
  showAnomalies: true,
  bandOpacity: 0.2,
};
