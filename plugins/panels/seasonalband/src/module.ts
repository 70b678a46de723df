import { PanelPlugin } from '@grafana/data';
import { DEFAULT_OPTIONS, type SeasonalBandOptions } from './types';
import { SeasonalBandPanel } from './components/SeasonalBandPanel';

export const plugin = new PanelPlugin<SeasonalBandOptions>(SeasonalBandPanel).setPanelOptions((builder) =>
  builder
    .addBooleanSwitch({
      path: 'showExpected',
      name: 'Show expected line',
      description: 'The seasonal baseline inside the band',
      defaultValue: DEFAULT_OPTIONS.showExpected,
    })
    .addBooleanSwitch({
      path: 'showAnomalies',
      name: 'Show anomalies',
      description: 'Dots where the value is flagged anomalous or leaves the band',
      defaultValue: DEFAULT_OPTIONS.showAnomalies,
    })
    .addSliderInput({
      path: 'bandOpacity',
      name: 'Band opacity',
      defaultValue: DEFAULT_OPTIONS.bandOpacity,
      settings: { min: 0, max: 1, step: 0.05 },
    })
);
