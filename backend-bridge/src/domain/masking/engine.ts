import { createHmac } from 'node:crypto';
import {
  builtinDetectors,
  builtinSensitiveKeyWords,
  defaultEntropyOptions,
  highEntropyDetector,
  isPlaceholderValue,
  sensitiveKeyValueDetector,
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
  const scope = (service?: string, environment?: string): CompiledMaskingScope => {
    const id = `${service ?? ''}\u0000${environment ?? ''}`;
    let compiled = scopes.get(id);
    if (compiled === undefined) {
      compiled = compileScope(policy, service, environment);
      scopes.set(id, compiled);
    }
    return compiled;
  };
  return { kind: 'policy', policy, defaultScope: scope(), scope };
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
  if (authRule !== undefined) keyRules.push({ re: /^(?:proxy-)?authorization$/i, rule: authRule, needsOpaqueValue: false });
  const cookieRule = active('cookie');
  if (cookieRule !== undefined) keyRules.push({ re: /^(?:set-)?cookies?$/i, rule: cookieRule, needsOpaqueValue: false });
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
  return {
    kind: 'scope',
    detectors,
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

function detect(text: string, scope: CompiledMaskingScope): ActiveSpan[] {
  let lower: string | undefined;
  let spans: ActiveSpan[] | undefined;
  for (const active of scope.detectors) {
    const d = active.detector;
    if (d.needles !== undefined && !d.needles.some((n) => text.includes(n))) continue;
    if (d.lowerNeedles !== undefined) {
      lower ??= text.toLowerCase();
      const l = lower;
      if (!d.lowerNeedles.some((n) => l.includes(n))) continue;
    }
    ranges.length = 0;
    d.find(text, ranges);
    if (ranges.length === 0) continue;
    spans ??= [];
    for (const r of ranges) {
      if (r.end > r.start) {
        spans.push({ rule: d.name, category: d.category, start: r.start, end: r.end, priority: d.priority, action: active.action });
      }
    }
  }
  if (spans === undefined || spans.length < 2) return spans ?? [];
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
export function replacementFor(value: string, category: string, action: MaskingAction, hashKey: string | undefined): string {
  switch (action) {
    case 'partial':
      return keepLastFour(value);
    case 'hash':
      return `[HASH:${category}:${createHmac('sha256', hashKey ?? '').update(value).digest('hex').slice(0, 10)}]`;
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

function maskWithScope(text: string, scope: CompiledMaskingScope): MaskOutcome {
  const spans = detect(text, scope);
  if (spans.length === 0) return { text, hits: noHits, drop: false };
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
  const { text: masked, hits } = maskWithScope(text, scopeOf(compiled));
  return { text: masked, hits };
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

function maskNode(node: unknown, scope: CompiledMaskingScope, hits: MaskHits, depth: number): unknown {
  if (typeof node === 'string') {
    const r = maskWithScope(node, scope);
    if (r.hits === noHits) return node;
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
          : replacementFor(typeof v === 'string' ? v : JSON.stringify(v), keyRule.category, keyRule.action, scope.hashKey);
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
