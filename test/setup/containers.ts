// Docker path of the integration setup: the same topology as docker-compose.yml, through
// testcontainers. Used only when a Docker engine answers (never on the CI machines, which
// have none; see docs/infra.md).
import { existsSync } from 'node:fs';
import type { StackInfo } from './infra.js';

const IMAGES = {
  kafka: 'confluentinc/cp-kafka:7.9.1',
  registry: 'confluentinc/cp-schema-registry:7.9.1',
  clickhouse: 'clickhouse/clickhouse-server:25.8',
};

/** True when a Docker engine answers (not just a docker client being installed). */
export async function dockerAnswers(): Promise<boolean> {
  if (process.env.PRAXIS_TEST_NO_DOCKER === '1') return false;
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    return Boolean(client.info.containerRuntime.serverVersion);
  } catch {
    return false;
  }
}

export async function startContainers(): Promise<{ stack: StackInfo; stop: () => Promise<void> }> {
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const network = await new Network().start();
  const kafka = await new KafkaContainer(IMAGES.kafka).withKraft().withNetwork(network).withNetworkAliases('kafka').start();
  const registry = await new GenericContainer(IMAGES.registry)
    .withNetwork(network)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:9092',
    })
    .withExposedPorts(8081)
    .withWaitStrategy(Wait.forHttp('/subjects', 8081))
    .start();
  const clickhouse = await new GenericContainer(IMAGES.clickhouse)
    .withNetwork(network)
    .withEnvironment({ CLICKHOUSE_SKIP_USER_SETUP: '1' })
    .withExposedPorts(8123)
    .withWaitStrategy(Wait.forHttp('/ping', 8123))
    .start();
  return {
    stack: {
      mode: 'docker',
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      registryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
      clickhouseUrl: `http://${clickhouse.getHost()}:${clickhouse.getMappedPort(8123)}`,
    },
    stop: async () => {
      await Promise.allSettled([clickhouse.stop(), registry.stop(), kafka.stop()]);
      await network.stop();
    },
  };
}
