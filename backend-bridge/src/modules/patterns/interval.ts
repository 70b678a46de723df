const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `12m`-style durations; undefined when not one. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (m === null) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
}

/** Epoch ms of an ISO time, epoch ms, `now` or `now-15m`/`now+1h`; undefined for other date math. */
export function timeMs(text: string, now: number): number | undefined {
  if (/^\d{10,16}$/.test(text)) return Number(text);
  if (text === 'now') return now;
  const rel = /^now([+-])(\d+[smhd])$/.exec(text);
  if (rel !== null) {
    const d = durationMs(rel[2] as string);
    return d === undefined ? undefined : rel[1] === '-' ? now - d : now + d;
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

const NICE = ['1s', '5s', '10s', '30s', '1m', '5m', '10m', '30m', '1h', '3h', '6h', '12h', '1d', '7d', '30d'];

/**
 * The sparkline interval: the requested one, widened to the next round interval when the range would need more
 * than `maxBuckets` buckets (Elasticsearch caps buckets per request; a sparkline needs no more).
 */
export function sparklineInterval(
  from: string,
  to: string,
  requested: string,
  maxBuckets: number,
  now = Date.now()
): string {
  const start = timeMs(from, now);
  const end = timeMs(to, now);
  const step = durationMs(requested);
  if (start === undefined || end === undefined || step === undefined || end <= start) return requested;
  if ((end - start) / step <= maxBuckets) return requested;
  for (const nice of NICE) {
    const d = durationMs(nice) ?? 0;
    if (d >= step && (end - start) / d <= maxBuckets) return nice;
  }
  return `${Math.ceil((end - start) / maxBuckets / 86_400_000)}d`;
}
