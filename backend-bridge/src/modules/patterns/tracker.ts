import { LOG_LEVELS, type LogLevel, type LogRecord, type PatternInfo } from '@cairn/contract';
import { TemplateMiner, templateIdOf, type TemplateMinerState } from '../../domain/templates/index.js';

/**
 * One template as published to the compacted `cairn.templates` topic (key = `id`). A live entry carries the
 * miner state needed to rebuild it; a retired one only says which template it was merged into.
 */
export interface TemplateStateEntry {
  v: 1;
  /** Public template ID: unique across services. */
  id: string;
  service: string;
  /** The miner's own (per-service) ID, from which `id` is derived. */
  minerId: string;
  /** The instance that published it, so an instance skips its own echoes. */
  origin: string;
  pattern: string;
  firstSeen: string;
  lastSeen: string;
  level: LogLevel;
  count: number;
  /** Public IDs merged into this one. */
  aliases: string[];
  /** Miner state (live entries only). */
  tokens?: string[];
  minerAliases?: string[];
  elastic?: boolean;
  /** Public ID of the survivor (retired entries only). */
  mergedInto?: string;
}

/** A first-seen template, for the `new_pattern` signal. */
export interface NewPattern {
  id: string;
  service: string;
  pattern: string;
  level: LogLevel;
  firstSeen: string;
}

export interface TrackerChanges {
  /** To publish to the state topic and to index into `cairn-templates`. */
  entries: TemplateStateEntry[];
  newPatterns: NewPattern[];
}

export interface PatternTrackerOptions {
  origin: string;
  /** Parameters kept per line, and characters per parameter (bounds document size). */
  maxParams?: number;
  maxParamLength?: number;
}

interface Known {
  minerId: string;
  id: string;
  pattern: string;
  firstSeen: string;
  lastSeen: string;
  level: number;
  /** Seen since the last drain (counts and last-seen to publish). */
  touched: boolean;
  /** Created or reshaped since the last drain. */
  changed: boolean;
  /** Created by this instance since the last drain: a candidate for the new-pattern signal. */
  fresh: boolean;
  /** Miner aliases already accounted for (retirements published). */
  aliasCount: number;
  mergedInto?: string;
}

interface ServiceState {
  service: string;
  miner: TemplateMiner;
  known: Map<string, Known>;
  touched: Known[];
}

const LEVEL_RANK: Record<string, number> = Object.fromEntries(LOG_LEVELS.map((l, i) => [l, i]));

/** Public template ID: the miner's content-derived ID qualified by service, so equal templates of two services differ. */
export function publicTemplateId(service: string, minerId: string): string {
  return templateIdOf(`${service}\u0000${minerId}`);
}

/**
 * Mines every record's message with one miner per service and tracks what changed for persistence. Per service,
 * because the same words in two services are two events (a shared miner would merge them and let one noisy service
 * generalize another's templates), Kafka partitions by service so a service's miner lives on one instance, and each
 * miner stays small and fast. Pure: the module publishes `drain()`'s output and feeds `load()` from the topic.
 */
export class PatternTracker {
  private readonly services = new Map<string, ServiceState>();
  private readonly origin: string;
  private readonly maxParams: number;
  private readonly maxParamLength: number;

  constructor(options: PatternTrackerOptions) {
    this.origin = options.origin;
    this.maxParams = options.maxParams ?? 32;
    this.maxParamLength = options.maxParamLength ?? 256;
  }

  /** The pipeline stage: sets `record.template` (ID, pattern, parameters). */
  observe(record: LogRecord): void {
    const service = record.service.name;
    const s = this.serviceState(service);
    const m = s.miner.add(record.message);
    const ts = record['@timestamp'];
    const level = LEVEL_RANK[record.log.level] ?? 2;
    let k = s.known.get(m.templateId);
    if (k === undefined) {
      k = {
        minerId: m.templateId,
        id: publicTemplateId(service, m.templateId),
        pattern: m.template,
        firstSeen: ts,
        lastSeen: ts,
        level,
        touched: true,
        changed: true,
        fresh: m.isNew,
        aliasCount: 0,
      };
      s.known.set(m.templateId, k);
      s.touched.push(k);
    } else {
      if (k.pattern !== m.template) {
        k.pattern = m.template;
        k.changed = true;
      }
      if (ts > k.lastSeen) k.lastSeen = ts;
      if (ts < k.firstSeen) k.firstSeen = ts;
      if (level > k.level) k.level = level;
      if (!k.touched) {
        k.touched = true;
        s.touched.push(k);
      }
    }
    record.template = { id: k.id, pattern: m.template, params: this.boundParams(m.params) };
  }

