/** Every data-testid of this panel; component tests and e2e specs import from here. */
export const testIds = {
  panel: {
    container: 'data-testid seasonalband-panel',
    band: 'data-testid seasonalband-band',
    expected: 'data-testid seasonalband-expected',
    value: 'data-testid seasonalband-value',
    anomaly: 'data-testid seasonalband-anomaly',
    empty: 'data-testid seasonalband-empty',
  },
} as const;
