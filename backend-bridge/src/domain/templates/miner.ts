import { MessageMasker, WILDCARD, type MaskedMessage } from './mask.js';
import { templateIdOf } from './template-id.js';

/** What `add` and `match` return for one message. */
export interface TemplateMatch {
  templateId: string;
  template: string;
  params: string[];
  isNew: boolean;
}

/** One template with its counts, for pattern views. */
export interface TemplateSummary {
  id: string;
  template: string;
  count: number;
  aliases: string[];
}

/** Plain-JSON miner state: persisted by the bridge, shared by instances. */
export interface TemplateMinerState {
  version: 1;
  templates: Array<{ id: string; tokens: string[]; count: number; aliases: string[]; elastic?: boolean }>;
}

export interface TemplateMinerOptions {
  /** Distinct sibling templates, differing only in the same few positions, needed before those positions become `<*>`. */
  minSiblingsToGeneralize?: number;
  /** Largest share of a template's positions that may differ for siblings to merge. */
  maxDifferingShare?: number;
  /** Exact-shape cache entries kept before the cache is reset (bounds memory under unmasked variables). */
  maxCachedShapes?: number;
}

const PARAM_WHOLE = 49;
const PARAM_INNER = 50;
/** Postings longer than this are too common to narrow the candidate search. */
const POSTING_SKIP_LENGTH = 4096;
/** Sibling candidates compared pairwise when looking for a shared generalization. */
const MAX_SIBLINGS = 64;
/** Fewest distinct values that make a position a parameter when none of them dominates. */
const MIN_BALANCED_VALUES = 3;

interface Cluster {
  id: string;
  tokens: string[];
  template: string;
  /** Per position: '0' no parameter, '1' the whole token, '2' the value of a `key=<*>` token. */
  paramKinds: string;
  wildcards: number;
  /** Wildcards plus `key=<*>` tokens: positions that accept more than one token. */
  loose: number;
  count: number;
  aliases: string[];
  mergedInto: Cluster | undefined;
  /** Its `<*>`s may stand for several tokens: matched by alignment rather than by position. */
  elastic: boolean;
}

interface LengthBucket {
  clusters: Cluster[];
  /** Per position, constant token → clusters: each cluster is posted under its first few constant positions only. */
  postings: Array<Map<string, Cluster | Cluster[]>>;
  /** Clusters with too few plain constants to post: always compared. */
  unposted: Cluster[];
}

/**
 * Streaming template miner. Messages are typed token by token (numbers, hex, IPs, paths, key=value values, dates
 * with units) and grouped by their exact masked shape; shapes of equal length that differ in the same few positions
 * are merged Brain-style once enough distinct siblings show those positions vary. One configuration for every source.
 */
export class TemplateMiner {
  private readonly masker = new MessageMasker();
  private readonly shapeToCluster = new Map<string, Cluster>();
  private readonly byId = new Map<string, Cluster>();
  private readonly buckets = new Map<number, LengthBucket>();
  private readonly live: Cluster[] = [];
  private readonly byTemplate = new Map<string, Cluster>();
  /** Elastic clusters by their first constant token. */
  private readonly elastic = new Map<string, Cluster[]>();
  private liveDirty = false;
  private readonly minSiblings: number;
  private readonly maxDifferingShare: number;
  private readonly maxCachedShapes: number;

  constructor(options: TemplateMinerOptions = {}) {
    this.minSiblings = options.minSiblingsToGeneralize ?? 4;
    this.maxDifferingShare = options.maxDifferingShare ?? 0.34;
    this.maxCachedShapes = options.maxCachedShapes ?? 200_000;
  }

  /** Learns from one message and returns its template. */
  add(message: string): TemplateMatch {
    const masked = this.masker.mask(message);
    const cached = this.shapeToCluster.get(masked.key);
    if (cached !== undefined) {
      const cluster = resolve(cached);
      cluster.count++;
      return { templateId: cluster.id, template: cluster.template, params: paramsOf(cluster, masked), isNew: false };
    }
    let isNew = false;
    let cluster = this.findMatching(masked.tokens);
    if (cluster === undefined) cluster = this.generalizeWithSiblings(masked.tokens);
    if (cluster === undefined) {
      cluster = this.createCluster(masked.tokens, masked.key, 0, []);
      isNew = true;
    }
    this.cacheShape(masked.key, cluster);
    cluster.count++;
    return { templateId: cluster.id, template: cluster.template, params: paramsOf(cluster, masked), isNew };
  }