  private boundParams(params: string[]): string[] {
    let ok = params.length <= this.maxParams;
    for (let i = 0; ok && i < params.length; i++) if ((params[i] as string).length > this.maxParamLength) ok = false;
    if (ok) return params;
    return params
      .slice(0, this.maxParams)
      .map((p) => (p.length > this.maxParamLength ? p.slice(0, this.maxParamLength) : p));
  }

  private serviceState(service: string): ServiceState {
    let s = this.services.get(service);
    if (s === undefined) {
      s = { service, miner: new TemplateMiner(), known: new Map(), touched: [] };
      this.services.set(service, s);
    }
    return s;
  }

  /** What changed since the last call: templates to publish and index, and first-seen templates to signal. */
  drain(): TrackerChanges {
    const entries: TemplateStateEntry[] = [];
    const newPatterns: NewPattern[] = [];
    for (const s of this.services.values()) {
      if (s.touched.length === 0) continue;
      const touched = s.touched;
      s.touched = [];
      const state = new Map(s.miner.exportState().templates.map((t) => [t.id, t]));
      const aliasesOf = (minerAliases: string[]): string[] => minerAliases.map((a) => publicTemplateId(s.service, a));
      for (const k of touched) {
        k.touched = false;
        const live = state.get(k.minerId);
        if (live === undefined) {
          // Merged into another template since it was seen: publish where it went, once.
          const survivor = s.miner.resolveId(k.minerId);
          k.changed = false;
          k.fresh = false;
          if (survivor === undefined || k.mergedInto !== undefined) continue;
          k.mergedInto = publicTemplateId(s.service, survivor);
          const into = s.known.get(survivor);
          if (into !== undefined) {
            if (k.firstSeen < into.firstSeen) into.firstSeen = k.firstSeen;
            if (k.lastSeen > into.lastSeen) into.lastSeen = k.lastSeen;
            if (k.level > into.level) into.level = k.level;
            if (!into.touched && !touched.includes(into)) touched.push(into);
          }
          entries.push(this.entryOf(s.service, k, 0, []));
          continue;
        }
        if (live.aliases.length !== k.aliasCount) {
          // Templates merged into this one, seen or not since the last drain: publish their retirement.
          k.aliasCount = live.aliases.length;
          for (const alias of live.aliases) {
            const ak = s.known.get(alias);
            if (ak === undefined || ak.mergedInto !== undefined) continue;
            ak.mergedInto = k.id;
            ak.fresh = false;
            if (ak.firstSeen < k.firstSeen) k.firstSeen = ak.firstSeen;
            if (ak.level > k.level) k.level = ak.level;
            entries.push(this.entryOf(s.service, ak, 0, []));
          }
        }
        if (k.fresh)
          newPatterns.push({
            id: k.id,
            service: s.service,
            pattern: k.pattern,
            level: levelName(k.level),
            firstSeen: k.firstSeen,
          });
        k.changed = false;
        k.fresh = false;
        k.pattern = live.tokens.join(' ');
        entries.push({
          ...this.entryOf(s.service, k, live.count, aliasesOf(live.aliases)),
          tokens: live.tokens,
          minerAliases: live.aliases,
          ...(live.elastic ? { elastic: true } : {}),
        });
      }
    }
    return { entries, newPatterns };
  }

  private entryOf(service: string, k: Known, count: number, aliases: string[]): TemplateStateEntry {
    return {
      v: 1,
      id: k.id,
      service,
      minerId: k.minerId,
      origin: this.origin,
      pattern: k.pattern,
      firstSeen: k.firstSeen,
      lastSeen: k.lastSeen,
      level: levelName(k.level),
      count,
      aliases,
      ...(k.mergedInto !== undefined ? { mergedInto: k.mergedInto } : {}),
    };
  }

