import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';
import pluginJson from './plugin.json';
import { DATASOURCE_TYPE } from './constants';

// The repo's provisioning files double as fixtures: they must match what this app reads.
const read = (file: string) => parse(readFileSync(resolve(__dirname, '../../../provisioning', file), 'utf8'));

describe('provisioning/plugins/cairn.yaml', () => {
  it('enables this app pointing at the provisioned Cairn datasource', () => {
    const app = read('plugins/cairn.yaml').apps.find((a: { type: string }) => a.type === pluginJson.id);
    expect(app?.disabled).toBe(false);
    const cairn = read('datasources/cairn.yaml').datasources.find(
      (ds: { type: string }) => ds.type === DATASOURCE_TYPE
    );
    expect(app?.jsonData?.datasourceUid).toBe(cairn?.uid);
  });
});
