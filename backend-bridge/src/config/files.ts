import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { bridgeConfigSchema, routingConfigSchema, type BridgeConfig, type RoutingConfig } from '@cairn/contract';
import { compileRouting, RoutingRuleError, type CompiledRouting } from '../domain/routing/index.js';
import { formatConfigIssues, parseConfigText } from './parseConfigText.js';

/** A config file that failed validation; the message lists every problem with its line. */
export class ConfigFileError extends Error {}

/** Environment overrides, so the demo, tests and containers need no file at all. */
function applyEnv(config: BridgeConfig, env: NodeJS.ProcessEnv): BridgeConfig {
  if (env.CAIRN_ES_URL) config.sinks.es_logs.url = env.CAIRN_ES_URL;
  if (env.CAIRN_KAFKA_BROKERS) config.sources.kafka_logs.brokers = env.CAIRN_KAFKA_BROKERS.split(',').map((b) => b.trim());
  if (env.CAIRN_BRIDGE_PORT) config.api.listen_port = Number(env.CAIRN_BRIDGE_PORT);
  return config;
}

export function loadBridgeConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const text = path ? readFileSync(path, 'utf8') : '{}';
  const result = parseConfigText(text, bridgeConfigSchema);
  if (!result.ok) throw new ConfigFileError(`invalid config\n${formatConfigIssues(path ?? '(defaults)', result.issues)}`);
  return applyEnv(result.value, env);
}

export function parseRoutingText(text: string, file: string): CompiledRouting {
  const result = parseConfigText(text, routingConfigSchema);
  if (!result.ok) throw new ConfigFileError(formatConfigIssues(file, result.issues));
  try {
    return compileRouting(result.value);
  } catch (error) {
    if (error instanceof RoutingRuleError) throw new ConfigFileError(`${file}: rules.${error.ruleIndex}: ${error.message}`);
    throw error;
  }
}

export const DEFAULT_ROUTING: RoutingConfig = routingConfigSchema.parse({});

/**
 * Routing rules from a file, validated at start (a bad file stops the start) and re-read when the file
 * changes; a bad edit is refused with its errors logged and the last good rules stay in force.
 */
export class RoutingRules {
  private current: CompiledRouting;
  constructor(
    private readonly file: string | undefined,
    private readonly log: (message: string) => void
  ) {
    this.current = file ? parseRoutingText(readFileSync(file, 'utf8'), file) : compileRouting(DEFAULT_ROUTING);
  }

  get = (): CompiledRouting => this.current;

  reload(): boolean {
    if (!this.file) return false;
    try {
      this.current = parseRoutingText(readFileSync(this.file, 'utf8'), this.file);
      this.log(`routing rules reloaded from ${this.file} (${this.current.rules.length} rules)`);
      return true;
    } catch (error) {
      this.log(`routing rules NOT reloaded, keeping the last good ones: ${(error as Error).message}`);
      return false;
    }
  }

  watch(intervalMs = 1000): void {
    if (!this.file) return;
    watchFile(this.file, { interval: intervalMs }, (curr, prev) => {
      if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size) this.reload();
    });
  }

  unwatch(): void {
    if (this.file) unwatchFile(this.file);
  }
}
