// The browser harness: mounts the real plugin modules with the real @grafana/ui and @grafana/data, as Grafana
// would, against the bridge behind the test server's stand-in for Grafana's data proxy.
import React, { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { css } from '@emotion/css';
import {
  EventBusSrv,
  LoadingState,
  dateTime,
  type AppPluginMeta,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
  type DataSourceSettings,
  type GrafanaTheme2,
  type PanelData,
  type PanelProps,
  type TimeRange,
} from '@grafana/data';
import { GlobalStyles, useStyles2 } from '@grafana/ui';
import { plugin as datasourcePlugin } from '../../../plugins/datasource/src/module';
import { DataSource } from '../../../plugins/datasource/src/datasource';
import {
  DEFAULT_QUERY,
  type CairnDataSourceOptions,
  type CairnQuery,
  type CairnSecureJsonData,
} from '../../../plugins/datasource/src/types';
import { plugin as appPlugin } from '../../../plugins/app/src/module';
import type { AppSettings } from '../../../plugins/app/src/types';
import appPluginJson from '../../../plugins/app/src/plugin.json';
import { plugin as panelPlugin } from '../../../plugins/panels/seasonalband/src/module';
import { DEFAULT_OPTIONS, type SeasonalBandOptions } from '../../../plugins/panels/seasonalband/src/types';
import { harnessDatasources } from './datasources';
import { harnessIds, type HarnessState } from './harnessState';

const state: HarnessState = { queryChanges: [], optionsChanges: [], queryRuns: [], panelFrames: -1 };
window.cairnHarness = state;

const params = new URLSearchParams(window.location.search);
const service = params.get('service') ?? '';
const range: TimeRange = (() => {
  const from = dateTime(Number(params.get('from') ?? Date.now() - 3_600_000));
  const to = dateTime(Number(params.get('to') ?? Date.now()));
  return { from, to, raw: { from, to } };
})();

const [cairnDatasource] = harnessDatasources;
const instanceSettings = {
  id: 1,
  uid: cairnDatasource?.uid ?? 'cairn',
  name: cairnDatasource?.name ?? 'Cairn',
  type: cairnDatasource?.type ?? 'cairn-bridge-datasource',
  url: cairnDatasource?.url,
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: { id: 'cairn-bridge-datasource', name: 'Cairn' } as DataSourcePluginMeta<CairnDataSourceOptions>,
} as DataSourceInstanceSettings<CairnDataSourceOptions>;
const DataSourceClass = datasourcePlugin.DataSourceClass as typeof DataSource;
const datasource = new DataSourceClass(instanceSettings);

function request(targets: CairnQuery[]): DataQueryRequest<CairnQuery> {
  return {
    targets,
    range,
    scopedVars: {},
    interval: '1m',
    intervalMs: 60_000,
    requestId: `harness-${Date.now()}`,
    timezone: 'utc',
    app: 'harness',
    startTime: Date.now(),
  };
}

function Section({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  const s = useStyles2(getStyles);
  return (
    <section className={s.section} data-testid={testId}>
      <h2 className={s.title}>{title}</h2>
      {children}
    </section>
  );
}

function ConfigEditorHost() {
  const ConfigEditor = datasourcePlugin.components.ConfigEditor;
  const [options, setOptions] = useState<DataSourceSettings<CairnDataSourceOptions, CairnSecureJsonData>>({
    id: 1,
    uid: 'cairn',
    orgId: 1,
    name: 'Cairn',
    type: 'cairn-bridge-datasource',
    typeName: 'Cairn',
    typeLogoUrl: '',
    access: 'proxy',
    url: 'http://bridge:8080',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: true,
    jsonData: {},
    secureJsonFields: { bridgeToken: true },
    readOnly: false,
    withCredentials: false,
  });
  if (!ConfigEditor) {
    return <p>No config editor</p>;
  }
  const onOptionsChange = (next: typeof options) => {
    state.optionsChanges.push(next);
    setOptions(next);
  };
  return <ConfigEditor options={options} onOptionsChange={onOptionsChange} />;
}

/** The query editor as in Explore: every change kept, every run sent through the datasource to the bridge. */
function QueryEditorHost() {
  const QueryEditor = datasourcePlugin.components.QueryEditor;
  const [query, setQuery] = useState<CairnQuery>({ ...DEFAULT_QUERY, refId: 'A', queryType: 'logs' });
  const [result, setResult] = useState('not run');
  const onChange = (next: CairnQuery) => {
    state.queryChanges.push(next);
    setQuery(next);
  };
  const onRunQuery = () => {
    const target = query;
    setResult('running');
    datasource
      .query(request([target]))
      .then((res) => {
        const rows = res.data.reduce((n: number, frame: { length: number }) => n + frame.length, 0);
        state.queryRuns.push({ query: target, frames: res.data.length, rows });
        setResult(`${target.queryType}: ${res.data.length} frame(s), ${rows} row(s)`);
      })
      .catch((err: unknown) => setResult(`error: ${String(err)}`));
  };
  if (!QueryEditor) {
    return <p>No query editor</p>;
  }
  return (
    <>
      <QueryEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} />
      <p data-testid={harnessIds.queryResult}>{result}</p>
    </>
  );
}

/** The panel fed the way a dashboard feeds it: a series query through the datasource, its frames as PanelData. */
function PanelHost({ width, height }: { width: number; height: number }) {
  const Panel = panelPlugin.panel;
  const [data, setData] = useState<PanelData>({ state: LoadingState.Loading, series: [], timeRange: range });
  const eventBus = useMemo(() => new EventBusSrv(), []);
  useEffect(() => {
    datasource
      .query(request([{ refId: 'A', queryType: 'series', service, metric: 'volume' }]))
      .then((res) => {
        state.panelFrames = res.data.length;
        setData({ state: LoadingState.Done, series: res.data, timeRange: range });
      })
      .catch((err: unknown) => {
        state.panelError = String(err);
        setData({ state: LoadingState.Error, series: [], timeRange: range });
      });
  }, []);
  if (!Panel) {
    return <p>No panel</p>;
  }
  const props: PanelProps<SeasonalBandOptions> = {
    id: 1,
    data,
    timeRange: range,
    timeZone: 'utc',
    options: DEFAULT_OPTIONS,
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width,
    height,
    renderCounter: 0,
    title: `${service} volume`,
    eventBus,
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    replaceVariables: (value: string) => value,
    onChangeTimeRange: () => undefined,
  };
  return data.state === LoadingState.Loading ? <p>Loading series</p> : <Panel {...props} />;
}

/** The app's root page mounted where Grafana mounts it, /a/<app id>/*, on the selected service. */
function AppHost() {
  const Root = appPlugin.root;
  const meta = { id: appPluginJson.id, jsonData: { datasourceUid: 'cairn' } } as AppPluginMeta<AppSettings>;
  if (!Root) {
    return <p>No app root</p>;
  }
  return (
    <MemoryRouter
      initialEntries={[`/a/${appPluginJson.id}/services/${encodeURIComponent(service)}`]}
      future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
    >
      <Routes>
        <Route
          path={`/a/${appPluginJson.id}/*`}
          element={
            <Root meta={meta} basename={`/a/${appPluginJson.id}`} path="" query={{}} onNavChanged={() => undefined} />
          }
        />
      </Routes>
    </MemoryRouter>
  );
}

function Harness() {
  const s = useStyles2(getStyles);
  return (
    <div className={s.page}>
      <GlobalStyles />
      <h1>Cairn plugins on the live bridge: {service}</h1>
      <div className={s.grid}>
        <Section title="Datasource: config editor" testId={harnessIds.configSection}>
          <ConfigEditorHost />
        </Section>
        <Section title="Datasource: query editor" testId={harnessIds.querySection}>
          <QueryEditorHost />
        </Section>
      </div>
      <Section title="Panel: seasonal band (series query via the datasource)" testId={harnessIds.panelSection}>
        <PanelHost width={1170} height={260} />
      </Section>
      <Section title="App: services" testId={harnessIds.appSection}>
        <AppHost />
      </Section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2), maxWidth: 1240 }),
  grid: css({ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: theme.spacing(2) }),
  section: css({
    border: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
  title: css({ fontSize: theme.typography.h4.fontSize, marginBottom: theme.spacing(2) }),
});

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(<Harness />);
}
