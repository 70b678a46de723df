import type { DurableProducer, OutgoingMessage } from '../adapters/kafka/index.js';
import { generateRequest, planIncidents, seasonalFactor, seededRandom, type Incident } from './estate.js';

export interface DemoTrafficOptions {
  topic: string;
  /** Requests per second at the weekly peak; each request logs on several services. */
  peakRequestsPerSecond: number;
  seed: number;
  /** Minutes between incidents, on average. */
  incidentEveryMinutes: number;
  onIncident?: (incident: Incident) => void;
}

/** Sends demo traffic in real time until stopped; resolves with the number of lines sent. */
export function startDemoTraffic(producer: DurableProducer, options: DemoTrafficOptions): { stop: () => Promise<number> } {
  const rand = seededRandom(options.seed);
  const start = Date.now();
  const incidents = planIncidents(rand, start, start + 7 * 24 * 3600_000, options.incidentEveryMinutes * 60_000);
  const announced = new Set<Incident>();
  let sent = 0;
  let stopped = false;
  let carry = 0;
  const tickMs = 200;
  const loop = (async () => {
    while (!stopped) {
      const now = Date.now();
      const expected = (options.peakRequestsPerSecond * seasonalFactor(now) * tickMs) / 1000 + carry;
      const requests = Math.floor(expected);
      carry = expected - requests;
      const messages: OutgoingMessage[] = [];
      for (let i = 0; i < requests; i++) {
        for (const line of generateRequest(rand, now + Math.floor(rand() * tickMs), incidents)) {
          messages.push({ key: line.service, value: line.line });
        }
      }
      for (const incident of incidents) {
        if (!announced.has(incident) && now >= incident.startMs) {
          announced.add(incident);
          options.onIncident?.(incident);
        }
      }
      try {
        await producer.send(options.topic, messages);
        sent += messages.length;
      } catch {
        // The broker is restarting: the demo skips this tick rather than buffering without bound.
      }
      const wait = tickMs - (Date.now() - now);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return sent;
    },
  };
}
