import React, { useMemo } from 'react';
import type { PanelProps } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';
import type { SeasonalBandOptions } from '../types';
import { bandPath, linePath, linearScale, toBandSeries, valueDomain } from '../services/bandSeries';
import { testIds } from '../testIds';

type Props = PanelProps<SeasonalBandOptions>;

const MARGIN = { top: 8, right: 8, bottom: 8, left: 8 };

export function SeasonalBandPanel({ data, width, height, options, timeRange }: Props) {
  const theme = useTheme2();
  const series = useMemo(() => {
    for (const frame of data.series) {
      const s = toBandSeries(frame);
      if (s && s.points.length > 0) {
        return s;
      }
    }
    return undefined;
  }, [data.series]);

  if (!series) {
    return (
      <div data-testid={testIds.panel.empty} style={{ width, height, display: 'grid', placeItems: 'center' }}>
        No data: expects a frame with time and value fields (expected, lower, upper, anomaly optional)
      </div>
    );
  }

  const points = series.points;
  const first = points[0]?.time ?? timeRange.from.valueOf();
  const last = points[points.length - 1]?.time ?? timeRange.to.valueOf();
  const sx = linearScale([first, last], [MARGIN.left, width - MARGIN.right]);
  const sy = linearScale(valueDomain(points), [height - MARGIN.bottom, MARGIN.top]);
  const valueColor = theme.visualization.getColorByName('blue');
  const bandColor = theme.visualization.getColorByName('green');
  const anomalyColor = theme.visualization.getColorByName('red');

  return (
    <svg
      data-testid={testIds.panel.container}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${series.name}: value with seasonal band`}
    >
      <path
        data-testid={testIds.panel.band}
        d={bandPath(points, sx, sy)}
        fill={bandColor}
        fillOpacity={options.bandOpacity}
      />
      {options.showExpected && (
        <path
          data-testid={testIds.panel.expected}
          d={linePath(points, (p) => p.expected, sx, sy)}
          fill="none"
          stroke={bandColor}
          strokeDasharray="4 3"
          strokeWidth={1}
        />
      )}
      <path
        data-testid={testIds.panel.value}
        d={linePath(points, (p) => p.value, sx, sy)}
        fill="none"
        stroke={valueColor}
        strokeWidth={1.5}
      />
      {options.showAnomalies &&
        points
          .filter((p) => p.anomaly)
          .map((p) => (
            <circle
              key={p.time}
              data-testid={testIds.panel.anomaly}
              cx={sx(p.time)}
              cy={sy(p.value)}
              r={3.5}
              fill={anomalyColor}
            >
              <title>{`${new Date(p.time).toISOString()}: ${p.value} outside [${p.lower ?? '-'}, ${p.upper ?? '-'}]`}</title>
            </circle>
          ))}
    </svg>
  );
}
