import { createHmac } from 'node:crypto';
import {
  builtinDetectors,
  builtinSensitiveKeyWords,
  defaultEntropyOptions,
  highEntropyDetector,
  isPlaceholderValue,
  sensitiveKeyValueDetector,
  TextFeatures,
  type Detector,
  type MatchRange,
} from './detectors.js';
import { resolveMaskingLayer, type MaskingAction, type MaskingPolicy } from './policy.js';

/** A detection in a text: which rule, which category, where. */
export interface MaskSpan {
  rule: string;
  category: string;
  start: number;
  end: number;
}

/** Rule name → number of values it masked; never the values themselves. */
export type MaskHits = Record<string, number>;

export interface MaskTextResult {
  text: string;
  hits: MaskHits;
}

export interface MaskRecordResult<T> {
  record: T;
  hits: MaskHits;
}

interface ActiveDetector {
  detector: Detector;
  action: MaskingAction;
}

interface KeyRule {
  rule: string;
  category: string;
  action: MaskingAction;
  /** Only values that look like identifiers count (session keys); credentials count whatever the value. */
  needsOpaqueValue: boolean;
}

/** The policy for one service and environment, with every regex built once. */
export interface CompiledMaskingScope {
  readonly kind: 'scope';
  readonly detectors: readonly ActiveDetector[];
  readonly lowerNeedles: NeedleIndex;
  /** Bit i: detector i has no mark gate and is always a candidate. */
  readonly unmarked: number;
  /** Per TextFeatures mark bit: the detectors that mark wakes. */
  readonly byMark: Int32Array;
  readonly hashKey: string | undefined;
  keyRuleFor(key: string): KeyRule | undefined;
}

/** A compiled policy: scopes are built on first use and kept. */
export interface CompiledMaskingPolicy {
  readonly kind: 'policy';
  readonly policy: MaskingPolicy;
  readonly defaultScope: CompiledMaskingScope;
  scope(service?: string, environment?: string): CompiledMaskingScope;
}

const noHits: MaskHits = Object.freeze({}) as MaskHits;

export function compilePolicy(policy: MaskingPolicy): CompiledMaskingPolicy {
  const scopes = new Map<string, CompiledMaskingScope>();
  const defaultScope = compileScope(policy);
  const services = policy.services ?? {};
  const environments = policy.environments ?? {};
  const scope = (service?: string, environment?: string): CompiledMaskingScope => {
    // Most records come from services and environments the policy does not name: no key to build.
    const named =
      (service !== undefined && Object.hasOwn(services, service)) ||
      (environment !== undefined && Object.hasOwn(environments, environment));
    if (!named) return defaultScope;
    const id = `${service ?? ''}\u0000${environment ?? ''}`;
    let compiled = scopes.get(id);
    if (compiled === undefined) {
      compiled = compileScope(policy, service, environment);
      scopes.set(id, compiled);
    }
    return compiled;
  };
  return { kind: 'policy', policy, defaultScope, scope };
}

