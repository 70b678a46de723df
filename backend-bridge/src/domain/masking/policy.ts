import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { builtinRuleNames } from './detectors.js';

export const maskingActions = ['redact', 'partial', 'hash', 'drop'] as const;
/** redact: `[REDACTED:card]`; partial: keep the last 4; hash: keyed HMAC pseudonym; drop: remove the field. */
export type MaskingAction = (typeof maskingActions)[number];

export interface MaskingRuleSetting {
  enabled?: boolean;
  action?: MaskingAction;
}

/** A user-defined pattern rule; the whole match is the sensitive value. */
export interface CustomMaskingRule {
  name: string;
  category: string;
  pattern: string;
  /** Regex flags besides `g` (e.g. `i`). */
  flags?: string;
  action?: MaskingAction;
  enabled?: boolean;
}

/** One level of the policy: default, an environment, a service, or a service's environment. */
export interface MaskingLayer {
  /** Action for rules that name none. */
  action?: MaskingAction;
  rules?: Record<string, MaskingRuleSetting>;
  /** Extra key words (regex fragments, case-insensitive) whose values are always sensitive. */
  sensitiveKeys?: string[];
  custom?: CustomMaskingRule[];
  entropy?: { minLength?: number; minBitsPerChar?: number };
}

export interface MaskingServiceLayer extends MaskingLayer {
  environments?: Record<string, MaskingLayer>;
}

/** The whole policy: default, then environments[env], then services[svc], then services[svc].environments[env]. */
export interface MaskingPolicy {
  version: 1;
  /** Key for `hash` pseudonyms; required when any rule hashes. */
  hashKey?: string;
  default: MaskingLayer;
  environments?: Record<string, MaskingLayer>;
  services?: Record<string, MaskingServiceLayer>;
}

/** A policy flattened for one service and environment. */
export interface ResolvedMaskingLayer {
  action: MaskingAction;
  rules: Record<string, MaskingRuleSetting>;
  sensitiveKeys: string[];
  custom: CustomMaskingRule[];
  entropy: { minLength?: number; minBitsPerChar?: number };
}

export const defaultMaskingPolicy: MaskingPolicy = {
  version: 1,
  default: { action: 'redact', rules: { ipv4: { enabled: false }, ipv6: { enabled: false } } },
};

const actionSchema = z.enum(maskingActions);
const ruleSettingSchema = z.strictObject({ enabled: z.boolean().optional(), action: actionSchema.optional() });
const customRuleSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'rule names are lower_snake_case'),
  category: z.string().regex(/^[a-z][a-z0-9_]*$/, 'categories are lower_snake_case'),
  pattern: z.string().min(1),
  flags: z
    .string()
    .regex(/^[imsu]*$/, 'flags may only use i, m, s, u')
    .optional(),
  action: actionSchema.optional(),
  enabled: z.boolean().optional(),
});
const layerShape = {
  action: actionSchema.optional(),
  rules: z.record(z.string(), ruleSettingSchema).optional(),
  sensitiveKeys: z.array(z.string().min(1)).optional(),
  custom: z.array(customRuleSchema).optional(),
  entropy: z
    .strictObject({
      minLength: z.number().int().min(8).max(256).optional(),
      minBitsPerChar: z.number().min(1).max(6).optional(),
    })
    .optional(),
};
const layerSchema = z.strictObject(layerShape);
const serviceLayerSchema = z.strictObject({
  ...layerShape,
  environments: z.record(z.string(), layerSchema).optional(),
});
const policySchema = z.strictObject({
  version: z.literal(1),
  hashKey: z.string().min(16, 'hashKey must be at least 16 characters').optional(),
  default: layerSchema,
  environments: z.record(z.string(), layerSchema).optional(),
  services: z.record(z.string(), serviceLayerSchema).optional(),
});

export interface PolicyError {
  /** Dotted path of the offending value, e.g. `services.checkout.rules.card.action`. */
  path: string;
  /** 1-based line in the policy text (the nearest existing node when the value is missing). */
  line: number;
  message: string;
}

export type PolicyParseResult = { ok: true; policy: MaskingPolicy } | { ok: false; errors: PolicyError[] };

/** Parses and validates policy text (YAML or JSON); every error names its path and line. */
export function parseMaskingPolicy(text: string): PolicyParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        path: '',
        line: lineCounter.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair === undefined) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
        offset = rangeStart(node) ?? offset;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    return lineCounter.linePos(offset).line;
  };
  const parsed = policySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const errors: PolicyError[] = [];
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        const path = key === undefined ? issue.path : [...issue.path, key];
        const message = key === undefined ? issue.message : `unknown key "${key}"`;
        errors.push({ path: path.map(String).join('.'), line: lineOf(path), message });
      }
    }
    return { ok: false, errors };
  }
  const policy = parsed.data as MaskingPolicy;
  const errors = semanticErrors(policy).map((e) => ({ ...e, line: lineOf(e.segments), path: e.segments.join('.') }));
  return errors.length > 0
    ? { ok: false, errors: errors.map(({ path, line, message }) => ({ path, line, message })) }
    : { ok: true, policy };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

