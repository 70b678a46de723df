import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { LogRecord } from '@cairn/contract';
import {
  compilePolicy,
  defaultMaskingPolicy,
  maskLogRecord,
  maskText,
  parseMaskingPolicy,
  type CompiledMaskingPolicy,
  type MaskableLogRecord,
} from '../../domain/masking/index.js';
import { lineDiff } from '../../domain/masking/policyDiff.js';
import type { BridgeContext, BridgeModule, BridgeModuleFactory } from '../../bridge/module.js';

export const AUDIT_INDEX = 'cairn-audit';

export interface MaskingModuleOptions {
  /** Policy file (YAML or JSON); the built-in default policy when absent. Env: CAIRN_MASKING_POLICY. */
  policyFile?: string;
  /** Who changes the policy, for the audit trail. Env: CAIRN_ACTOR; default the OS user at this host. */
  actor?: string;
  pollIntervalMs?: number;
}

export interface PolicyAuditEvent {
  '@timestamp': string;
  event: { kind: 'policy_change'; outcome: 'accepted' | 'refused'; action: 'masking_policy_load' | 'masking_policy_reload' };
  user: { name: string };
  host: { name: string };
  file: { path: string };
  diff: string;
  errors?: string[];
}

/**
 * Masking at ingest (F4, X1–X3): every record is masked before routing and indexing, and raw lines before
 * they go to the dead-letter topic. The policy file is validated at start (a bad one stops the start),
 * re-read when it changes (a bad edit is refused, the last good policy stays), and every change is written
 * to the append-only `cairn-audit` index with who, when and the diff.
 */
export function maskingModule(options: MaskingModuleOptions = {}): BridgeModuleFactory {
  return (ctx: BridgeContext): BridgeModule => {
    const file = options.policyFile ?? process.env.CAIRN_MASKING_POLICY;
    const actor = options.actor ?? process.env.CAIRN_ACTOR ?? `${userInfo().username}@${hostname()}`;
    let text = file ? readFileSync(file, 'utf8') : '';
    const load = (source: string): CompiledMaskingPolicy => {
      const parsed = parseMaskingPolicy(source);
      if (!parsed.ok) throw new Error(`invalid masking policy ${file}:\n${parsed.errors.map((e) => `${file}:${e.line}: ${e.path}: ${e.message}`).join('\n')}`);
      return compilePolicy(parsed.policy);
    };
    let compiled = file ? load(text) : compilePolicy(defaultMaskingPolicy);

    const audit = async (event: Omit<PolicyAuditEvent, '@timestamp' | 'user' | 'host'>): Promise<void> => {
      const doc: PolicyAuditEvent = { '@timestamp': new Date().toISOString(), user: { name: actor }, host: { name: hostname() }, ...event };
      try {
        await ctx.es.index({ index: AUDIT_INDEX, document: doc, op_type: 'create', refresh: 'wait_for' });
      } catch (error) {
        ctx.log(`audit write failed (policy change still logged here): ${JSON.stringify(doc)}: ${(error as Error).message}`);
      }
    };

    const reload = async (): Promise<boolean> => {
      if (!file) return false;
      const next = readFileSync(file, 'utf8');
      if (next === text) return false;
      const diff = lineDiff(text, next);
      try {
        compiled = load(next);
      } catch (error) {
        ctx.log(`masking policy NOT reloaded, the last good one stays in force: ${(error as Error).message}`);
        await audit({ event: { kind: 'policy_change', outcome: 'refused', action: 'masking_policy_reload' }, file: { path: file }, diff, errors: [(error as Error).message] });
        return false;
      }
      text = next;
      ctx.log(`masking policy reloaded from ${file}`);
      await audit({ event: { kind: 'policy_change', outcome: 'accepted', action: 'masking_policy_reload' }, file: { path: file }, diff });
      return true;
    };

    return {
      name: 'masking',
      processor: (record: LogRecord): LogRecord => {
        const result = maskLogRecord(record as unknown as MaskableLogRecord, compiled);
        for (const rule in result.hits) ctx.metrics.masked.inc({ rule }, result.hits[rule]);
        return result.record as unknown as LogRecord;
      },
      maskRaw: (raw: string): string => maskText(raw, compiled).text,
      start: async () => {
        if (!file) return;
        await audit({ event: { kind: 'policy_change', outcome: 'accepted', action: 'masking_policy_load' }, file: { path: file }, diff: lineDiff('', text) });
        watchFile(file, { interval: options.pollIntervalMs ?? 1000 }, () => void reload());
      },
      stop: async () => {
        if (file) unwatchFile(file);
      },
    };
  };
}

export const createMaskingModule: BridgeModuleFactory = maskingModule();