function compileScope(policy: MaskingPolicy, service?: string, environment?: string): CompiledMaskingScope {
  const layer = resolveMaskingLayer(policy, service, environment);
  const keyWords = [...builtinSensitiveKeyWords, ...layer.sensitiveKeys];
  const entropy = {
    minLength: layer.entropy.minLength ?? defaultEntropyOptions.minLength,
    minBitsPerChar: layer.entropy.minBitsPerChar ?? defaultEntropyOptions.minBitsPerChar,
  };
  const all: Detector[] = builtinDetectors.map((d) => {
    if (d.name === 'sensitive_key_value' && layer.sensitiveKeys.length > 0) return sensitiveKeyValueDetector(keyWords);
    if (d.name === 'high_entropy') return highEntropyDetector(entropy);
    return d;
  });
  for (const c of layer.custom) all.push(customDetector(c.name, c.category, c.pattern, c.flags ?? ''));
  const detectors: ActiveDetector[] = [];
  for (const d of all) {
    const custom = layer.custom.find((c) => c.name === d.name);
    const setting = layer.rules[d.name];
    const enabled = setting?.enabled ?? custom?.enabled ?? d.defaultEnabled;
    if (enabled) detectors.push({ detector: d, action: setting?.action ?? custom?.action ?? layer.action });
  }
  const active = (name: string): ActiveDetector | undefined => detectors.find((a) => a.detector.name === name);
  const keyRules: { re: RegExp; rule: ActiveDetector; needsOpaqueValue: boolean }[] = [];
  const authRule = active('auth_header');
  if (authRule !== undefined)
    keyRules.push({ re: /^(?:proxy-)?authorization$/i, rule: authRule, needsOpaqueValue: false });
  const cookieRule = active('cookie');
  if (cookieRule !== undefined)
    keyRules.push({ re: /^(?:set-)?cookies?$/i, rule: cookieRule, needsOpaqueValue: false });
  const secretRule = active('sensitive_key_value');
  if (secretRule !== undefined) {
    keyRules.push({ re: new RegExp(`(?:${keyWords.join('|')})$`, 'i'), rule: secretRule, needsOpaqueValue: false });
  }
  const sessionRule = active('session_id');
  if (sessionRule !== undefined) {
    keyRules.push({
      re: /(?:^|[^a-z])(?:session[_.-]?(?:id|key|token)?|sess[_.-]?id|jsessionid|phpsessid|sid)$/i,
      rule: sessionRule,
      needsOpaqueValue: true,
    });
  }
  const keyCache = new Map<string, KeyRule | null>();
  if (detectors.length > 31) throw new Error('a masking scope supports at most 31 active rules');
  let unmarked = 0;
  const byMark = new Int32Array(32);
  detectors.forEach((a, i) => {
    const marks = a.detector.marks;
    if (marks === undefined) unmarked |= 1 << i;
    else for (let b = 0; b < 32; b++) if ((marks & (1 << b)) !== 0) byMark[b] = (byMark[b] ?? 0) | (1 << i);
  });
  return {
    kind: 'scope',
    detectors,
    lowerNeedles: needleIndex(detectors, (d) => d.lowerNeedles, true),
    unmarked,
    byMark,
    hashKey: policy.hashKey,
    keyRuleFor(key) {
      let cached = keyCache.get(key);
      if (cached === undefined) {
        const hit = keyRules.find((k) => k.re.test(key));
        cached =
          hit === undefined
            ? null
            : {
                rule: hit.rule.detector.name,
                category: hit.rule.detector.category,
                action: hit.rule.action,
                needsOpaqueValue: hit.needsOpaqueValue,
              };
        if (keyCache.size > 10_000) keyCache.clear();
        keyCache.set(key, cached);
      }
      return cached ?? undefined;
    },
  };
}

function customDetector(name: string, category: string, pattern: string, flags: string): Detector {
  const re = new RegExp(pattern, flags.includes('g') ? flags : flags + 'g');
  return {
    name,
    category,
    description: `custom rule /${pattern}/${flags}`,
    defaultEnabled: true,
    priority: 15,
    find(text, out) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) re.lastIndex++;
        else out.push({ start: m.index, end: m.index + m[0].length });
      }
    },
  };
}

function scopeOf(compiled: CompiledMaskingPolicy | CompiledMaskingScope): CompiledMaskingScope {
  return compiled.kind === 'scope' ? compiled : compiled.defaultScope;
}

const ranges: MatchRange[] = [];

interface ActiveSpan extends MaskSpan {
  priority: number;
  action: MaskingAction;
}

/** One regex over all needles of a scope's detectors; each needle maps to the detectors (bits) it unlocks. */
interface NeedleIndex {
  re: RegExp | undefined;
  bits: Map<string, number>;
}

