import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  API_PREFIX,
  newPatternsRequestSchema,
  patternLinesRequestSchema,
  patternParamsRequestSchema,
  templateIdSchema,
  topPatternsRequestSchema,
} from '@cairn/contract';
import { z } from 'zod';
import {
  ensureSignalsTarget,
  installTemplatesIndexTemplate,
  SIGNALS_ALIAS,
  TEMPLATES_INDEX,
  writeNewPatternSignals,
  writeTemplateDocs,
} from '../../adapters/elasticsearch/patternIndex.js';
import {
  getPattern,
  newPatterns,
  patternLines,
  patternParams,
  topPatterns,
  type PatternIndices,
} from '../../adapters/elasticsearch/patternQueries.js';
import { HttpError, validate, type Route } from '../../adapters/http/server.js';
import { TemplateStateTopic } from '../../adapters/kafka/templateStateTopic.js';
import type { BridgeContext, BridgeModule, BridgeModuleFactory } from '../../bridge/module.js';
import { sparklineInterval } from './interval.js';
import { parseStateEntry, patternInfoOf, PatternTracker, type NewPattern, type TemplateStateEntry } from './tracker.js';

export { PatternTracker, publicTemplateId } from './tracker.js';
export type { TemplateStateEntry } from './tracker.js';

export interface PatternsModuleOptions {
  /** Compacted topic of template state (key = template ID). */
  stateTopic?: string;
  templatesIndex?: string;
  /** Index pattern searched for lines. */
  logsIndex?: string;
  signalsAlias?: string;
  /** How often new and changed templates are published, indexed and signalled. */
  flushIntervalMs?: number;
  /** How long start() waits to read the state topic before consuming logs anyway. */
  catchUpTimeoutMs?: number;
}

const MAX_SPARKLINE_BUCKETS = 240;
/** Unsent changes kept across failed flushes before the oldest are dropped (they are re-sent when seen again). */
const MAX_PENDING = 200_000;
const idParams = z.object({ id: templateIdSchema });

/** Builds the patterns module with explicit options (tests use their own topic). */
export function patternsModule(options: PatternsModuleOptions = {}): BridgeModuleFactory {
  return (ctx) => new PatternsModule(ctx, options).module();
}

/**
 * Template mining in the pipeline, template state shared through the compacted `cairn.templates` topic, the
 * `cairn-templates` index, `new_pattern` signals and the pattern API. Register in bridge/modules.ts after masking.
 */
export const createPatternsModule: BridgeModuleFactory = patternsModule();

class PatternsModule {
  private readonly origin = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly tracker = new PatternTracker({ origin: this.origin });
  private readonly state: TemplateStateTopic;
  private readonly indices: PatternIndices;
  private readonly signalsAlias: string;
  private readonly templatesIndex: string;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private pendingEntries: TemplateStateEntry[] = [];
  private pendingSignals: NewPattern[] = [];
  private following = false;
  private buffered: TemplateStateEntry[] | undefined = [];
  private malformed = 0;

  constructor(
    private readonly ctx: BridgeContext,
    private readonly options: PatternsModuleOptions
  ) {
    this.templatesIndex = options.templatesIndex ?? TEMPLATES_INDEX;
    this.indices = { logs: options.logsIndex ?? 'cairn-logs-*', templates: this.templatesIndex };
    this.signalsAlias = options.signalsAlias ?? SIGNALS_ALIAS;
    this.state = new TemplateStateTopic(ctx.kafka, {
      topic: options.stateTopic ?? 'cairn.templates',
      groupId: `cairn-templates-${this.origin}`,
      catchUpTimeoutMs: options.catchUpTimeoutMs,
      log: ctx.log,
    });
  }

  module(): BridgeModule {
    return {
      name: 'patterns',
      routes: this.routes(),
      ...(this.ctx.consuming ? { processor: (record) => this.tracker.observe(record) } : {}),
      start: () => this.start(),
      stop: () => this.stop(),
    };
  }