  /** Finds the template of a message without learning; undefined when none fits. */
  match(message: string): Omit<TemplateMatch, 'isNew'> | undefined {
    const masked = this.masker.mask(message);
    const cached = this.shapeToCluster.get(masked.key);
    const cluster = cached !== undefined ? resolve(cached) : this.findMatching(masked.tokens);
    if (cluster === undefined) return undefined;
    return { templateId: cluster.id, template: cluster.template, params: paramsOf(cluster, masked) };
  }

  /** Current ID for a template ID, following merges (aliases); undefined when unknown. */
  resolveId(id: string): string | undefined {
    const cluster = this.byId.get(id);
    return cluster === undefined ? undefined : resolve(cluster).id;
  }

  get templateCount(): number {
    return this.liveClusters().length;
  }

  /** Every live template with its count, most frequent first. */
  templates(): TemplateSummary[] {
    return this.liveClusters()
      .map((c) => ({ id: c.id, template: c.template, count: c.count, aliases: [...c.aliases] }))
      .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  }

  exportState(): TemplateMinerState {
    return {
      version: 1,
      templates: this.liveClusters().map((c) => ({
        id: c.id,
        tokens: [...c.tokens],
        count: c.count,
        aliases: [...c.aliases],
        ...(c.elastic ? { elastic: true } : {}),
      })),
    };
  }

  /** Loads state exported by any instance; templates already known by ID are replaced. */
  importState(state: TemplateMinerState): void {
    if (state.version !== 1 || !Array.isArray(state.templates)) throw new Error('unsupported template miner state');
    for (const t of state.templates) {
      const existing = this.byId.get(t.id);
      if (existing !== undefined) this.retire(existing, undefined);
      this.createCluster(t.tokens, undefined, t.count, t.aliases, t.id, t.elastic === true);
    }
    this.shapeToCluster.clear();
  }

  private liveClusters(): Cluster[] {
    if (this.liveDirty) {
      let w = 0;
      for (const c of this.live) if (c.mergedInto === undefined) this.live[w++] = c;
      this.live.length = w;
      this.liveDirty = false;
    }
    return this.live;
  }

  private cacheShape(key: string, cluster: Cluster): void {
    if (this.shapeToCluster.size >= this.maxCachedShapes) this.shapeToCluster.clear();
    this.shapeToCluster.set(key, cluster);
  }

  private createCluster(
    tokens: readonly string[],
    key: string | undefined,
    count: number,
    aliases: readonly string[],
    fixedId?: string,
    elastic = false
  ): Cluster {
    let id = fixedId ?? templateIdOf(key ?? tokens.join(' '));
    for (let attempt = 1; fixedId === undefined && this.byId.has(id); attempt++) {
      id = templateIdOf(`${attempt}\u0000${key ?? tokens.join(' ')}`);
    }
    const cluster: Cluster = {
      id,
      tokens: [...tokens],
      template: '',
      paramKinds: '',
      wildcards: 0,
      loose: 0,
      count,
      aliases: [...aliases],
      mergedInto: undefined,
      elastic,
    };
    refreshTemplate(cluster);
    this.byId.set(id, cluster);
    for (const alias of aliases) this.byId.set(alias, cluster);
    this.live.push(cluster);
    this.index(cluster);
    return cluster;
  }

  private index(cluster: Cluster): void {
    const tokens = cluster.tokens;
    if (!this.byTemplate.has(cluster.template)) this.byTemplate.set(cluster.template, cluster);
    if (cluster.elastic) {
      const first = tokens.find((t) => t !== WILDCARD) ?? WILDCARD;
      const list = this.elastic.get(first);
      if (list === undefined) this.elastic.set(first, [cluster]);
      else list.push(cluster);
      return;
    }
    const bucket = this.bucketFor(tokens.length);
    bucket.clusters.push(cluster);
    // Pigeonhole: a template within d differences of a message agrees with it on one of any d+1 of its constants.
    let toPost = this.maxDifferingFor(tokens.length) + 1;
    for (let i = 0; i < tokens.length && toPost > 0; i++) if (isPlainConstant(tokens[i] as string)) toPost--;
    if (toPost > 0) {
      bucket.unposted.push(cluster);
      return;
    }
    toPost = this.maxDifferingFor(tokens.length) + 1;
    for (let i = 0; i < tokens.length && toPost > 0; i++) {
      const token = tokens[i] as string;
      if (!isPlainConstant(token)) continue;
      toPost--;
      let map = bucket.postings[i];
      if (map === undefined) {
        map = new Map();
        bucket.postings[i] = map;
      }
      const entry = map.get(token);
      if (entry === undefined) map.set(token, cluster);
      else if (Array.isArray(entry)) entry.push(cluster);
      else map.set(token, [entry, cluster]);
    }
  }