function needleIndex(
  detectors: readonly ActiveDetector[],
  pick: (d: Detector) => readonly string[] | undefined,
  ignoreCase: boolean
): NeedleIndex {
  const all = new Map<string, number>();
  detectors.forEach((a, i) => {
    for (const n of pick(a.detector) ?? []) {
      const key = ignoreCase ? n.toLowerCase() : n;
      all.set(key, (all.get(key) ?? 0) | (1 << i));
    }
  });
  // A needle containing a shorter one is implied by it: keep the shorter, give it the longer one's detectors too.
  const bits = new Map<string, number>();
  for (const [needle, mask] of all) {
    if (![...all.keys()].some((other) => other !== needle && needle.includes(other))) bits.set(needle, mask);
  }
  for (const [needle, mask] of all) {
    for (const [kept, keptMask] of bits) if (needle !== kept && needle.includes(kept)) bits.set(kept, keptMask | mask);
  }
  if (bits.size === 0) return { re: undefined, bits };
  const source = [...bits.keys()].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return { re: new RegExp(source, ignoreCase ? 'gi' : 'g'), bits };
}

function triggeredBits(text: string, index: NeedleIndex, ignoreCase: boolean): number {
  const re = index.re;
  if (re === undefined) return 0;
  let mask = 0;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    mask |= index.bits.get(ignoreCase ? m[0].toLowerCase() : m[0]) ?? 0;
    re.lastIndex = m.index + 1;
  }
  return mask;
}

const features = new TextFeatures();
const noSpans: ActiveSpan[] = [];

function includesAny(text: string, needles: readonly string[]): boolean {
  for (let i = 0; i < needles.length; i++) if (text.includes(needles[i] ?? '')) return true;
  return false;
}

function detect(text: string, scope: CompiledMaskingScope): ActiveSpan[] {
  features.reset(text);
  // Detectors gated by marks are candidates only when one of their marks was seen.
  let candidates = scope.unmarked;
  for (let m = features.marks; m !== 0; m &= m - 1) candidates |= scope.byMark[31 - Math.clz32(m & -m)] ?? 0;
  // Needle masks are computed on first use: most texts fail every gate before any needle matters.
  let folded = -1;
  let spans: ActiveSpan[] | undefined;
  const detectors = scope.detectors;
  for (; candidates !== 0; candidates &= candidates - 1) {
    const i = 31 - Math.clz32(candidates & -candidates);
    const active = detectors[i];
    if (active === undefined) continue;
    const d = active.detector;
    if (d.minDigitRun !== undefined && features.digitRun < d.minDigitRun) continue;
    if (d.minTokenRun !== undefined && features.tokenRun < d.minTokenRun) continue;
    if (d.needles !== undefined && !includesAny(text, d.needles)) continue;
    if (d.test !== undefined && !d.test.test(text)) continue;
    const bit = 1 << i;
    if (d.lowerNeedles !== undefined) {
      if (folded === -1) folded = triggeredBits(text, scope.lowerNeedles, true);
      if ((folded & bit) === 0) continue;
    }
    ranges.length = 0;
    d.find(text, ranges, features);
    if (ranges.length === 0) continue;
    spans ??= [];
    for (const r of ranges) {
      if (r.end > r.start) {
        spans.push({
          rule: d.name,
          category: d.category,
          start: r.start,
          end: r.end,
          priority: d.priority,
          action: active.action,
        });
      }
    }
  }
  if (spans === undefined) return noSpans;
  if (spans.length < 2) return spans;
  // Overlaps: the more specific detector (lower priority number) wins, then the earlier and longer span.
  spans.sort((a, b) => a.priority - b.priority || a.start - b.start || b.end - a.end);
  const kept: ActiveSpan[] = [];
  for (const s of spans) if (!kept.some((k) => k.start < s.end && s.start < k.end)) kept.push(s);
  kept.sort((a, b) => a.start - b.start);
  return kept;
}

/** Every sensitive value the policy finds in a text, without overlaps, in text order. */
export function detectSpans(text: string, compiled: CompiledMaskingPolicy | CompiledMaskingScope): MaskSpan[] {
  return detect(text, scopeOf(compiled)).map(({ rule, category, start, end }) => ({ rule, category, start, end }));
}

