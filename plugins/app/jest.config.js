// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const baseConfig = require('./.config/jest.config');
const swcTransform = baseConfig.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...baseConfig,
  // Some hoisted Grafana dependencies (d3-color 3.1.1) ship only .mjs; transform those too.
  transform: { ...baseConfig.transform, '^.+\\.mjs$': swcTransform },
  // jsdom would pick yaml's browser ESM build; provisioning tests run the Node (CJS) build.
  moduleNameMapper: { ...baseConfig.moduleNameMapper, '^yaml$': require.resolve('yaml') },
  // Browser specs in tests/ are Playwright (@grafana/plugin-e2e), never jest.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/'],
};