  /**
   * Imports templates published by any instance (on start, the whole topic; later, other instances' news). Each
   * affected service's miner is rebuilt from its current state plus the entries, so merged IDs stop matching and
   * resolve to their survivors.
   */
  load(entries: readonly TemplateStateEntry[]): number {
    const byService = new Map<string, TemplateStateEntry[]>();
    for (const e of entries) {
      if (e.origin === this.origin) continue;
      const list = byService.get(e.service);
      if (list === undefined) byService.set(e.service, [e]);
      else list.push(e);
    }
    let imported = 0;
    for (const [service, list] of byService) {
      const s = this.serviceState(service);
      const templates = new Map(s.miner.exportState().templates.map((t) => [t.id, t]));
      const retired = new Set<string>();
      for (const e of list) {
        if (e.mergedInto !== undefined || e.tokens === undefined) {
          retired.add(e.minerId);
          continue;
        }
        const mine = templates.get(e.minerId);
        const aliases = new Set([...(mine?.aliases ?? []), ...(e.minerAliases ?? [])]);
        for (const a of aliases) retired.add(a);
        templates.set(e.minerId, {
          id: e.minerId,
          tokens: e.tokens,
          count: Math.max(e.count, mine?.count ?? 0),
          aliases: [...aliases],
          ...(e.elastic ? { elastic: true } : {}),
        });
      }
      for (const id of retired) templates.delete(id);
      const state: TemplateMinerState = { version: 1, templates: [...templates.values()] };
      const miner = new TemplateMiner();
      miner.importState(state);
      s.miner = miner;
      for (const e of list) {
        imported++;
        const k = s.known.get(e.minerId);
        const level = LEVEL_RANK[e.level] ?? 2;
        if (k === undefined) {
          s.known.set(e.minerId, {
            minerId: e.minerId,
            id: e.id,
            pattern: e.pattern,
            firstSeen: e.firstSeen,
            lastSeen: e.lastSeen,
            level,
            touched: false,
            changed: false,
            fresh: false,
            aliasCount: e.minerAliases?.length ?? 0,
            ...(e.mergedInto !== undefined ? { mergedInto: e.mergedInto } : {}),
          });
          continue;
        }
        // Known here too: the earliest first-seen wins, another instance's template is not new here.
        k.pattern = e.pattern;
        if (e.firstSeen < k.firstSeen) k.firstSeen = e.firstSeen;
        if (e.lastSeen > k.lastSeen) k.lastSeen = e.lastSeen;
        if (level > k.level) k.level = level;
        k.fresh = false;
        if (e.mergedInto !== undefined) k.mergedInto = e.mergedInto;
      }
      for (const id of retired) {
        const k = s.known.get(id);
        const survivor = miner.resolveId(id);
        if (k !== undefined && k.mergedInto === undefined && survivor !== undefined)
          k.mergedInto = publicTemplateId(service, survivor);
      }
    }
    return imported;
  }

  /** Templates of one service, most frequent first (for tests and the CLI). */
  templatesOf(service: string): Array<{ id: string; pattern: string; count: number }> {
    const s = this.services.get(service);
    if (s === undefined) return [];
    return s.miner
      .templates()
      .map((t) => ({ id: publicTemplateId(service, t.id), pattern: t.template, count: t.count }));
  }

  get serviceCount(): number {
    return this.services.size;
  }
}

function levelName(rank: number): LogLevel {
  return LOG_LEVELS[rank] ?? 'info';
}

/** The `cairn-templates` document of a published entry. */
export function patternInfoOf(e: TemplateStateEntry): PatternInfo {
  return {
    id: e.id,
    pattern: e.pattern,
    service: e.service,
    level: e.level,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    count: e.count,
    aliases: e.aliases,
    ...(e.mergedInto !== undefined ? { mergedInto: e.mergedInto } : {}),
  };
}

/** Parses one state-topic value; undefined for anything malformed (a topic is shared, never trusted blindly). */
export function parseStateEntry(value: string): TemplateStateEntry | undefined {
  let o: unknown;
  try {
    o = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const e = o as Partial<TemplateStateEntry>;
  if (e.v !== 1 || typeof e.id !== 'string' || typeof e.service !== 'string' || typeof e.minerId !== 'string')
    return undefined;
  if (typeof e.origin !== 'string' || typeof e.pattern !== 'string' || typeof e.firstSeen !== 'string')
    return undefined;
  if (typeof e.lastSeen !== 'string' || typeof e.count !== 'number' || !Array.isArray(e.aliases)) return undefined;
  if (typeof e.level !== 'string' || !(e.level in LEVEL_RANK)) return undefined;
  if (e.mergedInto === undefined && (!Array.isArray(e.tokens) || !e.tokens.every((t) => typeof t === 'string')))
    return undefined;
  return e as TemplateStateEntry;
}
