export {
  startStack,
  stopStack,
  stackStatus,
  startElasticsearch,
  stopElasticsearch,
  startKafka,
  stopKafka,
  restartKafka,
  type StartStackOptions,
  type StackStatus,
  type ServiceStatus,
  type StackService,
} from './stack.js';
export { esUrl, kafkaBrokers, stackPaths, stackPorts, type StackPaths, type StackPorts } from './env.js';
export { ES_VERSION, KAFKA_VERSION } from './config.js';
