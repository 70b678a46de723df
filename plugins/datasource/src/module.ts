import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { CairnDataSourceOptions, CairnQuery, CairnSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, CairnQuery, CairnDataSourceOptions, CairnSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
