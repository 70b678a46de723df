import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';
import { API_PREFIX } from '@cairn/contract';
import pluginJson from './plugin.json';
import type { CairnSecureJsonData } from './types';

// The repo's provisioning files double as fixtures: they must match what this plugin reads.
const provisioned = parse(readFileSync(resolve(__dirname, '../../../provisioning/datasources/cairn.yaml'), 'utf8'));
type Provisioned = {
  type: string;
  uid: string;
  url: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: object;
};
const datasources: Provisioned[] = provisioned.datasources;

describe('provisioning/datasources/cairn.yaml', () => {
  it('provisions this plugin with the bridge URL and a token from the environment', () => {
    const cairn = datasources.find((ds) => ds.type === pluginJson.id);
    expect(cairn?.url).toBe('http://bridge:8080');
    const secure: Required<CairnSecureJsonData> = { bridgeToken: '$CAIRN_BRIDGE_TOKEN' };
    expect(cairn?.secureJsonData).toEqual(secure);
  });

  it('provisions the core Elasticsearch datasources alerting reads', () => {
    const es = datasources.filter((ds) => ds.type === 'elasticsearch');
    expect(es.map((ds) => [ds.jsonData?.index, ds.jsonData?.timeField])).toEqual([
      ['cairn-signals', '@timestamp'],
      ['cairn-logs-*', '@timestamp'],
    ]);
  });
});

describe('plugin.json data-proxy route', () => {
  it('covers the contract prefix and sends the secure token as a bearer token', () => {
    const route = pluginJson.routes.find((r) => `/${r.path}` === API_PREFIX);
    expect(route?.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.bridgeToken }}' }]);
  });
});
