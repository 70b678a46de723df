// A tiny service on plain node:http that propagates W3C trace context and (optionally) sends its spans to
// the Cairn bridge over OTLP/HTTP JSON. No dependencies: `node examples/node-service/server.mjs`.
//
//   PORT=5000                       where it listens
//   SERVICE_NAME=node-example       service.name of its spans and logs
//   OTLP_ENDPOINT=http://127.0.0.1:8080   the bridge; spans go to $OTLP_ENDPOINT/v1/traces (unset: no export)
//
// POST /test is the W3C trace-context test-suite endpoint: the body is a JSON list of {url, arguments}; for each,
// the service POSTs `arguments` to `url` with the propagated headers. GET /hello?downstream=URL calls URL.
import { createServer, request as httpRequest } from 'node:http';
import { extractContext, injectHeaders, newSpanId } from './traceContext.mjs';

const PORT = Number(process.env.PORT ?? 5000);
const SERVICE_NAME = process.env.SERVICE_NAME ?? 'node-example';
const OTLP_ENDPOINT = process.env.OTLP_ENDPOINT;
const VENDOR_KEY = process.env.TRACESTATE_KEY; // e.g. "cairn": adds cairn=<span id> to tracestate when set

const nowNanos = () => String(BigInt(Date.now()) * 1_000_000n);
const pending = [];

function recordSpan(ctx, name, kind, startNanos, extra = {}) {
  if (!OTLP_ENDPOINT) return;
  pending.push({
    traceId: ctx.traceId,
    spanId: extra.spanId ?? ctx.spanId,
    ...((extra.parentId ?? ctx.parentId) ? { parentSpanId: extra.parentId ?? ctx.parentId } : {}),
    name,
    kind,
    startTimeUnixNano: startNanos,
    endTimeUnixNano: nowNanos(),
    attributes: Object.entries(extra.attributes ?? {}).map(([key, value]) => ({
      key,
      value: { stringValue: String(value) },
    })),
    status: { code: extra.error ? 2 : 0 },
  });
}

async function flushSpans() {
  if (!OTLP_ENDPOINT || pending.length === 0) return;
  const spans = pending.splice(0, pending.length);
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: SERVICE_NAME } }] },
        scopeSpans: [{ scope: { name: 'examples/node-service' }, spans }],
      },
    ],
  });
  try {
    await fetch(`${OTLP_ENDPOINT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  } catch (error) {
    process.stderr.write(`span export failed: ${error.message}\n`);
  }
}
setInterval(() => void flushSpans(), 1000).unref();

/** POSTs `body` to `url` as a child (client) span of ctx, with traceparent/tracestate set. */
function callDownstream(ctx, url, body, method = 'POST') {
  const clientSpanId = newSpanId();
  const start = nowNanos();
  const headers = injectHeaders(ctx, clientSpanId, VENDOR_KEY ? [VENDOR_KEY, clientSpanId] : undefined);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          recordSpan(ctx, `${method} ${new URL(url).pathname}`, 3, start, {
            spanId: clientSpanId,
            parentId: ctx.spanId,
            attributes: { 'http.request.method': method, 'url.full': url, 'http.response.status_code': res.statusCode },
            error: (res.statusCode ?? 500) >= 500,
          });
          resolve(res.statusCode);
        });
      }
    );
    req.on('error', (error) => {
      recordSpan(ctx, `${method} ${url}`, 3, start, { spanId: clientSpanId, parentId: ctx.spanId, error: true });
      resolve(error);
    });
    req.end(payload);
  });
}

function readJson(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        resolve(undefined);
      }
    });
  });
}

function log(ctx, level, message) {
  // One JSON line per event with the trace IDs, as the Cairn bridge's normalizer reads them.
  process.stdout.write(
    JSON.stringify({
      '@timestamp': new Date().toISOString(),
      'log.level': level,
      'service.name': SERVICE_NAME,
      message,
      'trace.id': ctx.traceId,
      'span.id': ctx.spanId,
    }) + '\n'
  );
}

const server = createServer(async (req, res) => {
  const ctx = extractContext(req);
  const start = nowNanos();
  const url = new URL(req.url ?? '/', 'http://service');
  if (req.method === 'POST' && url.pathname === '/test') {
    const steps = await readJson(req);
    if (!Array.isArray(steps)) {
      res.writeHead(400).end('expected a JSON list of {url, arguments}');
      return;
    }
    for (const step of steps) {
      if (step && typeof step.url === 'string') await callDownstream(ctx, step.url, step.arguments ?? []);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  } else if (url.pathname === '/hello') {
    log(ctx, 'info', 'hello called');
    const downstream = url.searchParams.get('downstream');
    if (downstream) await callDownstream(ctx, downstream, undefined, 'GET');
    res
      .writeHead(200, { 'content-type': 'application/json', ...injectHeaders(ctx) })
      .end(JSON.stringify({ traceId: ctx.traceId }));
  } else {
    res.writeHead(404).end();
  }
  recordSpan(ctx, `${req.method} ${url.pathname}`, 2, start, { attributes: { 'http.route': url.pathname } });
});

server.listen(PORT, () => process.stderr.write(`${SERVICE_NAME} listening on ${PORT}\n`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    void flushSpans().finally(() => process.exit(0));
  });
}
