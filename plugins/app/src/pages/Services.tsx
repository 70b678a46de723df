import React, { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Alert, Badge, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { DATASOURCE_TYPE, ROUTES, prefixRoute } from '../constants';
import {
  errorRatio,
  narrowPatterns,
  narrowServices,
  patternsParams,
  proxyPath,
  resolveDatasourceUid,
} from '../services/bridgeApi';
import { useBridgeGet } from '../hooks/useBridgeGet';
import { testIds } from '../testIds';

const NO_PARAMS = {};

export interface ServicesPageProps {
  datasourceUid?: string;
}

/** Services seen by the bridge, busiest first, and the top log patterns of the selected one. */
function ServicesPage({ datasourceUid }: ServicesPageProps) {
  const s = useStyles2(getStyles);
  const { service } = useParams<{ service?: string }>();
  const uid = useMemo(
    () => resolveDatasourceUid(datasourceUid, getDataSourceSrv().getList(), DATASOURCE_TYPE),
    [datasourceUid]
  );
  const services = useBridgeGet(uid ? proxyPath(uid, '/services') : undefined, NO_PARAMS, narrowServices);
  const params = useMemo(() => (service ? patternsParams(service) : NO_PARAMS), [service]);
  const patterns = useBridgeGet(uid && service ? proxyPath(uid, '/patterns/top') : undefined, params, narrowPatterns);

  if (!uid) {
    return (
      <PluginPage>
        <Alert data-testid={testIds.services.noDatasource} severity="info" title="No Cairn datasource">
          Add a datasource of type Cairn (cairn-bridge-datasource) pointing at the bridge, or provision one.
        </Alert>
      </PluginPage>
    );
  }

  return (
    <PluginPage>
      <div className={s.columns}>
        <section data-testid={testIds.services.container}>
          <h3>Services (last hour)</h3>
          {services?.loading && <LoadingPlaceholder text="Loading services" />}
          {services && !services.loading && 'error' in services && (
            <Alert data-testid={testIds.services.error} severity="error" title="Cannot list services">
              {services.error}
            </Alert>
          )}
          {services && !services.loading && 'value' in services && (
            <table className={s.table}>
              <thead>
                <tr>
                  <th>Service</th>
                  <th>Lines</th>
                  <th>Errors</th>
                </tr>
              </thead>
              <tbody>
                {services.value.map((svc) => (
                  <tr
                    key={svc.name}
                    data-testid={testIds.services.row}
                    className={svc.name === service ? s.selected : ''}
                  >
                    <td>
                      <Link to={prefixRoute(`${ROUTES.Services}/${encodeURIComponent(svc.name)}`)}>{svc.name}</Link>
                    </td>
                    <td>{svc.count}</td>
                    <td>{errorRatio(svc)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section data-testid={testIds.patterns.container}>
          <h3>{service ? `Top patterns: ${service}` : 'Select a service to see its top patterns'}</h3>
          {patterns?.loading && <LoadingPlaceholder text="Loading patterns" />}
          {patterns && !patterns.loading && 'error' in patterns && (
            <Alert severity="error" title="Cannot load patterns">
              {patterns.error}
            </Alert>
          )}
          {patterns && !patterns.loading && 'value' in patterns && (
            <table className={s.table}>
              <tbody>
                {patterns.value.map((p) => (
                  <tr key={p.id} data-testid={testIds.patterns.row}>
                    <td>{p.count}</td>
                    <td>
                      <code>{p.pattern}</code> {p.errors > 0 && <Badge text={`${p.errors} errors`} color="red" />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </PluginPage>
  );
}

export default ServicesPage;

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css`
    display: grid;
    grid-template-columns: minmax(240px, 1fr) 2fr;
    gap: ${theme.spacing(3)};
  `,
  table: css`
    width: 100%;
    td,
    th {
      padding: ${theme.spacing(0.5, 1)};
      border-bottom: 1px solid ${theme.colors.border.weak};
      text-align: left;
    }
  `,
  selected: css`
    background: ${theme.colors.action.selected};
  `,
});
