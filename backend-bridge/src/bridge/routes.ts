import type { Client } from '@elastic/elasticsearch';
import { API_PREFIX, logSearchRequestSchema, logVolumeRequestSchema, type HealthResponse } from '@cairn/contract';
import { z } from 'zod';
import { listServices, logVolume, searchLogs } from '../adapters/elasticsearch/queries.js';
import { validate, type Route } from '../adapters/http/server.js';
import type { PipelineMetrics } from '../observability/metrics.js';

export interface RouteDeps {
  es: Client;
  metrics: PipelineMetrics;
  health: () => Promise<HealthResponse>;
}

const rangeSchema = z.object({ from: z.string().min(1).default('now-1h'), to: z.string().min(1).default('now') });

/** Routes are thin: validate with the contract's schema, call one query, serialize. */
export function apiRoutes(deps: RouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      handler: async () => {
        const health = await deps.health();
        return { status: health.status === 'down' ? 503 : 200, body: health };
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async () => ({
        status: 200,
        body: deps.metrics.registry.render(),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/logs/search`,
      protected: true,
      handler: async (req) => ({ status: 200, body: await searchLogs(deps.es, validate(logSearchRequestSchema, req.query), req.signal) }),
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/logs/volume`,
      protected: true,
      handler: async (req) => ({ status: 200, body: await logVolume(deps.es, validate(logVolumeRequestSchema, req.query), req.signal) }),
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/services`,
      protected: true,
      handler: async (req) => {
        const range = validate(rangeSchema, req.query);
        return { status: 200, body: await listServices(deps.es, range.from, range.to, req.signal) };
      },
    },
  ];
}
