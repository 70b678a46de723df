/** Every data-testid of this plugin; the component tests and the e2e specs import from here. */
export const testIds = {
  configEditor: {
    url: 'data-testid cairn-config-url',
    token: 'data-testid cairn-config-token',
  },
  queryEditor: {
    queryType: 'data-testid cairn-query-type',
    service: 'data-testid cairn-query-service',
    query: 'data-testid cairn-query-text',
    level: 'data-testid cairn-query-level',
    limit: 'data-testid cairn-query-limit',
    metric: 'data-testid cairn-query-metric',
  },
} as const;
