/**
 * A realistic demo estate: a dozen services, each logging in its own format (JSON, logfmt, plain text,
 * access logs, syslog), with W3C trace context shared across the services of one request, and an
 * incident now and then (a service's error rate and latency jump for a while). Deterministic per seed.
 */

export type LineFormat = 'json' | 'logfmt' | 'plain' | 'access' | 'syslog';

export interface DemoService {
  name: string;
  format: LineFormat;
  version: string;
  /** Requests per second at the weekly peak. */
  peakRate: number;
  endpoints: string[];
  calls: string[];
}

export const DEMO_SERVICES: DemoService[] = [
  { name: 'edge-gateway', format: 'access', version: '2.3.1', peakRate: 40, endpoints: ['/api/cart', '/api/checkout', '/api/search', '/api/login'], calls: ['auth', 'cart', 'search', 'checkout'] },
  { name: 'auth', format: 'json', version: '5.0.2', peakRate: 25, endpoints: ['/login', '/token/refresh'], calls: ['users'] },
  { name: 'users', format: 'logfmt', version: '1.12.0', peakRate: 20, endpoints: ['/users/:id'], calls: ['users-db'] },
  { name: 'cart', format: 'json', version: '3.1.0', peakRate: 30, endpoints: ['/cart', '/cart/items'], calls: ['inventory', 'pricing'] },
  { name: 'checkout', format: 'json', version: '4.7.3', peakRate: 12, endpoints: ['/checkout'], calls: ['payments', 'inventory', 'notifications'] },
  { name: 'payments', format: 'logfmt', version: '2.0.9', peakRate: 10, endpoints: ['/charge', '/refund'], calls: ['fraud'] },
  { name: 'fraud', format: 'plain', version: '0.9.4', peakRate: 10, endpoints: ['/score'], calls: [] },
  { name: 'inventory', format: 'plain', version: '1.4.0', peakRate: 25, endpoints: ['/stock'], calls: ['inventory-db'] },
  { name: 'pricing', format: 'json', version: '2.2.2', peakRate: 22, endpoints: ['/price'], calls: [] },
  { name: 'search', format: 'logfmt', version: '6.1.0', peakRate: 35, endpoints: ['/search'], calls: ['recommendations'] },
  { name: 'recommendations', format: 'json', version: '1.0.5', peakRate: 15, endpoints: ['/recs'], calls: [] },
  { name: 'notifications', format: 'syslog', version: '0.4.1', peakRate: 8, endpoints: ['/notify'], calls: [] },
];

/** Small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, chars: number): string {
  let out = '';
  while (out.length < chars) out += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, chars);
}

export interface DemoLine {
  service: string;
  /** The raw line, as the service's agent would ship it. */
  line: string;
  format: LineFormat;
  timestampMs: number;
  traceId: string;
  isError: boolean;
}

export interface Incident {
  service: string;
  startMs: number;
  endMs: number;
  kind: 'errors' | 'latency';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = 500;
const ERROR_MESSAGES = [
  'upstream connect error or disconnect/reset before headers',
  'connection refused by db at 10.0.4.12:5432',
  'timeout after 3000 ms waiting for response',
  'NullPointerException in OrderMapper.toDto',
  'card declined by issuer',
];

function syslogTime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const t = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${day} ${t}`;
}

function accessTime(ms: number): string {
  const d = new Date(ms);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${dd}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
}

/** Formats one event the way its service logs. */
function formatLine(
  svc: DemoService,
  ms: number,
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  traceId: string,
  spanId: string,
  extra: { userId: string; requestId: string; durationMs: number; status: number; endpoint: string }
): string {
  const iso = new Date(ms).toISOString();
  switch (svc.format) {
    case 'json':
      return JSON.stringify({
        '@timestamp': iso,
        level,
        service: svc.name,
        version: svc.version,
        env: 'demo',
        msg: message,
        trace_id: traceId,
        span_id: spanId,
        request_id: extra.requestId,
        user_id: extra.userId,
        duration_ms: extra.durationMs,
        route: extra.endpoint,
      });
    case 'logfmt':
      return `ts=${iso} level=${level} service=${svc.name} version=${svc.version} msg="${message.replace(/"/g, '\\"')}" traceparent=00-${traceId}-${spanId}-01 request_id=${extra.requestId} user_id=${extra.userId} duration_ms=${extra.durationMs}`;
    case 'plain':
      return `${iso} ${level.toUpperCase()} [${svc.name}] ${message} trace_id=${traceId} span_id=${spanId} request_id=${extra.requestId}`;
    case 'access':
      return `10.1.${extra.userId.length}.${Number(extra.userId.slice(2)) % 250} - ${extra.userId} [${accessTime(ms)}] "GET ${extra.endpoint} HTTP/1.1" ${extra.status} ${200 + Math.round(extra.durationMs * 3)} "-" "Mozilla/5.0" traceparent=00-${traceId}-${spanId}-01 duration_ms=${extra.durationMs}`;
    case 'syslog': {
      const pri = 8 + (level === 'error' ? 3 : level === 'warn' ? 4 : 6);
      return `<${pri}>${syslogTime(ms)} notif-host-1 ${svc.name}[4242]: ${message} trace_id=${traceId} request_id=${extra.requestId}`;
    }
  }
}

