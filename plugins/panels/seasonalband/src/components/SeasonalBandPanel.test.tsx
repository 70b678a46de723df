import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, createDataFrame, dateTime, type PanelProps } from '@grafana/data';
import { SeasonalBandPanel } from './SeasonalBandPanel';
import { DEFAULT_OPTIONS, type SeasonalBandOptions } from '../types';
import { testIds } from '../testIds';

function props(series: PanelProps['data']['series'], options: Partial<SeasonalBandOptions> = {}) {
  const from = dateTime(0);
  const to = dateTime(4000);
  const timeRange = { from, to, raw: { from, to } };
  return {
    id: 1,
    data: { series, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    width: 400,
    height: 200,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'band',
    eventBus: {},
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (s: string) => s,
    onChangeTimeRange: jest.fn(),
  } as unknown as PanelProps<SeasonalBandOptions>;
}

const frame = createDataFrame({
  fields: [
    { name: 'time', type: FieldType.time, values: [1000, 2000, 3000] },
    { name: 'value', type: FieldType.number, values: [5, 1, 9] },
    { name: 'expected', type: FieldType.number, values: [4, 4, 4] },
    { name: 'lower', type: FieldType.number, values: [2, 2, 2] },
    { name: 'upper', type: FieldType.number, values: [6, 6, 6] },
  ],
});

describe('SeasonalBandPanel', () => {
  it('draws band, expected line, value line and one dot per anomaly', () => {
    render(<SeasonalBandPanel {...props([frame])} />);
    expect(screen.getByTestId(testIds.panel.container)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.panel.band).getAttribute('d')).toMatch(/^M.*Z$/);
    expect(screen.getByTestId(testIds.panel.expected)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.panel.value).getAttribute('d')).toMatch(/^M[\d.,]+L[\d.,]+L[\d.,]+$/);
    expect(screen.getAllByTestId(testIds.panel.anomaly)).toHaveLength(2);
  });

  it('hides the expected line and anomalies when switched off', () => {
    render(<SeasonalBandPanel {...props([frame], { showExpected: false, showAnomalies: false })} />);
    expect(screen.queryByTestId(testIds.panel.expected)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.panel.anomaly)).not.toBeInTheDocument();
  });

  it('explains what it needs when there is no usable frame', () => {
    render(<SeasonalBandPanel {...props([createDataFrame({ fields: [] })])} />);
    expect(screen.getByTestId(testIds.panel.empty)).toHaveTextContent('No data');
  });
});