  private maxDifferingFor(length: number): number {
    return Math.max(1, Math.floor(length * this.maxDifferingShare));
  }

  /** Drops a cluster from the indexes; stale postings are skipped by the liveness and exact checks. */
  private unindex(cluster: Cluster): void {
    if (this.byTemplate.get(cluster.template) === cluster) this.byTemplate.delete(cluster.template);
    if (cluster.elastic) {
      const first = cluster.tokens.find((t) => t !== WILDCARD) ?? WILDCARD;
      const list = this.elastic.get(first);
      const at = list === undefined ? -1 : list.indexOf(cluster);
      if (list !== undefined && at >= 0) list.splice(at, 1);
      return;
    }
    const bucket = this.buckets.get(cluster.tokens.length);
    if (bucket !== undefined) {
      const at = bucket.clusters.indexOf(cluster);
      if (at >= 0) bucket.clusters.splice(at, 1);
      const u = bucket.unposted.indexOf(cluster);
      if (u >= 0) bucket.unposted.splice(u, 1);
    }
  }

  private bucketFor(length: number): LengthBucket {
    let bucket = this.buckets.get(length);
    if (bucket === undefined) {
      bucket = { clusters: [], postings: [], unposted: [] };
      this.buckets.set(length, bucket);
    }
    return bucket;
  }

  /** Live clusters of the same length posted under one of the message's tokens (a superset of those within reach). */
  private candidates(tokens: readonly string[]): Cluster[] {
    const bucket = this.buckets.get(tokens.length);
    if (bucket === undefined) return [];
    const seen = new Set<Cluster>();
    const out: Cluster[] = [];
    const take = (c: Cluster): void => {
      if (c.mergedInto !== undefined || c.elastic || c.tokens.length !== tokens.length || seen.has(c)) return;
      seen.add(c);
      out.push(c);
    };
    for (let i = 0; i < tokens.length; i++) {
      const entry = bucket.postings[i]?.get(tokens[i] as string);
      if (entry === undefined) continue;
      if (!Array.isArray(entry)) take(entry);
      else if (entry.length <= POSTING_SKIP_LENGTH) for (const c of entry) take(c);
    }
    for (const c of bucket.unposted) take(c);
    return out;
  }

  /** The most specific live template that covers `tokens` exactly. */
  private findMatching(tokens: readonly string[]): Cluster | undefined {
    let best: Cluster | undefined;
    for (const c of this.candidates(tokens)) {
      if (!covers(c.tokens, tokens)) continue;
      if (best === undefined || c.wildcards < best.wildcards || (c.wildcards === best.wildcards && c.id < best.id)) {
        best = c;
      }
    }
    if (best !== undefined || this.elastic.size === 0) return best;
    const tried = new Set<string>();
    for (const token of tokens) {
      if (tried.has(token)) continue;
      tried.add(token);
      const list = this.elastic.get(token);
      if (list === undefined) continue;
      for (const c of list) if (c.mergedInto === undefined && alignGlob(c.tokens, tokens) !== undefined) return c;
    }
    return this.elastic
      .get(WILDCARD)
      ?.find((c) => c.mergedInto === undefined && alignGlob(c.tokens, tokens) !== undefined);
  }

