import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SeriesResponse, ServicesResponse, TopPatternsResponse } from '@cairn/contract';
import { createElasticsearchClient } from '../../backend-bridge/src/adapters/elasticsearch/client.js';
import { Bridge } from '../../backend-bridge/src/bridge/bridge.js';
import { defaultModules } from '../../backend-bridge/src/bridge/modules.js';
import { loadBridgeConfig } from '../../backend-bridge/src/config/files.js';
import { rebuildSignals } from '../../backend-bridge/src/modules/signals/rebuild.js';
import { DEFAULT_TIERS } from '../../backend-bridge/src/modules/signals/tiers.js';
import { esUrl, kafkaBrokers } from '../../backend-bridge/src/stack/index.js';
import { countForTopic, produce, testKafka, uniqueName, waitFor } from '../../backend-bridge/src/testing/harness.js';
import { testIds as appIds } from '../../plugins/app/src/testIds.js';
import { testIds as dsIds } from '../../plugins/datasource/src/testIds.js';
import { testIds as panelIds } from '../../plugins/panels/seasonalband/src/testIds.js';
import { bundleHarness, REPO_ROOT } from './harness/bundle.js';
import type { HarnessState } from './harness/harnessState.js';
import { harnessIds } from './harness/harnessState.js';
import { startHarnessServer, type HarnessServer } from './harness/server.js';
import { seedLogs, type SeededLogs } from './seed.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = resolve(REPO_ROOT, 'test-results/browser-plugins.png');
const verbose = Boolean(process.env.CAIRN_TEST_VERBOSE);

const es = createElasticsearchClient(esUrl());
const topic = uniqueName('it-browser');
const service = uniqueName('browser-svc');
const signalsIndex = `cairn-signals-ittest-${uniqueName('browser')}`;
const token = 'browser-test-token';
let bridge: Bridge;
let bridgeUrl = '';
let seeded: SeededLogs;
let server: HarnessServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

async function bridgeGet<T>(path: string): Promise<T> {
  const res = await fetch(`${bridgeUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const harnessState = (): Promise<HarnessState> =>
  page.evaluate(() => window.cairnHarness ?? { queryChanges: [], optionsChanges: [], queryRuns: [], panelFrames: -1 });

beforeAll(async () => {
  const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
  config.sources.kafka_logs.topic = topic;
  config.sources.kafka_logs.group_id = uniqueName('it-browser-group');
  config.api.listen_port = 0;
  bridge = new Bridge({
    config,
    token,
    // Signals are computed below by the batch rebuild (as `cairn baselines` does); this instance serves them.
    modules: defaultModules({ signals: { signalsIndex, compute: false } }),
    log: verbose ? (m) => process.stderr.write(`[bridge] ${m}\n`) : () => undefined,
  });
  const bundling = bundleHarness();
  const { port } = await bridge.start();
  bridgeUrl = `http://127.0.0.1:${port}`;

  seeded = seedLogs(service, Date.now());
  await produce(testKafka(), topic, seeded.messages);
  await waitFor(
    `${seeded.messages.length} documents`,
    async () => (await countForTopic(es, topic)) >= seeded.messages.length,
    90_000
  );
  await rebuildSignals(es, {
    logsIndex: 'cairn-logs-*',
    signalsIndex,
    since: '3h',
    fromMs: seeded.fromMs,
    toMs: seeded.toMs,
    services: [service],
    tiers: DEFAULT_TIERS,
  });
  await es.indices.refresh({ index: signalsIndex });

  server = await startHarnessServer(await bundling, bridgeUrl, token);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  // Grafana serves its fonts (and a few icons @grafana/ui does not ship) from /public; the harness serves only what
  // the package ships, so the browser falls back to system fonts and an empty spinner. Any other 4xx counts.
  const isGrafanaStatic = (url: string) => new URL(url, server.url).pathname.startsWith('/public/');
  // Failed loads are judged by their URL below (Chromium's console line for them names none).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource:')) consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400 && !isGrafanaStatic(res.url())) consoleErrors.push(`${res.status()} ${res.url()}`);
  });
  const url = `${server.url}/?service=${encodeURIComponent(service)}&from=${seeded.fromMs - 300_000}&to=${Date.now()}`;
  await page.goto(url, { waitUntil: 'load' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bridge?.stop();
  await es.indices.delete({ index: signalsIndex, ignore_unavailable: true }).catch(() => undefined);
  await es.close();
});

