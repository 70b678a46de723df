import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { testIds } from '../testIds';
import type { CairnDataSourceOptions, CairnSecureJsonData } from '../types';

type Options = DataSourceSettings<CairnDataSourceOptions, CairnSecureJsonData>;

function makeOptions(over: Partial<Options> = {}): Options {
  return {
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
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...over,
  };
}

describe('ConfigEditor', () => {
  it('edits the URL', () => {
    const onOptionsChange = jest.fn();
    const options = makeOptions();
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
    const url = screen.getByTestId(testIds.configEditor.url);
    expect(url).toHaveValue('http://bridge:8080');
    fireEvent.change(url, { target: { value: 'https://cairn.example:8443' } });
    expect(onOptionsChange).toHaveBeenCalledWith({ ...options, url: 'https://cairn.example:8443', access: 'proxy' });
  });

  it('stores a new token in secureJsonData only', () => {
    const onOptionsChange = jest.fn();
    const options = makeOptions();
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByPlaceholderText('bridge API token'), { target: { value: 's3cret' } });
    expect(onOptionsChange).toHaveBeenCalledWith({ ...options, secureJsonData: { bridgeToken: 's3cret' } });
    expect(onOptionsChange.mock.calls[0][0].jsonData).toEqual({});
  });

  it('shows a configured token as set and resets it', () => {
    const onOptionsChange = jest.fn();
    const options = makeOptions({ secureJsonFields: { bridgeToken: true } });
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenCalledWith({
      ...options,
      secureJsonFields: { bridgeToken: false },
      secureJsonData: { bridgeToken: '' },
    });
  });
});
