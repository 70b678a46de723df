/** What the harness page records for the test to read (window.cairnHarness), and its own test IDs. */
export interface HarnessState {
  queryChanges: unknown[];
  optionsChanges: unknown[];
  queryRuns: Array<{ query: unknown; frames: number; rows: number }>;
  /** Frames the panel's series query returned; -1 until it answered. */
  panelFrames: number;
  panelError?: string;
}

export const harnessIds = {
  configSection: 'data-testid harness-config-editor',
  querySection: 'data-testid harness-query-editor',
  queryResult: 'data-testid harness-query-result',
  panelSection: 'data-testid harness-panel',
  appSection: 'data-testid harness-app',
} as const;

declare global {
  interface Window {
    cairnHarness?: HarnessState;
  }
}
