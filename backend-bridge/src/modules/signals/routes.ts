import type { Client } from '@elastic/elasticsearch';
import {
  anomaliesRequestSchema,
  API_PREFIX,
  correlationRequestSchema,
  seriesRequestSchema,
  SIGNALS_INDEX,
  type AnomaliesResponse,
  type CorrelationResponse,
  type SeriesResponse,
} from '@cairn/contract';
import { HttpError, validate, type Route } from '../../adapters/http/server.js';
import { rankAnomalies, searchSignals, templateWindowCounts } from '../../adapters/elasticsearch/signalQueries.js';
import { rankTemplateChanges } from '../../domain/correlation/templates.js';
import { correlateSignals, type SignalSeries } from '../../domain/correlation/correlate.js';
import { resolveTimeBound } from './time.js';

const MINUTE_MS = 60_000;

function bound(name: string, text: string, nowMs: number): number {
  const ms = resolveTimeBound(text, nowMs);
  if (!Number.isFinite(ms))
    throw new HttpError(400, 'invalid request', [{ path: name, message: `not a time: ${text}` }]);
  return ms;
}

/** GET series, anomalies and correlation over `cairn-signals`. */
export function signalRoutes(es: Client, signalsIndex: string = SIGNALS_INDEX, logsIndex = 'cairn-logs-*'): Route[] {
  return [
    {
      method: 'GET',
      path: `${API_PREFIX}/series`,
      protected: true,
      async handler(req) {
        const q = validate(seriesRequestSchema, req.query);
        const now = Date.now();
        const from = bound('from', q.from, now);
        const to = bound('to', q.to, now);
        if (from > to) throw new HttpError(400, 'invalid request', [{ path: 'from', message: 'from is after to' }]);
        const hits = await searchSignals(
          es,
          { index: signalsIndex, from, to, service: q.service, metric: q.metric, max: 20_000 },
          req.signal
        );
        const body: SeriesResponse = {
          service: q.service,
          metric: q.metric,
          tier: hits[hits.length - 1]?.tier ?? null,
          points: hits.map((h) => ({
            time: h.timeMs,
            value: h.value,
            expected: h.expected,
            lower: h.lower,
            upper: h.upper,
            score: h.score,
          })),
        };
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/anomalies`,
      protected: true,
      async handler(req) {
        const q = validate(anomaliesRequestSchema, req.query);
        const now = Date.now();
        const from = bound('from', q.from, now);
        const to = bound('to', q.to, now);
        const rows = await rankAnomalies(
          es,
          {
            index: signalsIndex,
            from: String(from),
            to: String(to),
            service: q.service,
            minScore: q.minScore,
            limit: q.limit,
          },
          req.signal
        );
        const body: AnomaliesResponse = {
          from,
          to,
          anomalies: rows.map((r) => ({
            service: r.service,
            metric: r.metric,
            tier: r.peak.tier,
            peakScore: r.peak.score,
            peakTime: r.peak.timeMs,
            value: r.peak.value,
            expected: r.peak.expected,
            lower: r.peak.lower,
            upper: r.peak.upper,
            anomalousMinutes: r.anomalousMinutes,
          })),
        };
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/correlation`,
      protected: true,
      async handler(req) {
        const q = validate(correlationRequestSchema, req.query);
        const at = bound('at', q.at, Date.now());
        const w = q.windowMinutes * MINUTE_MS;
        // Enough before `at` to find the onset of a run that started earlier, and the window after it.
        const hits = await searchSignals(
          es,
          { index: signalsIndex, from: at - 5 * w, to: at + 2 * w, max: 200_000 },
          req.signal
        );
        const bySeries = new Map<string, SignalSeries & { points: SignalSeries['points'][number][] }>();
        for (const h of hits) {
          const key = `${h.service.name}\u0000${h.metric}`;
          let s = bySeries.get(key);
          if (!s) bySeries.set(key, (s = { service: h.service.name, metric: h.metric, points: [] }));
          s.points.push({
            timeMs: h.timeMs,
            value: h.value,
            expected: h.expected,
            lower: h.lower,
            upper: h.upper,
            score: h.score,
          });
        }
        const result = correlateSignals([...bySeries.values()], {
          service: q.service,
          metric: q.metric,
          atMs: at,
          windowMinutes: q.windowMinutes,
          minScore: q.minScore,
          limit: q.limit,
        });
        // Templates: counts in the two windows against the hour before them.
        const baselineMs = 60 * MINUTE_MS;
        const counts = await templateWindowCounts(
          es,
          {
            index: logsIndex,
            baselineFromMs: result.onsetMs - w - baselineMs,
            precedingFromMs: result.onsetMs - w,
            onsetMs: result.onsetMs,
            sameToMs: result.onsetMs + w,
          },
          req.signal
        );
        const templates = rankTemplateChanges(counts, { baselineWindows: baselineMs / w, minAbsZ: 3, limit: q.limit });
        const body: CorrelationResponse = {
          service: q.service,
          metric: result.metric,
          onset: result.onsetMs,
          windowMinutes: q.windowMinutes,
          related: result.related,
          templates,
        };
        return { status: 200, body };
      },
    },
  ];
}