  /**
   * Merges `tokens` with sibling templates of the same length: a position becomes `<*>` only when at least
   * `minSiblings` distinct values were seen there (Brain's frequency rule), so low-variety words stay constant.
   */
  private generalizeWithSiblings(tokens: readonly string[]): Cluster | undefined {
    const n = tokens.length;
    const k = this.minSiblings;
    const maxDiffering = this.maxDifferingFor(n);
    let members: Cluster[] = [];
    for (const c of this.candidates(tokens)) {
      let differing = 0;
      let shared = 0;
      for (let i = 0; i < n; i++) {
        const ct = c.tokens[i] as string;
        if (ct === WILDCARD) continue;
        if (ct === tokens[i]) shared++;
        else differing++;
      }
      if (differing === 0 || differing > maxDiffering || shared < Math.max(1, differing)) continue;
      members.push(c);
      if (members.length >= MAX_SIBLINGS) break;
    }
    if (members.length + 1 < Math.min(k, MIN_BALANCED_VALUES)) return undefined;
    // Keep only siblings whose every difference from `tokens` lies in a position that varies enough.
    for (let round = 0; round < 3; round++) {
      const varies = new Uint8Array(n);
      for (let i = 0; i < n; i++) varies[i] = this.positionVaries(tokens[i] as string, members, i) ? 1 : 0;
      const kept = members.filter((m) => {
        for (let i = 0; i < n; i++) {
          const mt = m.tokens[i];
          if (varies[i] === 0 && mt !== WILDCARD && mt !== tokens[i]) return false;
        }
        return true;
      });
      if (kept.length === members.length) break;
      members = kept;
    }
    if (members.length === 0) return undefined;
    const pattern = [...tokens];
    let generalized = 0;
    for (let i = 0; i < n; i++) {
      const own = tokens[i] as string;
      if (!members.some((m) => m.tokens[i] !== own)) continue;
      if (own !== WILDCARD && !members.every((m) => m.tokens[i] === WILDCARD)) generalized++;
      pattern[i] = keyedWildcard(own, members, i);
    }
    if (generalized === 0 || generalized > maxDiffering || pattern.every((t) => t === WILDCARD)) return undefined;
    if (members.length + 1 < MIN_BALANCED_VALUES) return undefined;
    return this.merge(members, pattern);
  }

  /**
   * Brain's frequency rule: a position is a parameter when it shows at least `minSiblings` distinct values, or
   * a few values none of which dominates (balanced values are names such as users; a dominant one marks an event).
   */
  private positionVaries(own: string, members: readonly Cluster[], i: number): boolean {
    const counts = new Map<string, number>([[own, 1]]);
    let total = 1;
    for (const m of members) {
      const mt = m.tokens[i] as string;
      if (mt === WILDCARD) continue;
      counts.set(mt, (counts.get(mt) ?? 0) + m.count);
      total += m.count;
    }
    if (counts.size >= this.minSiblings) return true;
    if (counts.size < MIN_BALANCED_VALUES) return false;
    let top = 0;
    for (const c of counts.values()) if (c > top) top = c;
    return top * 2 < total;
  }

  /** Folds `members` into the one with the smallest ID (order-independent), which keeps its ID and takes the rest as aliases. */
  private merge(members: Cluster[], pattern: readonly string[]): Cluster {
    let survivor = members[0] as Cluster;
    for (const m of members) if (m.id < survivor.id) survivor = m;
    const merged = collapseWildcards(pattern);
    // A pattern that shrank may now equal a template learnt from messages whose values were collapsed already.
    const twin = this.byTemplate.get(merged.join(' '));
    const all = twin !== undefined && !members.includes(twin) ? [...members, twin] : members;
    for (const m of all) if (m.id < survivor.id) survivor = m;
    for (const m of all) if (m !== survivor) this.retire(m, survivor);
    this.reshape(survivor, merged);
    return survivor;
  }

  /** Gives a live cluster new tokens, moving it between length buckets and the elastic index as needed. */
  private reshape(cluster: Cluster, tokens: string[]): void {
    this.unindex(cluster);
    cluster.elastic = cluster.elastic || tokens.length < cluster.tokens.length;
    cluster.tokens = tokens;
    refreshTemplate(cluster);
    this.index(cluster);
  }

  /** Removes a cluster from the live set; with a survivor, its ID and count move there as aliases. */
  private retire(cluster: Cluster, survivor: Cluster | undefined): void {
    this.unindex(cluster);
    cluster.mergedInto = survivor ?? cluster;
    this.liveDirty = true;
    if (survivor === undefined) {
      this.byId.delete(cluster.id);
      return;
    }
    survivor.count += cluster.count;
    survivor.aliases.push(cluster.id, ...cluster.aliases);
    this.byId.set(cluster.id, survivor);
    for (const alias of cluster.aliases) this.byId.set(alias, survivor);
  }
}

function resolve(cluster: Cluster): Cluster {
  let c = cluster;
  while (c.mergedInto !== undefined && c.mergedInto !== c) c = c.mergedInto;
  return c;
}

function isPlainConstant(token: string): boolean {
  return token !== WILDCARD && !token.includes(WILDCARD);
}

/** True when every constant of `template` equals the token at its position (`key=<*>` takes any value of key). */
function covers(template: readonly string[], tokens: readonly string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    if (t !== WILDCARD && t !== tokens[i] && !innerMatches(t, tokens[i] as string)) return false;
  }
  return true;
}

