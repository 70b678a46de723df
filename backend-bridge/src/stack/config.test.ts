import { describe, expect, it } from 'vitest';
import {
  javaStringHash,
  mmapAllowed,
  probeGroupsCoveringPartitions,
  newKafkaClusterId,
  parsePort,
  renderEsJvmOptions,
  renderEsYml,
  renderKafkaPom,
  renderKafkaProperties,
} from './config.js';

function props(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
  );
}

describe('renderEsYml', () => {
  const base = { port: 9201, dataDir: '/c/es data', logsDir: '/c/logs', repoDir: '/c/snap', allowMmap: true };

  it('renders a single-node, plain-HTTP, loopback node with test-friendly settings', () => {
    const yml = renderEsYml(base);
    expect(yml).toContain('discovery.type: single-node');
    expect(yml).toContain('network.host: 127.0.0.1');
    expect(yml).toContain('http.port: 9201');
    expect(yml).toContain('xpack.security.enabled: false');
    expect(yml).toContain('cluster.routing.allocation.disk.threshold_enabled: false');
    expect(yml).toContain('action.destructive_requires_name: false');
    expect(yml).toContain('path.data: "/c/es data"');
    expect(yml).toContain('path.repo: ["/c/snap"]');
    expect(yml).not.toContain('allow_mmap');
  });

  it('turns mmap off when vm.max_map_count is too low', () => {
    expect(renderEsYml({ ...base, allowMmap: false })).toContain('node.store.allow_mmap: false');
  });
});

describe('renderEsJvmOptions', () => {
  it('pins min and max heap to the same size', () => {
    expect(renderEsJvmOptions('1g').split('\n')).toEqual(['-Xms1g', '-Xmx1g', '']);
  });
  it('rejects junk heap sizes', () => {
    expect(() => renderEsJvmOptions('lots')).toThrow(/invalid heap/);
    expect(() => renderEsJvmOptions('0g')).toThrow(/invalid heap/);
  });
});

describe('renderKafkaProperties', () => {
  it('renders a KRaft combined node on the given ports with test settings', () => {
    const p = props(renderKafkaProperties({ port: 19092, controllerPort: 19093, logDir: '/c/kafka/data' }));
    expect(p.get('process.roles')).toBe('broker,controller');
    expect(p.get('node.id')).toBe('1');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(p.get('log.dirs')).toBe('/c/kafka/data');
    expect(p.get('num.partitions')).toBe('6');
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('transaction.state.log.min.isr')).toBe('1');
    expect(p.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(p.get('auto.create.topics.enable')).toBe('false');
  });
});

describe('renderKafkaPom', () => {
  it('depends on kafka_2.13 3.9.1 and a log4j binding', () => {
    const pom = renderKafkaPom();
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>3.9.1</version>');
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
  });
});

describe('newKafkaClusterId', () => {
  it('is a 22-char URL-safe base64 UUID and differs per call', () => {
    const a = newKafkaClusterId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newKafkaClusterId()).not.toBe(a);
  });
});

describe('parsePort', () => {
  it('falls back on unset or blank, parses valid ports, rejects junk', () => {
    expect(parsePort(undefined, 9200, 'X')).toBe(9200);
    expect(parsePort(' ', 9200, 'X')).toBe(9200);
    expect(parsePort('19200', 9200, 'X')).toBe(19200);
    expect(() => parsePort('70000', 9200, 'CAIRN_ES_PORT')).toThrow(/CAIRN_ES_PORT/);
    expect(() => parsePort('abc', 9200, 'X')).toThrow();
  });
});

describe('mmapAllowed', () => {
  it('needs vm.max_map_count >= 262144', () => {
    expect(mmapAllowed('65530\n')).toBe(false);
    expect(mmapAllowed('262144\n')).toBe(true);
    expect(mmapAllowed(undefined)).toBe(false);
  });
});

describe('probeGroupsCoveringPartitions', () => {
  it('matches Java String.hashCode', () => {
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('the quick brown fox')).toBe(1302335171);
  });

  it('yields one group per offsets partition, covering all of them', () => {
    const groups = probeGroupsCoveringPartitions(50);
    expect(groups).toHaveLength(50);
    const partitions = new Set(groups.map((g) => (javaStringHash(g) & 0x7fffffff) % 50));
    expect(partitions.size).toBe(50);
  });
});
