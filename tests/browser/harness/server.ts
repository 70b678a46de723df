import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import type { HarnessBundle } from './bundle.js';
import { harnessDatasources } from './datasources.js';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Cairn plugins harness</title>
    <link rel="stylesheet" href="/main.css" />
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/main.js"></script>
  </body>
</html>`;

/** Grafana serves @grafana/ui's icons at /public/img/; the package ships them. (Its fonts are Grafana's own.) */
const UI_PUBLIC_IMG = join(
  dirname(createRequire(import.meta.url).resolve('@grafana/ui/package.json')),
  'dist/public/img'
);

export interface HarnessServer {
  url: string;
  /** Bridge requests the data proxy forwarded, e.g. `GET /api/v1/services?…`. */
  proxied: string[];
  close(): Promise<void>;
}

/**
 * Serves the harness page and bundle, and stands in for Grafana's data proxy: `/api/datasources/proxy/uid/<uid>/…`
 * goes to the bridge with the datasource's bearer token added, as the plugin's proxy route does in Grafana.
 */
export async function startHarnessServer(
  bundle: HarnessBundle,
  bridgeUrl: string,
  token: string
): Promise<HarnessServer> {
  const proxied: string[] = [];
  const bridge = new URL(bridgeUrl);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    const proxyPrefix = harnessDatasources
      .map((ds) => `/api/datasources/proxy/uid/${ds.uid}`)
      .find((prefix) => url.pathname.startsWith(`${prefix}/`));
    if (proxyPrefix) {
      const path = url.pathname.slice(proxyPrefix.length) + url.search;
      proxied.push(`${req.method ?? 'GET'} ${path}`);
      const upstream = httpRequest(
        {
          host: bridge.hostname,
          port: bridge.port,
          method: req.method,
          path,
          headers: { accept: 'application/json', authorization: `Bearer ${token}` },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'application/json' });
          up.pipe(res);
        }
      );
      upstream.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `bridge unreachable: ${err.message}` }));
      });
      req.pipe(upstream);
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
      return;
    }
    if (url.pathname.startsWith('/public/img/')) {
      const rel = normalize(decodeURIComponent(url.pathname.slice('/public/img/'.length)));
      if (!rel.startsWith('..')) {
        readFile(join(UI_PUBLIC_IMG, rel)).then(
          (svg) => {
            res.writeHead(200, { 'content-type': rel.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream' });
            res.end(svg);
          },
          () => {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('not found');
          }
        );
        return;
      }
    }
    const file = bundle.files.get(url.pathname);
    if (file) {
      res.writeHead(200, { 'content-type': file.type });
      res.end(file.contents);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    proxied,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