/** `rhost=<*>` matches `rhost=example` as well as the masked `rhost=<*>`. */
function innerMatches(template: string, token: string): boolean {
  const at = template.indexOf(WILDCARD);
  if (at < 0) return false;
  const suffix = template.length - at - WILDCARD.length;
  return (
    token.length > at + suffix &&
    token.startsWith(template.slice(0, at)) &&
    (suffix === 0 || token.endsWith(template.slice(template.length - suffix)))
  );
}

/** A generalized position keeps a key shared by all its values: `rhost=a`, `rhost=<*>` give `rhost=<*>`. */
function keyedWildcard(own: string, members: readonly Cluster[], i: number): string {
  const sep = Math.max(own.indexOf('='), own.indexOf(':'));
  if (sep <= 0) return WILDCARD;
  const prefix = own.slice(0, sep + 1);
  for (const m of members) {
    const mt = m.tokens[i] as string;
    if (mt === WILDCARD || !mt.startsWith(prefix) || mt.length === prefix.length) return WILDCARD;
  }
  return prefix + WILDCARD;
}

function refreshTemplate(cluster: Cluster): void {
  let wildcards = 0;
  let loose = 0;
  let kinds = '';
  for (let i = 0; i < cluster.tokens.length; i++) {
    const t = cluster.tokens[i] as string;
    if (t === WILDCARD) {
      wildcards++;
      kinds += '1';
    } else if (t.includes(WILDCARD)) {
      loose++;
      kinds += '2';
    } else kinds += '0';
  }
  cluster.paramKinds = kinds;
  cluster.wildcards = wildcards;
  cluster.loose = wildcards + loose;
  cluster.template = cluster.tokens.join(' ');
}

function paramsOf(cluster: Cluster, masked: MaskedMessage): string[] {
  if (cluster.elastic || cluster.tokens.length !== masked.tokens.length) return elasticParamsOf(cluster, masked);
  const params: string[] = [];
  const kinds = cluster.paramKinds;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds.charCodeAt(i);
    if (kind === PARAM_WHOLE) params.push(masked.values[i] as string);
    else if (kind === PARAM_INNER) params.push(innerParam(cluster.tokens[i] as string, masked, i));
  }
  return params;
}

/** The value under a `key=<*>` token, also when the message's token was left constant (`user=root`). */
function innerParam(template: string, masked: MaskedMessage, i: number): string {
  const inner = masked.innerValues[i] as string;
  if (inner !== '') return inner;
  const value = masked.values[i] as string;
  const at = template.indexOf(WILDCARD);
  return value.slice(at, value.length - (template.length - at - WILDCARD.length));
}

/** For each template position, the index of the first message token it covers; undefined when it does not match. */
function alignGlob(template: readonly string[], tokens: readonly string[]): Int32Array | undefined {
  const starts = new Int32Array(template.length + 1);
  return alignFrom(template, 0, tokens, 0, starts, 0) ? starts : undefined;
}

/** Backtracking glob match where each `<*>` covers one or more tokens; templates are short, misses are rare. */
function alignFrom(
  template: readonly string[],
  ti: number,
  tokens: readonly string[],
  mi: number,
  starts: Int32Array,
  depth: number
): boolean {
  if (depth > 64) return false;
  starts[ti] = mi;
  if (ti === template.length) return mi === tokens.length;
  const t = template[ti] as string;
  if (t !== WILDCARD) return tokens[mi] === t && alignFrom(template, ti + 1, tokens, mi + 1, starts, depth);
  for (let end = mi + 1; end <= tokens.length - (template.length - ti - 1); end++) {
    if (alignFrom(template, ti + 1, tokens, end, starts, depth + 1)) return true;
  }
  return false;
}

function elasticParamsOf(cluster: Cluster, masked: MaskedMessage): string[] {
  const starts = alignGlob(cluster.tokens, masked.tokens);
  if (starts === undefined) return [];
  const params: string[] = [];
  for (let i = 0; i < cluster.tokens.length; i++) {
    const kind = cluster.paramKinds.charCodeAt(i);
    const from = starts[i] ?? 0;
    if (kind === PARAM_WHOLE) params.push(masked.values.slice(from, starts[i + 1]).join(' '));
    else if (kind === PARAM_INNER) params.push(innerParam(cluster.tokens[i] as string, masked, from));
  }
  return params;
}

/** Adjacent `<*>`s become one: a run of values is one parameter, as when messages are masked. */
function collapseWildcards(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) if (!(t === WILDCARD && out[out.length - 1] === WILDCARD)) out.push(t);
  return out;
}