/** The text that replaces a sensitive value under an action. */
export function replacementFor(
  value: string,
  category: string,
  action: MaskingAction,
  hashKey: string | undefined
): string {
  switch (action) {
    case 'partial':
      return keepLastFour(value);
    case 'hash':
      return `[HASH:${category}:${createHmac('sha256', hashKey ?? '')
        .update(value)
        .digest('hex')
        .slice(0, 10)}]`;
    case 'drop':
      return `[DROPPED:${category}]`;
    default:
      return `[REDACTED:${category}]`;
  }
}

/** Masks every letter and digit but the last four, keeping separators so the shape stays readable. */
function keepLastFour(value: string): string {
  let alnum = 0;
  for (let i = 0; i < value.length; i++) if (/[A-Za-z0-9]/.test(value.charAt(i))) alnum++;
  if (alnum <= 4) return '*'.repeat(value.length);
  let seen = 0;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (/[A-Za-z0-9]/.test(ch)) {
      seen++;
      out += seen > alnum - 4 ? ch : '*';
    } else out += ch;
  }
  return out;
}

interface MaskOutcome extends MaskTextResult {
  drop: boolean;
}

/** The masked text, or undefined when nothing was found (most texts: no allocation). */
function maskWithScope(text: string, scope: CompiledMaskingScope): MaskOutcome | undefined {
  const spans = detect(text, scope);
  if (spans.length === 0) return undefined;
  const hits: MaskHits = {};
  let out = '';
  let at = 0;
  let drop = false;
  for (const s of spans) {
    out += text.slice(at, s.start) + replacementFor(text.slice(s.start, s.end), s.category, s.action, scope.hashKey);
    at = s.end;
    hits[s.rule] = (hits[s.rule] ?? 0) + 1;
    if (s.action === 'drop') drop = true;
  }
  return { text: out + text.slice(at), hits, drop };
}

/** Masks a plain text in place; `drop` rules redact here, as a text has no field to drop. */
export function maskText(text: string, compiled: CompiledMaskingPolicy | CompiledMaskingScope): MaskTextResult {
  const r = maskWithScope(text, scopeOf(compiled));
  return r === undefined ? { text, hits: noHits } : { text: r.text, hits: r.hits };
}

export interface MaskRecordOptions {
  service?: string;
  environment?: string;
}

function addHits(into: MaskHits, from: MaskHits): void {
  for (const k in from) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
}

const opaqueValue = /^(?!0x)(?=.*\d)[A-Za-z0-9%._~+/=-]{8,}$/i;

/**
 * Masks every string in a JSON record (message, labels, nested objects, arrays); values under sensitive keys are
 * replaced or dropped whatever they are. Returns the original object when nothing changed.
 */
export function maskRecord<T>(
  record: T,
  compiled: CompiledMaskingPolicy | CompiledMaskingScope,
  options: MaskRecordOptions = {}
): MaskRecordResult<T> {
  const scope =
    compiled.kind === 'scope'
      ? compiled
      : options.service !== undefined || options.environment !== undefined
        ? compiled.scope(options.service, options.environment)
        : compiled.defaultScope;
  const hits: MaskHits = {};
  const masked = maskNode(record, scope, hits, 0);
  const result = masked === dropMarker ? record : (masked as T);
  return { record: result, hits: Object.keys(hits).length === 0 ? noHits : hits };
}

const dropMarker = Symbol('drop');
const maxDepth = 64;

/** The part of a normalized log record masking needs to know about (see @cairn/contract LogRecord). */
export interface MaskableLogRecord {
  message: string;
  service?: { name?: string };
  deployment?: { environment?: string };
  cairn?: { masked?: MaskHits } & Record<string, unknown>;
  [field: string]: unknown;
}

// Fields the normalizer derives from parsed structure (timestamps, levels, IDs, names), never free text.
const structuralFields = new Set([
  '@timestamp',
  'cairn',
  'log',
  'trace',
  'span',
  'template',
  'service',
  'deployment',
  'host',
]);

