import { Bridge } from '../../bridge/bridge.js';
import { ConfigFileError, loadBridgeConfig } from '../../config/files.js';
import { defaultModules } from '../../bridge/modules.js';
import { startProgress, untilSignal } from '../progress.js';
import { CliUsageError, type CliVerb } from '../types.js';

const usage = `usage: cairn bridge [--config FILE] [--rules FILE] [--port N] [--no-progress]

Runs the bridge: consumes cairn.logs from Kafka, normalizes, masks, mines templates, routes and indexes
into Elasticsearch; serves /health, /metrics and the /api/v1 API. Environment: CAIRN_ES_URL,
CAIRN_KAFKA_BROKERS, CAIRN_BRIDGE_PORT, CAIRN_BRIDGE_TOKEN (API bearer token). Stops cleanly on Ctrl-C.`;

export const bridgeVerb: CliVerb = {
  name: 'bridge',
  summary: 'run the bridge (Kafka → Elasticsearch pipeline and HTTP API)',
  usage,
  async run(argv, io) {
    let configFile: string | undefined;
    let rules: string | undefined;
    let port: number | undefined;
    let progress = true;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--config') configFile = argv[++i];
      else if (arg === '--rules') rules = argv[++i];
      else if (arg === '--port') port = Number(argv[++i]);
      else if (arg === '--no-progress') progress = false;
      else throw new CliUsageError(`unknown argument: ${arg}`);
      if (argv[i] === undefined) throw new CliUsageError(`${arg} needs a value`);
    }
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new CliUsageError('--port must be 0-65535');
    let config;
    try {
      config = loadBridgeConfig(configFile);
    } catch (error) {
      if (error instanceof ConfigFileError) {
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
    if (port !== undefined) config.api.listen_port = port;
    const bridge = new Bridge({
      config,
      routingFile: rules,
      token: process.env.CAIRN_BRIDGE_TOKEN,
      modules: defaultModules(),
      log: (m) => io.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
    const started = await bridge.start();
    io.stderr.write(`bridge listening on http://${config.api.listen_host}:${started.port} (health: /health, metrics: /metrics)\n`);
    const stopProgress = progress ? startProgress(bridge.metrics, io.stderr) : () => undefined;
    const signal = await untilSignal();
    stopProgress();
    io.stderr.write(`${signal}: stopping the bridge…\n`);
    await bridge.stop();
    return 0;
  },
};
