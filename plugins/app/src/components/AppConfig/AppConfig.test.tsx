import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of } from 'rxjs';
import { PluginType } from '@grafana/data';
import AppConfig, { type AppConfigProps } from './AppConfig';
import { testIds } from '../../testIds';

const fetchMock = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: fetchMock }),
}));

function props(jsonData: Record<string, unknown> = {}): AppConfigProps {
  return {
    plugin: {
      meta: { id: 'cairn-logs-app', name: 'Cairn', type: PluginType.app, enabled: true, pinned: true, jsonData },
    },
    query: {},
  } as unknown as AppConfigProps;
}

describe('AppConfig', () => {
  it('shows the saved datasource UID', () => {
    render(<AppConfig {...props({ datasourceUid: 'cairn-bridge' })} />);
    expect(screen.getByRole('group', { name: /cairn settings/i })).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.datasourceUid)).toHaveValue('cairn-bridge');
  });

  it('posts the new settings', async () => {
    fetchMock.mockReturnValue(of({ data: {} }));
    const reload = jest.fn();
    Object.defineProperty(window, 'location', { value: { reload }, writable: true });
    render(<AppConfig {...props()} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.datasourceUid), { target: { value: ' ds-1 ' } });
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(fetchMock).toHaveBeenCalledWith({
      url: '/api/plugins/cairn-logs-app/settings',
      method: 'POST',
      data: { enabled: true, pinned: true, jsonData: { datasourceUid: 'ds-1' } },
    });
  });
});
