import { randomBytes } from 'node:crypto';

/** Pinned versions: see docs/stack.md for why these. */
export const ES_VERSION = '8.19.7';
export const ES_ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
export const KAFKA_VERSION = '3.9.1';
export const KAFKA_ARTIFACT = `org.apache.kafka:kafka_2.13:${KAFKA_VERSION}`;
/** Kafka's own distribution logs through slf4j + reload4j; the Maven artifact ships no binding. */
export const KAFKA_LOGGING_ARTIFACTS = ['org.slf4j:slf4j-reload4j:1.7.36', 'ch.qos.reload4j:reload4j:1.2.25'];
/** Below this Elasticsearch cannot mmap its indices (its bootstrap check's threshold). */
export const MIN_MAX_MAP_COUNT = 262_144;

export interface EsConfigInput {
  port: number;
  dataDir: string;
  logsDir: string;
  repoDir: string;
  allowMmap: boolean;
}

/** Renders elasticsearch.yml for a single-node, plain-HTTP, test-friendly node. */
export function renderEsYml(c: EsConfigInput): string {
  const lines = [
    '# Written by cairn stack on every start: edit backend-bridge/src/stack/config.ts instead.',
    'cluster.name: cairn-dev',
    'node.name: cairn-es-1',
    'discovery.type: single-node',
    'network.host: 127.0.0.1',
    `http.port: ${c.port}`,
    // Transport port range picked freely so two stacks on one box do not collide on 9300.
    'transport.port: 9300-9399',
    `path.data: ${yamlString(c.dataDir)}`,
    `path.logs: ${yamlString(c.logsDir)}`,
    `path.repo: [${yamlString(c.repoDir)}]`,
    'xpack.security.enabled: false',
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'action.destructive_requires_name: false',
  ];
  if (!c.allowMmap) lines.push('node.store.allow_mmap: false');
  return lines.join('\n') + '\n';
}

/** JVM options file dropped into config/jvm.options.d (heap like "1g" or "512m"). */
export function renderEsJvmOptions(heap: string): string {
  assertHeap(heap);
  return [`-Xms${heap}`, `-Xmx${heap}`, ''].join('\n');
}

export interface KafkaConfigInput {
  port: number;
  controllerPort: number;
  logDir: string;
  numPartitions?: number;
}

/** Renders server.properties for a KRaft combined broker+controller on loopback. */
export function renderKafkaProperties(c: KafkaConfigInput): string {
  const props: Array<[string, string | number]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${c.controllerPort}`],
    ['listeners', `PLAINTEXT://127.0.0.1:${c.port},CONTROLLER://127.0.0.1:${c.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${c.port}`],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['controller.listener.names', 'CONTROLLER'],
    ['listener.security.protocol.map', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT'],
    ['log.dirs', c.logDir],
    ['num.partitions', c.numPartitions ?? 6],
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'false'],
    ['delete.topic.enable', 'true'],
    ['log.retention.hours', 168],
    ['log.segment.bytes', 134_217_728],
  ];
  return props.map(([k, v]) => `${k}=${String(v)}`).join('\n') + '\n';
}

/** log4j 1.x config: warnings and up to a file, so the broker does not flood its stdout log. */
export function renderKafkaLog4j(logFile: string): string {
  return [
    'log4j.rootLogger=WARN, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.MaxFileSize=10MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // Startup banner lines ("started", "Kafka version") make the log useful when health fails.
    'log4j.logger.kafka.server.KafkaRaftServer=INFO',
    'log4j.logger.kafka.server.BrokerServer=INFO',
    '',
  ].join('\n');
}

/** Throwaway pom whose only purpose is `mvn dependency:copy-dependencies` of the broker's runtime. */
export function renderKafkaPom(): string {
  const deps = [KAFKA_ARTIFACT, ...KAFKA_LOGGING_ARTIFACTS]
    .map((coord) => {
      const [groupId, artifactId, version] = coord.split(':');
      return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>cairn.stack</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

/** A KRaft cluster ID: 16 random bytes, URL-safe base64 without padding (22 chars), like `kafka-storage random-uuid`. */
export function newKafkaClusterId(): string {
  return randomBytes(16).toString('base64url');
}

function assertHeap(heap: string): void {
  if (!/^[1-9][0-9]*[mg]$/i.test(heap)) throw new Error(`invalid heap size "${heap}" (expected e.g. 512m or 1g)`);
}

/** Double-quoted YAML scalar, so paths with spaces or colons survive. */
function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** Parses a port from an env var, falling back to a default; rejects junk loudly. */
export function parsePort(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new Error(`${name}="${raw}" is not a valid TCP port`);
  return n;
}

/** Reads vm.max_map_count's text and decides whether Elasticsearch may mmap. */
export function mmapAllowed(maxMapCountText: string | undefined): boolean {
  if (maxMapCountText === undefined) return false;
  const n = Number(maxMapCountText.trim());
  return Number.isFinite(n) && n >= MIN_MAX_MAP_COUNT;
}

/** Java's String.hashCode, which Kafka uses to place a consumer group on a __consumer_offsets partition. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Group IDs that land on every one of `partitions` offsets partitions, so a probe can prove each coordinator is loaded. */
export function probeGroupsCoveringPartitions(partitions: number, prefix = 'cairn-stack-probe-'): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < partitions; i++) {
    const id = `${prefix}${i}`;
    const partition = (javaStringHash(id) & 0x7fffffff) % partitions;
    if (!byPartition.has(partition)) byPartition.set(partition, id);
  }
  return [...byPartition.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
}
