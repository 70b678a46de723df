import React, { type ChangeEvent, type FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Field, FieldSet, Input } from '@grafana/ui';
import type { AppSettings } from '../../types';
import { testIds } from '../../testIds';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [datasourceUid, setDatasourceUid] = useState(jsonData?.datasourceUid ?? '');

  const onChange = (event: ChangeEvent<HTMLInputElement>) => setDatasourceUid(event.target.value.trim());

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    updatePluginAndReload(plugin.meta.id, { enabled, pinned, jsonData: { ...jsonData, datasourceUid } });
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="Cairn settings">
        <Field
          label="Cairn datasource UID"
          description="The Cairn bridge datasource the app reads through; empty uses the first one found"
        >
          <Input
            width={60}
            id="config-datasource-uid"
            data-testid={testIds.appConfig.datasourceUid}
            value={datasourceUid}
            placeholder="cairn-bridge"
            onChange={onChange}
          />
        </Field>
        <Button type="submit" data-testid={testIds.appConfig.submit}>
          Save settings
        </Button>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppSettings>>) => {
  try {
    await lastValueFrom(getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data }));
    // Plugin meta is only re-read on load, so reload to apply the new settings.
    window.location.reload();
  } catch (e) {
    console.error('Error while updating the plugin', e);
  }
};
