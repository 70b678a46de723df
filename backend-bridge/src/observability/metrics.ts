/** A small Prometheus text-format registry: counters, gauges and histograms with labels. */

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

export class Counter implements Metric {
  readonly type = 'counter';
  private values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  total(): number {
    let sum = 0;
    for (const v of this.values.values()) sum += v;
    return sum;
  }
  render(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge';
  private values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string
  ) {}
  set(value: number, labels: Labels = {}): void {
    this.values.set(labelKey(labels), value);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Histogram implements Metric {
  readonly type = 'histogram';
  private series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[]
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    }
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const prefix = k ? `${k},` : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${prefix}le="${b}"} ${s.counts[i] ?? 0}`));
      out.push(`${this.name}_bucket{${prefix}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return out;
  }
}

export class MetricsRegistry {
  private metrics: Metric[] = [];
  counter(name: string, help: string): Counter {
    const m = new Counter(name, help);
    this.metrics.push(m);
    return m;
  }
  gauge(name: string, help: string): Gauge {
    const m = new Gauge(name, help);
    this.metrics.push(m);
    return m;
  }
  histogram(name: string, help: string, buckets: number[]): Histogram {
    const m = new Histogram(name, help, buckets);
    this.metrics.push(m);
    return m;
  }
  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const m of this.metrics) {
      lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...m.render());
    }
    return lines.join('\n') + '\n';
  }
}

/** The pipeline's own metrics (O5). */
export function createPipelineMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    linesIn: registry.counter('cairn_lines_in_total', 'Log lines consumed from Kafka, by service'),
    linesOut: registry.counter('cairn_lines_indexed_total', 'Log records acknowledged by Elasticsearch, by service'),
    linesDropped: registry.counter('cairn_lines_dropped_total', 'Log records dropped or sampled out by routing rules'),
    duplicates: registry.counter('cairn_duplicates_total', 'Records already indexed under their ID (replays)'),
    repaired: registry.counter('cairn_records_repaired_total', 'Records with repaired metadata, by repair'),
    retries: registry.counter('cairn_es_retries_total', 'Bulk requests or items retried after 429/5xx or unreachable'),
    dlq: registry.counter('cairn_dlq_total', 'Records sent to the dead-letter topic, by stage'),
    masked: registry.counter('cairn_masking_hits_total', 'Masking rule hits, by rule'),
    lag: registry.gauge('cairn_consumer_lag', 'Consumer lag in messages, by partition'),
    lagTotal: registry.gauge('cairn_consumer_lag_total', 'Consumer lag in messages over all partitions'),
    inFlightBytes: registry.gauge('cairn_in_flight_bytes', 'Bytes consumed but not yet acknowledged by Elasticsearch'),
    paused: registry.gauge('cairn_consumer_paused', '1 while the consumer is paused by backpressure'),
    bulkLatency: registry.histogram(
      'cairn_bulk_latency_seconds',
      'Elasticsearch bulk request latency',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    ),
    bulkDocs: registry.histogram('cairn_bulk_docs', 'Documents per bulk request', [10, 100, 500, 1000, 2500, 5000, 10000]),
  };
}
export type PipelineMetrics = ReturnType<typeof createPipelineMetrics>;