describe('the plugins in headless Chromium on the live bridge', () => {
  it('app: lists the seeded service with the count the bridge reports, and its top patterns', async () => {
    const app = page.getByTestId(harnessIds.appSection);
    const row = app.getByTestId(appIds.services.row).filter({ hasText: service });
    await row.waitFor({ timeout: 30_000 });
    const { services } = await bridgeGet<ServicesResponse>('/api/v1/services');
    const expected = services.find((s) => s.name === service);
    expect(expected?.count).toBeGreaterThan(seeded.messages.length / 4);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe(service);
    // The app and this query both count the last hour, read a moment apart: the window slides by at most one
    // minute of seeded lines in between (the busiest minutes run at about 4× the base rate).
    const slidingTolerance = Math.ceil((4 * seeded.messages.length) / 180);
    expect(Math.abs(Number(cells[1]) - (expected?.count ?? 0))).toBeLessThanOrEqual(slidingTolerance);
    expect(cells[2]).toMatch(/^\d+\.\d%$/);
    // The selected service's top patterns: the payment timeouts, flagged with their errors.
    const top = await bridgeGet<TopPatternsResponse>(`/api/v1/patterns/top?service=${service}&limit=10`);
    const patternRows = app.getByTestId(appIds.patterns.row);
    await patternRows.first().waitFor({ timeout: 30_000 });
    expect(await patternRows.count()).toBe(top.patterns.length);
    const timeout = patternRows.filter({ hasText: 'payment provider timeout' });
    await expect(timeout.count()).resolves.toBe(1);
    expect(await timeout.innerText()).toMatch(/\d+ errors/);
  });

  it('datasource config editor: shows the URL and a configured token, and edits the URL through onOptionsChange', async () => {
    const section = page.getByTestId(harnessIds.configSection);
    const url = section.getByTestId(dsIds.configEditor.url);
    await expect(url.inputValue()).resolves.toBe('http://bridge:8080');
    await expect(section.getByRole('button', { name: 'Reset' }).isVisible()).resolves.toBe(true);
    await url.fill('http://cairn-bridge:8080');
    const last = (await harnessState()).optionsChanges.at(-1) as { url?: string; access?: string } | undefined;
    expect(last).toMatchObject({ url: 'http://cairn-bridge:8080', access: 'proxy' });
    await expect(url.inputValue()).resolves.toBe('http://cairn-bridge:8080');
  });

  it('datasource query editor: fields are present, edits fire onChange, and runs reach the bridge', async () => {
    const section = page.getByTestId(harnessIds.querySection);
    for (const id of [
      dsIds.queryEditor.queryType,
      dsIds.queryEditor.service,
      dsIds.queryEditor.query,
      dsIds.queryEditor.limit,
    ]) {
      await expect(section.getByTestId(id).isVisible(), id).resolves.toBe(true);
    }
    await expect(section.getByText('Level').isVisible()).resolves.toBe(true);
    const serviceInput = section.getByTestId(dsIds.queryEditor.service);
    await serviceInput.fill(service);
    await serviceInput.blur();
    const result = section.getByTestId(harnessIds.queryResult);
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toBe('logs: 1 frame(s), 100 row(s)');
    let state = await harnessState();
    expect(state.queryChanges.at(-1)).toMatchObject({ queryType: 'logs', service, limit: 100 });

    await section.getByLabel('Series').click();
    const metric = section.getByTestId(dsIds.queryEditor.metric);
    await metric.waitFor();
    expect(await section.getByTestId(dsIds.queryEditor.query).count()).toBe(0);
    await metric.getByLabel('volume').click();
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toMatch(/^series: 1 frame\(s\), \d+ row\(s\)$/);
    state = await harnessState();
    expect(state.queryChanges.at(-1)).toMatchObject({ queryType: 'series', service, metric: 'volume' });
    expect(server.proxied.some((p) => p.startsWith(`GET /api/v1/series?`) && p.includes('metric=volume'))).toBe(true);
  });

  it('seasonal band panel: draws the band, the expected and value lines, and the incident as anomaly points', async () => {
    const series = await bridgeGet<SeriesResponse>(
      `/api/v1/series?service=${service}&metric=volume&from=${seeded.fromMs}&to=${Date.now()}`
    );
    const banded = series.points.filter((p) => p.lower !== null && p.upper !== null);
    expect(banded.length).toBeGreaterThan(30);

    const section = page.getByTestId(harnessIds.panelSection);
    const svg = section.getByTestId(panelIds.panel.container);
    await svg.waitFor({ timeout: 30_000 });
    expect((await harnessState()).panelFrames).toBe(1);
    for (const id of [panelIds.panel.band, panelIds.panel.expected, panelIds.panel.value]) {
      expect(await section.getByTestId(id).getAttribute('d'), id).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+/);
    }
    expect(await section.getByTestId(panelIds.panel.band).getAttribute('d')).toMatch(/Z$/);
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(1000);
    // Anomaly dots: every minute of the volume spike, and nothing the bridge did not score high or see outside the band.
    const titles = await section.getByTestId(panelIds.panel.anomaly).locator('title').allTextContents();
    const flagged = new Set(titles.map((t) => Date.parse(t.slice(0, t.indexOf(': ')))));
    const spike = series.points.filter((p) => p.time >= seeded.incidentFromMs).map((p) => p.time);
    expect(spike.length).toBeGreaterThanOrEqual(5);
    expect(spike.filter((t) => !flagged.has(t))).toEqual([]);
    const byTime = new Map(series.points.map((p) => [p.time, p]));
    for (const t of flagged) {
      const p = byTime.get(t);
      const outside =
        p !== undefined && ((p.lower !== null && p.value < p.lower) || (p.upper !== null && p.value > p.upper));
      expect(p !== undefined && (p.score >= 0.99 || outside), new Date(t).toISOString()).toBe(true);
    }
  });

  it('renders without console errors; screenshot for a person to check', async () => {
    mkdirSync(resolve(REPO_ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
