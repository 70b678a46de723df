import type { LogLevel, LogRecord, RoutingConfig, RoutingRule } from '@cairn/contract';

export type RoutingDecision =
  | { action: 'keep'; retentionClass: string; rule?: string }
  | { action: 'drop'; rule: string; reason: 'dropped' | 'sampled_out' };

interface CompiledRule {
  rule: RoutingRule;
  services?: RegExp;
  environments?: RegExp;
  levels?: Set<LogLevel>;
  pattern?: RegExp;
}

export interface CompiledRouting {
  config: RoutingConfig;
  rules: CompiledRule[];
}

function globsToRegExp(globs: string | string[]): RegExp {
  const list = Array.isArray(globs) ? globs : [globs];
  const alternatives = list.map((g) => g.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** Thrown when a rule's regular expression does not compile; names the rule. */
export class RoutingRuleError extends Error {
  constructor(
    message: string,
    readonly ruleIndex: number
  ) {
    super(message);
  }
}

export function compileRouting(config: RoutingConfig): CompiledRouting {
  const rules = config.rules.map((rule, index): CompiledRule => {
    const compiled: CompiledRule = { rule };
    if (rule.match.service !== undefined) compiled.services = globsToRegExp(rule.match.service);
    if (rule.match.environment !== undefined) compiled.environments = globsToRegExp(rule.match.environment);
    if (rule.match.level !== undefined) {
      compiled.levels = new Set(Array.isArray(rule.match.level) ? rule.match.level : [rule.match.level]);
    }
    if (rule.match.pattern !== undefined) {
      try {
        compiled.pattern = new RegExp(rule.match.pattern);
      } catch (error) {
        throw new RoutingRuleError(`rule "${rule.name}": invalid pattern: ${(error as Error).message}`, index);
      }
    }
    return compiled;
  });
  return { config, rules };
}

/** FNV-1a over the document ID: sampling must decide the same way when a record is replayed. */
export function stableFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finalizer: FNV alone leaves IDs that differ in the last digit too close together.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function matches(c: CompiledRule, record: LogRecord): boolean {
  if (c.levels && !c.levels.has(record.log.level)) return false;
  if (c.services && !c.services.test(record.service.name)) return false;
  if (c.environments && !c.environments.test(record.deployment?.environment ?? '')) return false;
  if (c.pattern && !c.pattern.test(record.message)) return false;
  return true;
}

function defaultClass(config: RoutingConfig, level: LogLevel): string {
  if (level === 'error' || level === 'fatal') return config.default_classes.error;
  if (level === 'debug' || level === 'trace') return config.default_classes.debug;
  return config.default_classes.other;
}

/** The first matching rule decides; unmatched records go to the class of their level. */
export function routeRecord(routing: CompiledRouting, record: LogRecord, documentId: string): RoutingDecision {
  for (const c of routing.rules) {
    if (!matches(c, record)) continue;
    const rule = c.rule;
    switch (rule.action) {
      case 'drop':
        return { action: 'drop', rule: rule.name, reason: 'dropped' };
      case 'sample':
        if (stableFraction(documentId) >= rule.rate) return { action: 'drop', rule: rule.name, reason: 'sampled_out' };
        return { action: 'keep', retentionClass: defaultClass(routing.config, record.log.level), rule: rule.name };
      case 'route':
        return { action: 'keep', retentionClass: rule.class, rule: rule.name };
    }
  }
  return { action: 'keep', retentionClass: defaultClass(routing.config, record.log.level) };
}
