import React, { type ChangeEvent } from 'react';
import { InlineField, Input, SecretInput } from '@grafana/ui';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import type { CairnDataSourceOptions, CairnSecureJsonData } from '../types';
import { testIds } from '../testIds';

type Props = DataSourcePluginOptionsEditorProps<CairnDataSourceOptions, CairnSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const isTokenConfigured = Boolean(options.secureJsonFields?.bridgeToken);

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, url: event.target.value, access: 'proxy' });
  };

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { ...options.secureJsonData, bridgeToken: event.target.value } });
  };

  const onTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...options.secureJsonFields, bridgeToken: false },
      secureJsonData: { ...options.secureJsonData, bridgeToken: '' },
    });
  };

  return (
    <>
      <InlineField label="Bridge URL" labelWidth={16} tooltip="Cairn bridge base URL, e.g. http://bridge:8080">
        <Input
          id="cairn-config-url"
          data-testid={testIds.configEditor.url}
          value={options.url ?? ''}
          placeholder="http://bridge:8080"
          width={40}
          onChange={onUrlChange}
        />
      </InlineField>
      <InlineField label="Bridge token" labelWidth={16} tooltip="Sent as a bearer token by Grafana's data proxy">
        <SecretInput
          id="cairn-config-token"
          data-testid={testIds.configEditor.token}
          isConfigured={isTokenConfigured}
          value={options.secureJsonData?.bridgeToken ?? ''}
          placeholder="bridge API token"
          width={40}
          onReset={onTokenReset}
          onChange={onTokenChange}
        />
      </InlineField>
    </>
  );
}
