import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { ApiError } from '@cairn/contract';
import { z } from 'zod';

export interface HttpRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Values of `:name` segments of the route path. */
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** Raw body (gunzipped when Content-Encoding: gzip); empty for GET. */
  body: Buffer;
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  contentType?: string;
}

export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: Handler;
  /** Routes that need the bridge token when one is configured. */
  protected?: boolean;
}

/** A 4xx with a message naming the problem: routes throw it after validation fails. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ApiError['details']
  ) {
    super(message);
  }
}

/** Validates query parameters or a body against a contract schema, or throws a 400 naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new HttpError(
    400,
    'invalid request',
    result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  );
}

export interface HttpServerOptions {
  routes: Route[];
  token?: string;
  maxBodyBytes: number;
  log: (message: string) => void;
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `request body exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
    try {
      const inflated = gunzipSync(raw, { maxOutputLength: maxBytes });
      return inflated;
    } catch (error) {
      const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new HttpError(tooBig ? 413 : 400, tooBig ? `decompressed body exceeds ${maxBytes} bytes` : 'invalid gzip body');
    }
  }
  return raw;
}

function send(res: ServerResponse, response: HttpResponse): void {
  const isText = typeof response.body === 'string' || Buffer.isBuffer(response.body);
  const payload = isText ? (response.body as string | Buffer) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': response.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** A thin HTTP layer: route lookup, token check, body limits, validation errors as JSON. */
interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function findRoute(routes: CompiledRoute[], method: string, path: string): { route?: Route; params: Record<string, string>; pathKnown: boolean } {
  let pathKnown = false;
  for (const c of routes) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
    return { route: c.route, params, pathKnown };
  }
  return { params: {}, pathKnown };
}

export function createHttpServer(options: HttpServerOptions): Server {
  const compiled = options.routes.map(compileRoute);
  return createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://bridge');
      const { route, params, pathKnown } = findRoute(compiled, req.method ?? 'GET', url.pathname);
      try {
        if (!route) {
          throw new HttpError(pathKnown ? 405 : 404, pathKnown ? `method ${req.method} not allowed` : `no route ${url.pathname}`);
        }
        if (route.protected && options.token) {
          const auth = req.headers.authorization ?? '';
          if (auth !== `Bearer ${options.token}`) throw new HttpError(401, 'missing or wrong bearer token');
        }
        const body = req.method === 'GET' ? Buffer.alloc(0) : await readBody(req, options.maxBodyBytes);
        const query: Record<string, string> = {};
        for (const [k, v] of url.searchParams) query[k] = v;
        const response = await route.handler({
          method: req.method ?? 'GET',
          path: url.pathname,
          query,
          params,
          headers: req.headers,
          body,
          signal: controller.signal,
        });
        send(res, response);
      } catch (error) {
        if (error instanceof HttpError) {
          const body: ApiError = { error: error.message };
          if (error.details) body.details = error.details;
          send(res, { status: error.status, body });
        } else {
          options.log(`${req.method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}`);
          send(res, { status: 502, body: { error: `upstream failure: ${(error as Error).message}` } satisfies ApiError });
        }
      }
    })();
  });
}