const INFO_MESSAGES: Record<string, string[]> = {
  default: ['request handled', 'cache hit for key', 'served from replica', 'request accepted'],
};

/** Weekly seasonality: quiet nights, busy weekday mornings and evenings, quieter weekends. */
export function seasonalFactor(ms: number): number {
  const d = new Date(ms);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const day = d.getUTCDay();
  const daily = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) ** 1.5;
  const weekly = day === 0 || day === 6 ? 0.6 : 1;
  return daily * weekly;
}

/**
 * Generates one request: a root call into the estate and its downstream calls, each logging a line
 * with the same trace ID. Returns the lines in time order.
 */
export function generateRequest(rand: () => number, startMs: number, incidents: Incident[]): DemoLine[] {
  const lines: DemoLine[] = [];
  const traceId = hex(rand, 32);
  const userId = `u-${1 + Math.floor(rand() * USERS)}`;
  const requestId = `req-${hex(rand, 12)}`;
  const gateway = DEMO_SERVICES[0];
  if (!gateway) return lines;
  const visit = (svc: DemoService, ms: number, depth: number): { durationMs: number; failed: boolean } => {
    const spanId = hex(rand, 16);
    const incident = incidents.find((i) => i.service === svc.name && ms >= i.startMs && ms < i.endMs);
    let durationMs = Math.round(5 + rand() * 40 + (incident?.kind === 'latency' ? 800 + rand() * 1500 : 0));
    let failed = rand() < (incident?.kind === 'errors' ? 0.35 : 0.004);
    const calls = depth < 3 ? svc.calls : [];
    for (const callee of calls) {
      const next = DEMO_SERVICES.find((s) => s.name === callee);
      if (!next || rand() < 0.3) continue;
      const child = visit(next, ms + 1, depth + 1);
      durationMs += child.durationMs;
      if (child.failed && rand() < 0.7) failed = true;
    }
    const endpoint = svc.endpoints[Math.floor(rand() * svc.endpoints.length)] ?? '/';
    const status = failed ? (rand() < 0.8 ? 503 : 500) : rand() < 0.02 ? 404 : 200;
    const level = failed ? 'error' : durationMs > 1000 ? 'warn' : rand() < 0.05 ? 'debug' : 'info';
    const message = failed
      ? (ERROR_MESSAGES[Math.floor(rand() * ERROR_MESSAGES.length)] ?? 'error')
      : level === 'warn'
        ? `slow request to ${endpoint} took ${durationMs} ms`
        : `${INFO_MESSAGES.default?.[Math.floor(rand() * 4)] ?? 'ok'} ${endpoint} in ${durationMs} ms`;
    const lineMs = ms + durationMs;
    lines.push({
      service: svc.name,
      line: formatLine(svc, lineMs, level, message, traceId, spanId, { userId, requestId, durationMs, status, endpoint }),
      format: svc.format,
      timestampMs: lineMs,
      traceId,
      isError: failed,
    });
    return { durationMs, failed };
  };
  visit(gateway, startMs, 0);
  lines.sort((a, b) => a.timestampMs - b.timestampMs);
  return lines;
}

/** A schedule of incidents: one every so often on a random service, lasting a few minutes. */
export function planIncidents(rand: () => number, fromMs: number, toMs: number, everyMs: number): Incident[] {
  const incidents: Incident[] = [];
  for (let t = fromMs + everyMs / 2; t < toMs; t += everyMs * (0.7 + rand() * 0.6)) {
    const svc = DEMO_SERVICES[1 + Math.floor(rand() * (DEMO_SERVICES.length - 1))];
    if (!svc) continue;
    incidents.push({ service: svc.name, startMs: t, endMs: t + 2 * 60_000 + rand() * 4 * 60_000, kind: rand() < 0.6 ? 'errors' : 'latency' });
  }
  return incidents;
}

/** Builds N lines of mixed formats starting at a time, for tests and benchmarks. */
export function generateLines(count: number, seed: number, startMs: number): DemoLine[] {
  const rand = seededRandom(seed);
  const incidents = planIncidents(rand, startMs, startMs + 24 * 3600_000, 30 * 60_000);
  const out: DemoLine[] = [];
  let t = startMs;
  while (out.length < count) {
    for (const l of generateRequest(rand, t, incidents)) {
      if (out.length < count) out.push(l);
    }
    t += 20 + Math.floor(rand() * 30);
  }
  return out;
}