interface SemanticError {
  segments: (string | number)[];
  message: string;
}

/** Checks zod cannot: rule names exist, regexes compile, key words compile, hashing has a key. */
function semanticErrors(policy: MaskingPolicy): SemanticError[] {
  const errors: SemanticError[] = [];
  const customNames = new Set<string>();
  const layers: { at: (string | number)[]; layer: MaskingLayer }[] = [{ at: ['default'], layer: policy.default }];
  for (const [env, layer] of Object.entries(policy.environments ?? {}))
    layers.push({ at: ['environments', env], layer });
  for (const [svc, layer] of Object.entries(policy.services ?? {})) {
    layers.push({ at: ['services', svc], layer });
    for (const [env, envLayer] of Object.entries(layer.environments ?? {})) {
      layers.push({ at: ['services', svc, 'environments', env], layer: envLayer });
    }
  }
  for (const { layer } of layers) for (const c of layer.custom ?? []) customNames.add(c.name);
  let hashing = false;
  for (const { at, layer } of layers) {
    if (layer.action === 'hash') hashing = true;
    for (const [name, setting] of Object.entries(layer.rules ?? {})) {
      if (!builtinRuleNames.includes(name) && !customNames.has(name)) {
        errors.push({
          segments: [...at, 'rules', name],
          message: `unknown rule "${name}"; known: ${builtinRuleNames.join(', ')}${customNames.size > 0 ? ', ' + [...customNames].join(', ') : ''}`,
        });
      }
      if (setting.action === 'hash') hashing = true;
    }
    (layer.custom ?? []).forEach((c, i) => {
      if (builtinRuleNames.includes(c.name)) {
        errors.push({ segments: [...at, 'custom', i, 'name'], message: `"${c.name}" is a built-in rule name` });
      }
      if (c.action === 'hash') hashing = true;
      const problem = regexProblem(c.pattern, c.flags ?? '');
      if (problem !== undefined) errors.push({ segments: [...at, 'custom', i, 'pattern'], message: problem });
      else if (new RegExp(c.pattern, c.flags ?? '').test('')) {
        errors.push({ segments: [...at, 'custom', i, 'pattern'], message: 'pattern matches the empty string' });
      }
    });
    (layer.sensitiveKeys ?? []).forEach((k, i) => {
      const problem = regexProblem(k, 'i');
      if (problem !== undefined) errors.push({ segments: [...at, 'sensitiveKeys', i], message: problem });
    });
  }
  if (hashing && policy.hashKey === undefined) {
    errors.push({ segments: ['hashKey'], message: 'a rule uses action "hash" but no hashKey is set' });
  }
  return errors;
}

function regexProblem(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
}

/** Flattens the policy for one service and environment: later layers override earlier ones rule by rule. */
export function resolveMaskingLayer(
  policy: MaskingPolicy,
  service?: string,
  environment?: string
): ResolvedMaskingLayer {
  const chain: MaskingLayer[] = [policy.default];
  const envLayer = environment === undefined ? undefined : policy.environments?.[environment];
  if (envLayer !== undefined) chain.push(envLayer);
  const svcLayer = service === undefined ? undefined : policy.services?.[service];
  if (svcLayer !== undefined) {
    chain.push(svcLayer);
    const svcEnvLayer = environment === undefined ? undefined : svcLayer.environments?.[environment];
    if (svcEnvLayer !== undefined) chain.push(svcEnvLayer);
  }
  const resolved: ResolvedMaskingLayer = { action: 'redact', rules: {}, sensitiveKeys: [], custom: [], entropy: {} };
  for (const layer of chain) {
    if (layer.action !== undefined) resolved.action = layer.action;
    for (const [name, setting] of Object.entries(layer.rules ?? {})) {
      resolved.rules[name] = { ...resolved.rules[name], ...setting };
    }
    for (const k of layer.sensitiveKeys ?? []) if (!resolved.sensitiveKeys.includes(k)) resolved.sensitiveKeys.push(k);
    for (const c of layer.custom ?? []) {
      resolved.custom = resolved.custom.filter((x) => x.name !== c.name);
      resolved.custom.push(c);
    }
    resolved.entropy = { ...resolved.entropy, ...layer.entropy };
  }
  return resolved;
}