/**
 * Masks a normalized log record under the scope of its service and environment, skipping structural fields, and
 * records which rules fired in `cairn.masked` (names and counts, never values).
 */
export function maskLogRecord<T extends MaskableLogRecord>(
  record: T,
  compiled: CompiledMaskingPolicy
): MaskRecordResult<T> {
  const scope = compiled.scope(record.service?.name, record.deployment?.environment);
  const hits: MaskHits = {};
  let copy: Record<string, unknown> | undefined;
  // The message first, without a key check: it is the record's free text.
  const message = record.message;
  if (typeof message === 'string' && message.length >= 6) {
    const r = maskWithScope(message, scope);
    if (r !== undefined) {
      addHits(hits, r.hits);
      copy = { ...record };
      copy.message = r.drop ? '[DROPPED]' : r.text;
    }
  }
  for (const key in record) {
    if (key === 'message' || structuralFields.has(key)) continue;
    const v: unknown = record[key];
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') continue;
    const keyRule = scope.keyRuleFor(key);
    let m: unknown;
    if (keyRule !== undefined && v !== '' && sensitiveValue(v, keyRule)) {
      hits[keyRule.rule] = (hits[keyRule.rule] ?? 0) + 1;
      m =
        keyRule.action === 'drop'
          ? dropMarker
          : replacementFor(
              typeof v === 'string' ? v : JSON.stringify(v),
              keyRule.category,
              keyRule.action,
              scope.hashKey
            );
    } else m = maskNode(v, scope, hits, 1);
    if (m !== v) {
      copy ??= { ...record };
      if (m === dropMarker) delete copy[key];
      else copy[key] = m;
    }
  }
  if (copy === undefined) return { record, hits: noHits };
  copy.cairn = { ...record.cairn, masked: hits };
  return { record: copy as T, hits };
}

function maskNode(node: unknown, scope: CompiledMaskingScope, hits: MaskHits, depth: number): unknown {
  if (typeof node === 'string') {
    // Nothing a detector finds fits in fewer characters than `a@b.co`.
    if (node.length < 6) return node;
    const r = maskWithScope(node, scope);
    if (r === undefined) return node;
    addHits(hits, r.hits);
    return r.drop ? dropMarker : r.text;
  }
  if (node === null || typeof node !== 'object' || depth > maxDepth) return node;
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < node.length; i++) {
      const v: unknown = node[i];
      const m = maskNode(v, scope, hits, depth + 1);
      if (m !== v) {
        copy ??= node.slice(0, i);
        if (m !== dropMarker) copy.push(m);
      } else if (copy !== undefined) copy.push(v);
    }
    return copy ?? node;
  }
  const obj = node as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? '';
    const v = obj[key];
    let m: unknown = v;
    const keyRule = scope.keyRuleFor(key);
    if (keyRule !== undefined && v !== null && v !== undefined && v !== '' && sensitiveValue(v, keyRule)) {
      hits[keyRule.rule] = (hits[keyRule.rule] ?? 0) + 1;
      m =
        keyRule.action === 'drop'
          ? dropMarker
          : replacementFor(
              typeof v === 'string' ? v : JSON.stringify(v),
              keyRule.category,
              keyRule.action,
              scope.hashKey
            );
    } else {
      m = maskNode(v, scope, hits, depth + 1);
    }
    if (m !== v) {
      if (copy === undefined) {
        copy = {};
        for (let j = 0; j < i; j++) {
          const k = keys[j] ?? '';
          copy[k] = obj[k];
        }
      }
      if (m !== dropMarker) copy[key] = m;
    } else if (copy !== undefined) copy[key] = v;
  }
  return copy ?? obj;
}

function sensitiveValue(v: unknown, rule: KeyRule): boolean {
  if (typeof v === 'boolean') return false;
  if (typeof v === 'string') {
    if (isPlaceholderValue(v)) return false;
    return !rule.needsOpaqueValue || opaqueValue.test(v);
  }
  if (typeof v === 'number') return !rule.needsOpaqueValue;
  return true;
}