  private async start(): Promise<void> {
    const replicas = this.ctx.config.sinks.es_logs.replicas;
    await installTemplatesIndexTemplate(this.ctx.es, replicas);
    if (!this.ctx.consuming) return;
    await ensureSignalsTarget(this.ctx.es, this.signalsAlias);
    await this.state.ensure();
    this.following = true;
    const started = Date.now();
    const { caughtUp } = await this.state.follow((values) => this.onStateValues(values));
    // Everything read while catching up is imported at once: one miner rebuild per service.
    const initial = this.buffered ?? [];
    this.buffered = undefined;
    const imported = this.tracker.load(initial);
    this.ctx.log(
      `patterns: loaded ${imported} template records for ${this.tracker.serviceCount} services in ${Date.now() - started} ms` +
        (caughtUp ? '' : ' (state topic not fully read)') +
        (this.malformed > 0 ? `, ${this.malformed} malformed records skipped` : '')
    );
    const every = this.options.flushIntervalMs ?? 2000;
    this.timer = setInterval(() => void this.flush(), every);
  }

  private onStateValues(values: string[]): void {
    const entries: TemplateStateEntry[] = [];
    for (const v of values) {
      const e = parseStateEntry(v);
      if (e === undefined) this.malformed++;
      else entries.push(e);
    }
    if (this.buffered !== undefined) this.buffered.push(...entries);
    else this.tracker.load(entries);
  }

  /** Publishes, indexes and signals what changed; serialized so flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const { entries, newPatterns: fresh } = this.tracker.drain();
    this.pendingEntries.push(...entries);
    this.pendingSignals.push(...fresh);
    if (this.pendingEntries.length > MAX_PENDING)
      this.pendingEntries.splice(0, this.pendingEntries.length - MAX_PENDING);
    if (this.pendingSignals.length > MAX_PENDING)
      this.pendingSignals.splice(0, this.pendingSignals.length - MAX_PENDING);
    try {
      if (this.pendingEntries.length > 0) {
        const batch = this.pendingEntries;
        // Kafka first: the topic is the state of record; the index is a view of it.
        await this.state.publish(batch.map((e) => ({ key: e.id, value: JSON.stringify(e) })));
        await writeTemplateDocs(this.ctx.es, batch.map(patternInfoOf), this.templatesIndex);
        this.pendingEntries = this.pendingEntries.slice(batch.length);
      }
      if (this.pendingSignals.length > 0) {
        const batch = this.pendingSignals;
        await writeNewPatternSignals(this.ctx.es, batch, this.signalsAlias);
        this.pendingSignals = this.pendingSignals.slice(batch.length);
      }
    } catch (error) {
      this.ctx.log(`patterns: flush failed, will retry: ${(error as Error).message}`);
    }
  }

  private async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.following) {
      await this.flush();
      await this.state.stop();
    }
  }

  private routes(): Route[] {
    const { es } = this.ctx;
    const indices = this.indices;
    const base = `${API_PREFIX}/patterns`;
    return [
      {
        method: 'GET',
        path: `${base}/top`,
        protected: true,
        handler: async (req) => {
          const q = validate(topPatternsRequestSchema, req.query);
          const interval = sparklineInterval(q.from, q.to, q.interval, MAX_SPARKLINE_BUCKETS);
          return { status: 200, body: await topPatterns(es, q, interval, indices) };
        },
      },
      {
        method: 'GET',
        path: `${base}/new`,
        protected: true,
        handler: async (req) => ({
          status: 200,
          body: await newPatterns(es, validate(newPatternsRequestSchema, req.query), indices),
        }),
      },
      {
        method: 'GET',
        path: `${base}/:id`,
        protected: true,
        handler: async (req) => {
          const { id } = validate(idParams, req.params);
          const pattern = await getPattern(es, id, indices);
          if (pattern === undefined) throw new HttpError(404, `no template with ID ${id}`);
          return { status: 200, body: { pattern } };
        },
      },
      {
        method: 'GET',
        path: `${base}/:id/lines`,
        protected: true,
        handler: async (req) => {
          const { id } = validate(idParams, req.params);
          return {
            status: 200,
            body: await patternLines(es, id, validate(patternLinesRequestSchema, req.query), indices),
          };
        },
      },
      {
        method: 'GET',
        path: `${base}/:id/params`,
        protected: true,
        handler: async (req) => {
          const { id } = validate(idParams, req.params);
          return {
            status: 200,
            body: await patternParams(es, id, validate(patternParamsRequestSchema, req.query), indices),
          };
        },
      },
    ];
  }
}
