import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { of, throwError } from 'rxjs';
import ServicesPage from './Services';
import { testIds } from '../testIds';

const fetchMock = jest.fn();
const getListMock = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: fetchMock }),
  getDataSourceSrv: () => ({ getList: getListMock }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/services/:service?" element={<ServicesPage />} />
      </Routes>
    </MemoryRouter>
  );
}

beforeEach(() => {
  fetchMock.mockReset();
  getListMock.mockReturnValue([{ uid: 'cairn', type: 'cairn-bridge-datasource' }]);
});

describe('ServicesPage', () => {
  it('asks for a datasource when there is none', () => {
    getListMock.mockReturnValue([]);
    renderAt('/services');
    expect(screen.getByTestId(testIds.services.noDatasource)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('lists services busiest first and the selected service patterns', async () => {
    fetchMock.mockImplementation(({ url }: { url: string }) =>
      url.endsWith('/services')
        ? of({
            data: {
              services: [
                { name: 'auth', count: 10, errors: 1 },
                { name: 'checkout', count: 50, errors: 5 },
              ],
            },
          })
        : of({
            data: {
              patterns: [
                {
                  id: 'aaaaaaaaaaa1',
                  pattern: 'user <*> logged in',
                  service: 'checkout',
                  count: 42,
                  share: 1,
                  errors: 2,
                  series: [],
                  aliases: [],
                },
              ],
            },
          })
    );
    renderAt('/services/checkout');
    const rows = await screen.findAllByTestId(testIds.services.row);
    expect(rows.map((r) => r.textContent)).toEqual(['checkout5010.0%', 'auth1010.0%']);
    expect(await screen.findByText('user <*> logged in')).toBeInTheDocument();
    expect(screen.getByText('2 errors')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith({
      url: '/api/datasources/proxy/uid/cairn/api/v1/patterns/top',
      method: 'GET',
      params: { service: 'checkout', from: 'now-1h', to: 'now', limit: '10' },
    });
  });

  it('shows a bridge error', async () => {
    fetchMock.mockReturnValue(throwError(() => ({ status: 502, data: {}, config: {} })));
    renderAt('/services');
    expect(await screen.findByTestId(testIds.services.error)).toHaveTextContent('Bridge answered 502');
  });
});
