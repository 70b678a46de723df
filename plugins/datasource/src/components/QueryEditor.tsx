import React, { type ChangeEvent } from 'react';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup, Select } from '@grafana/ui';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { LOG_LEVELS, SIGNAL_METRICS, type LogLevel, type SignalMetric } from '@cairn/contract';
import type { DataSource } from '../datasource';
import { QUERY_TYPES, type CairnDataSourceOptions, type CairnQuery, type CairnQueryType } from '../types';
import { testIds } from '../testIds';

type Props = QueryEditorProps<DataSource, CairnQuery, CairnDataSourceOptions>;

const queryTypeOptions: Array<SelectableValue<CairnQueryType>> = QUERY_TYPES.map((t) => ({
  label: t.charAt(0).toUpperCase() + t.slice(1),
  value: t,
}));
const levelOptions: Array<SelectableValue<LogLevel>> = LOG_LEVELS.map((l) => ({ label: l, value: l }));
const metricOptions: Array<SelectableValue<SignalMetric>> = SIGNAL_METRICS.map((m) => ({ label: m, value: m }));

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? 'logs';

  const onQueryTypeChange = (value: CairnQueryType) => {
    onChange({ ...query, queryType: value });
    onRunQuery();
  };
  const onServiceChange = (event: ChangeEvent<HTMLInputElement>) => onChange({ ...query, service: event.target.value });
  const onTextChange = (event: ChangeEvent<HTMLInputElement>) => onChange({ ...query, query: event.target.value });
  const onMetricChange = (value: SignalMetric) => {
    onChange({ ...query, metric: value });
    onRunQuery();
  };
  const onLimitChange = (event: ChangeEvent<HTMLInputElement>) => {
    const limit = Number.parseInt(event.target.value, 10);
    onChange({ ...query, limit: Number.isNaN(limit) ? undefined : limit });
  };
  const onLevelChange = (option: SelectableValue<LogLevel> | null) => {
    onChange({ ...query, level: option?.value });
    onRunQuery();
  };

  return (
    <>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={14}>
          <div data-testid={testIds.queryEditor.queryType}>
            <RadioButtonGroup options={queryTypeOptions} value={queryType} onChange={onQueryTypeChange} />
          </div>
        </InlineField>
        <InlineField label="Service" labelWidth={10} tooltip="Service name; template variables like $service work">
          <Input
            id="cairn-query-service"
            data-testid={testIds.queryEditor.service}
            value={query.service ?? ''}
            placeholder={queryType === 'series' ? 'required' : 'all services'}
            width={24}
            onChange={onServiceChange}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
      {queryType === 'logs' && (
        <InlineFieldRow>
          <InlineField label="Query" labelWidth={14} grow tooltip="Free text over the message">
            <Input
              id="cairn-query-text"
              data-testid={testIds.queryEditor.query}
              value={query.query ?? ''}
              placeholder='e.g. timeout -"health check"'
              onChange={onTextChange}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="Level" labelWidth={8}>
            <Select
              inputId="cairn-query-level"
              data-testid={testIds.queryEditor.level}
              options={levelOptions}
              value={query.level ?? null}
              isClearable
              width={14}
              onChange={onLevelChange}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {queryType === 'series' ? (
        <InlineField label="Metric" labelWidth={14} tooltip="Per-minute signal drawn with its seasonal band">
          <div data-testid={testIds.queryEditor.metric}>
            <RadioButtonGroup options={metricOptions} value={query.metric ?? 'error_rate'} onChange={onMetricChange} />
          </div>
        </InlineField>
      ) : (
        <InlineField label="Limit" labelWidth={14}>
          <Input
            id="cairn-query-limit"
            data-testid={testIds.queryEditor.limit}
            type="number"
            value={query.limit ?? ''}
            width={12}
            onChange={onLimitChange}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
    </>
  );
}
