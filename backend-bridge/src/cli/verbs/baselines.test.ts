import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../types.js';
import { parseBaselinesArgs, progressLine } from './baselines.js';

describe('cairn baselines arguments', () => {
  it('reads --since and the options, with defaults', () => {
    const a = parseBaselinesArgs(['--since', '28d', '--services=checkout,payments', '--no-progress']);
    expect(a).toMatchObject({
      since: '28d',
      sinceMs: 28 * 86_400_000,
      until: 'now',
      services: ['checkout', 'payments'],
      progress: false,
      logsIndex: 'cairn-logs-*',
      signalsIndex: 'cairn-signals',
      restart: false,
    });
    expect(a.checkpointFile).toMatch(/\.cairn-baselines\.checkpoint\.json$/);
  });

  it.each([
    [[], /--since is required/],
    [['--since', '28 days'], /not a duration/],
    [['--since', '0d'], /not a duration/],
    [['--since', '500d'], /at most 400d/],
    [['--since', '1d', '--until', 'tomorrow'], /--until: not a time/],
    [['--since', '1d', '--signals-index', 'other'], /must start with cairn-signals/],
    [['--since'], /--since needs a value/],
    [['--since', '1d', '--bogus'], /unknown argument '--bogus'/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseBaselinesArgs(argv)).toThrow(CliUsageError);
    expect(() => parseBaselinesArgs(argv)).toThrow(message);
  });

  it('draws a progress bar with counts and an ETA', () => {
    const line = progressLine(
      {
        servicesDone: 1,
        servicesTotal: 4,
        service: 'cart',
        serviceFraction: 0,
        signalsWritten: 12345,
        resumedServices: 0,
      },
      10_000,
      20
    );
    expect(line).toBe('[#####...............] 25% 1/4 services · 12,345 signals · cart · ETA 30s');
  });
});
