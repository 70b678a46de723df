import { z } from 'zod';

const ServiceStateSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65_535),
  startedAt: z.string(),
  logFile: z.string(),
});

const KafkaStateSchema = ServiceStateSchema.extend({
  controllerPort: z.number().int().min(1).max(65_535),
  clusterId: z.string().min(1),
});

const StackStateSchema = z.object({
  elasticsearch: ServiceStateSchema.optional(),
  kafka: KafkaStateSchema.optional(),
});

export type ServiceState = z.infer<typeof ServiceStateSchema>;
export type KafkaState = z.infer<typeof KafkaStateSchema>;
export type StackState = z.infer<typeof StackStateSchema>;

/** Parses the state file; anything unreadable counts as "nothing running" so a corrupt file never blocks a start. */
export function parseState(text: string | undefined): StackState {
  if (text === undefined || text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const obj = raw as Record<string, unknown>;
  // Each service is validated on its own so one bad entry does not hide the other's live PID.
  const es = ServiceStateSchema.safeParse(obj['elasticsearch']);
  const kafka = KafkaStateSchema.safeParse(obj['kafka']);
  const state: StackState = {};
  if (es.success) state.elasticsearch = es.data;
  if (kafka.success) state.kafka = kafka.data;
  return state;
}

export function serializeState(state: StackState): string {
  return JSON.stringify(StackStateSchema.parse(state), null, 2) + '\n';
}

/** Drops entries whose process is gone (stale after a reboot or a kill -9). */
export function pruneState(
  state: StackState,
  isAlive: (pid: number, kind: 'elasticsearch' | 'kafka') => boolean
): StackState {
  const next: StackState = {};
  if (state.elasticsearch && isAlive(state.elasticsearch.pid, 'elasticsearch'))
    next.elasticsearch = state.elasticsearch;
  if (state.kafka && isAlive(state.kafka.pid, 'kafka')) next.kafka = state.kafka;
  return next;
}
