/** Every data-testid of the app; component tests and e2e specs import from here. */
export const testIds = {
  appConfig: {
    datasourceUid: 'data-testid ac-datasource-uid',
    submit: 'data-testid ac-submit-form',
  },
  services: {
    container: 'data-testid cairn-services',
    row: 'data-testid cairn-services-row',
    error: 'data-testid cairn-services-error',
    noDatasource: 'data-testid cairn-services-no-datasource',
  },
  patterns: {
    container: 'data-testid cairn-patterns',
    row: 'data-testid cairn-patterns-row',
  },
} as const;
