/** The datasources the harness "Grafana" has: one Cairn datasource, reached through the data proxy. */
export const harnessDatasources = [
  { uid: 'cairn', name: 'Cairn', type: 'cairn-bridge-datasource', url: '/api/datasources/proxy/uid/cairn' },
];
