/**
 * The bridge container's entry point on AWS (Fargate, beside IB Gateway or ib-sim): reads the
 * environment once, wires the AWS adapters, serves a loopback health endpoint for the container
 * health check, and turns SIGTERM into a clean stop. The local runtime does not use this file; it
 * calls `createGatewayService` directly with its own adapters.
 */
import { createServer } from 'node:http';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgePublisher } from '../../lib/adapters/bus/eventbridge-publisher.js';
import { createDynamoDbClients, DynamoDbAccountStore, DynamoDbFillStore, DynamoDbHealthStore, DynamoDbOrderStore, DynamoDbPositionStore, DynamoDbQuoteStore, DynamoDbTradingStateStore } from '../../lib/adapters/dynamodb/index.js';
import { JsonLogger } from '../../lib/adapters/log/json-logger.js';
import { SnsNotifier } from '../../lib/adapters/notify/sns-notifier.js';
import { SqsCommandConsumer } from '../../lib/adapters/queue/sqs-command-queue.js';
import { loadConfig, RUNTIME_ENV } from '../../lib/config/index.js';
import { createGatewayService } from './gateway-service.js';
// kill switch
import { DynamoDbKillSwitchStore } from '../../lib/adapters/dynamodb/kill-switch-store.js';
import { DynamoDbPriceHistoryStore } from '../../lib/adapters/dynamodb/price-history-store.js';

/** Loopback port of the bridge's own health endpoint (read by `healthcheck.ts`, which repeats the name: importing this file starts the bridge). */
const BRIDGE_HEALTH_PORT_ENV = 'TRADEOPS_BRIDGE_HEALTH_PORT';
const DEFAULT_BRIDGE_HEALTH_PORT = 8081;

function required(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`environment variable ${name} is required`);
  return v;
}

async function main(): Promise<void> {
  const logger = new JsonLogger({ stream: process.stdout, level: 'info', fields: { component: 'gateway' } });
  const envName = required(RUNTIME_ENV.env);
  const config = loadConfig(envName);
  const region = process.env['AWS_REGION'] ?? required('AWS_DEFAULT_REGION');
  const { doc } = createDynamoDbClients({ region });
  const table = { doc, tableName: required(RUNTIME_ENV.stateTable) };
  const topics = Object.fromEntries((['oncall', 'risk_manager', 'compliance', 'management'] as const).flatMap((a) => {
    const arn = process.env[`${RUNTIME_ENV.topicPrefix}${a.toUpperCase()}`];
    return arn === undefined ? [] : [[a, arn]];
  }));
  const clock = { now: () => new Date() };

  const gateway = createGatewayService({
    config: {
      host: process.env['TRADEOPS_BROKER_HOST'] ?? config.broker.host,
      port: Number(process.env['TRADEOPS_BROKER_PORT'] ?? config.broker.port),
      clientId: config.broker.clientId,
      accountId: config.account.id,
      maxMessagesPerSecond: config.broker.maxMessagesPerSecond,
      connectTimeoutMs: config.broker.connectTimeoutMs,
      watchdogIntervalMs: config.broker.watchdog.intervalMs,
      watchdogTimeoutMs: config.broker.watchdog.timeoutMs,
      reconnect: { initialDelayMs: config.broker.reconnect.initialDelayMs, maxDelayMs: config.broker.reconnect.maxDelayMs },
      heartbeatIntervalMs: config.broker.heartbeatIntervalMs,
      universe: config.universe,
      // broker resilience (issue 4): an outage inside a known gateway window pages nobody
      maintenanceWindows: config.broker.maintenanceWindows,
      // VaR history: daily bars for the universe on login and after each close, into the price-history store
      history: config.risk.history,
    },
    stores: {
      tradingState: new DynamoDbTradingStateStore(table),
      orders: new DynamoDbOrderStore(table),
      fills: new DynamoDbFillStore(table),
      positions: new DynamoDbPositionStore(table),
      accounts: new DynamoDbAccountStore(table),
      quotes: new DynamoDbQuoteStore(table),
      health: new DynamoDbHealthStore(table),
      // kill switch: strategy halts at the final gate, the cancel verdict for /api/system/status
      killSwitch: new DynamoDbKillSwitchStore(table),
      priceHistory: new DynamoDbPriceHistoryStore(table),
    },
    publisher: new EventBridgePublisher({ client: new EventBridgeClient({ region }), eventBusName: required(RUNTIME_ENV.eventBus) }),
    commands: new SqsCommandConsumer({ client: new SQSClient({ region }), queueUrl: required(RUNTIME_ENV.commandQueueUrl), logger: logger.child({ part: 'command-queue' }) }),
    notifier: new SnsNotifier({ client: new SNSClient({ region }), topics, logger }),
    logger,
    clock,
  });

  // Loopback only: the container health check asks "logged in and the API answers?".
  const health = createServer((req, res) => {
    const s = gateway.status();
    const body = JSON.stringify(s);
    res.writeHead(req.url === '/health' && s.health === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
    res.end(body);
  });
  health.listen(Number(process.env[BRIDGE_HEALTH_PORT_ENV] ?? DEFAULT_BRIDGE_HEALTH_PORT), '127.0.0.1');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('signal received, stopping', { signal });
    gateway
      .stop()
      .then(() => {
        health.close();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error('stop failed', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await gateway.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', msg: 'gateway failed to start', error: error instanceof Error ? { message: error.message, code: (error as { code?: unknown }).code } : String(error) })}\n`);
  process.exit(1);
});
