import type { OutgoingMessage } from '../../backend-bridge/src/adapters/kafka/index.js';

const MINUTE_MS = 60_000;

export interface SeededLogs {
  messages: OutgoingMessage[];
  /** First minute with lines (epoch ms, minute start). */
  fromMs: number;
  /** Start of the first minute of the volume spike. */
  incidentFromMs: number;
  /** End (exclusive) of the last complete minute with lines. */
  toMs: number;
}

/**
 * Three hours of a service's logs ending two minutes ago: 8-12 lines a minute (enough history for the seasonal
 * band, which needs 120 minutes) and, in the last seven minutes, a burst of payment timeouts at four times the volume.
 */
export function seedLogs(service: string, nowMs: number, historyMinutes = 180, incidentMinutes = 7): SeededLogs {
  const lastMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 2 * MINUTE_MS;
  const fromMs = lastMinute - (historyMinutes - 1) * MINUTE_MS;
  const incidentFromMs = lastMinute - (incidentMinutes - 1) * MINUTE_MS;
  const messages: OutgoingMessage[] = [];
  let n = 0;
  const line = (t: number, level: string, msg: string) =>
    messages.push({ key: service, value: JSON.stringify({ '@timestamp': new Date(t).toISOString(), level, msg }) });
  for (let minute = fromMs; minute <= lastMinute; minute += MINUTE_MS) {
    const incident = minute >= incidentFromMs;
    const count = incident ? 44 : 8 + ((minute / MINUTE_MS) % 5);
    for (let i = 0; i < count; i++, n++) {
      const t = minute + Math.floor((i * MINUTE_MS) / count);
      if (incident && i % 4 !== 0) {
        line(t, 'error', `payment provider timeout after ${3000 + (n % 7) * 100}ms for order ${10_000 + n}`);
      } else if (n % 3 === 0) {
        line(t, 'info', `GET /api/cart/${n % 97} 200 in ${12 + (n % 40)}ms`);
      } else if (n % 3 === 1) {
        line(t, 'info', `user u${n % 53} logged in`);
      } else {
        line(t, n % 41 === 0 ? 'error' : 'warn', `cache miss for key sku-${n % 211}`);
      }
    }
  }
  return { messages, fromMs, incidentFromMs, toMs: lastMinute + MINUTE_MS };
}
