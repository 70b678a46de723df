import React from 'react';
import { Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';
import type { AppSettings } from '../../types';

const ServicesPage = React.lazy(() => import('../../pages/Services'));

function App({ meta }: AppRootProps<AppSettings>) {
  const datasourceUid = meta.jsonData?.datasourceUid;
  return (
    <Routes>
      <Route path={`${ROUTES.Services}/:service?`} element={<ServicesPage datasourceUid={datasourceUid} />} />
      {/* Default page */}
      <Route path="*" element={<ServicesPage datasourceUid={datasourceUid} />} />
    </Routes>
  );
}

export default App;
