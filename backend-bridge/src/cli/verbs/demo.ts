import { Bridge } from '../../bridge/bridge.js';
import { defaultModules } from '../../bridge/modules.js';
import { loadBridgeConfig } from '../../config/files.js';
import { createKafka, DurableProducer } from '../../adapters/kafka/index.js';
import { startDemoTraffic } from '../../demo/producer.js';
import { DEMO_SERVICES } from '../../demo/estate.js';
import { esUrl, kafkaBrokers, startStack, stopStack } from '../../stack/index.js';
import { startProgress, untilSignal } from '../progress.js';
import { CliUsageError, type CliVerb } from '../types.js';

const usage = `usage: cairn demo [--rate N] [--duration SECONDS] [--keep-stack] [--port N]

Starts a real Elasticsearch node and Kafka broker on 127.0.0.1 (downloaded from Maven Central and cached
on first use), the bridge, and a demo estate of ${DEMO_SERVICES.length} services sending JSON, logfmt,
syslog, access-log and plain-text lines with W3C trace context, with an incident now and then. Shows live
progress; Ctrl-C (or --duration) stops everything cleanly (the stack too, unless --keep-stack).
--rate: requests per second at peak (default 60; each request logs on several services).`;

export const demoVerb: CliVerb = {
  name: 'demo',
  summary: 'start the stack, the bridge and demo traffic, with live progress',
  usage,
  async run(argv, io) {
    let rate = 60;
    let duration: number | undefined;
    let keepStack = false;
    let port = 8080;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--rate') rate = Number(argv[++i]);
      else if (arg === '--duration') duration = Number(argv[++i]);
      else if (arg === '--port') port = Number(argv[++i]);
      else if (arg === '--keep-stack') keepStack = true;
      else throw new CliUsageError(`unknown argument: ${arg}`);
      if (argv[i] === undefined) throw new CliUsageError(`${arg} needs a value`);
    }
    if (!(rate > 0 && rate <= 10_000)) throw new CliUsageError('--rate must be between 0 and 10000');
    if (duration !== undefined && !(duration > 0)) throw new CliUsageError('--duration must be a positive number of seconds');
    const log = (m: string) => io.stderr.write(`${m}\n`);
    log('starting Elasticsearch and Kafka (first run downloads them from Maven Central)…');
    await startStack({ log });
    const config = loadBridgeConfig(undefined, { ...process.env, CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
    config.api.listen_port = port;
    const bridge = new Bridge({ config, token: process.env.CAIRN_BRIDGE_TOKEN, modules: defaultModules(), log });
    const { port: listening } = await bridge.start();
    log(`bridge on http://127.0.0.1:${listening} — try /health, /metrics, /api/v1/services; Elasticsearch on ${esUrl()}`);
    const producer = new DurableProducer(createKafka({ brokers: config.sources.kafka_logs.brokers, clientId: 'cairn-demo' }));
    const traffic = startDemoTraffic(producer, {
      topic: config.sources.kafka_logs.topic,
      peakRequestsPerSecond: rate,
      seed: Date.now() & 0xffff,
      incidentEveryMinutes: 10,
      onIncident: (i) => log(`\n[demo] incident: ${i.kind} on ${i.service} for ${Math.round((i.endMs - i.startMs) / 60_000)} min`),
    });
    const stopProgress = startProgress(bridge.metrics, io.stderr);
    const reason = await Promise.race([
      untilSignal(),
      ...(duration ? [new Promise<string>((resolve) => setTimeout(() => resolve('duration reached'), duration * 1000))] : []),
    ]);
    stopProgress();
    log(`${reason}: stopping demo traffic, bridge${keepStack ? '' : ' and stack'}…`);
    const sent = await traffic.stop();
    await producer.disconnect();
    await bridge.stop();
    if (!keepStack) await stopStack({ log });
    log(`sent ${sent} demo lines; indexed ${bridge.metrics.linesOut.total()}`);
    return 0;
  },
};
