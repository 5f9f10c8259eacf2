import { randomBytes } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { AgentDeps } from '../../lib/app/agents.js';
import { AgentSettingsSchema } from '../../lib/app/agent-settings.js';
import { createDynamoDbClients, createDynamoDbStores } from '../../lib/adapters/dynamodb/index.js';
import { EventBridgePublisher } from '../../lib/adapters/bus/eventbridge-publisher.js';
import { SqsCommandQueue } from '../../lib/adapters/queue/sqs-command-queue.js';
import { SnsNotifier } from '../../lib/adapters/notify/sns-notifier.js';
import { SfnWorkflowRunner } from '../../lib/adapters/workflows/sfn-workflow-runner.js';
import { PowertoolsLoggerAdapter } from '../../lib/adapters/log/powertools-logger.js';
import { RUNTIME_ENV } from '../../lib/config/runtime-env.js';
import { AUDIENCES } from '../../lib/config/schema.js';
import { createIdGenerator } from '../../lib/core/shared/ids-gen.js';
import { TradeOpsError } from '../../lib/core/shared/errors.js';
import type { MetricsSink } from '../../lib/ports/metrics.js';

/** A capability the catalog did not grant this function: fails loudly on first use, never silently. */
function notGranted<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new TradeOpsError('AGENT.NOT_GRANTED', `${what} is not among this agent's catalogued needs (lib/catalog/agents.ts)`)),
  });
}

/**
 * The AWS wiring of `AgentDeps`, from the environment the CDK bind methods set. Only what the
 * agent's catalog `needs` granted is present; the rest fails on first use with AGENT.NOT_GRANTED.
 */
export function awsAgentDeps(env: { region: string; tableName: string }, powertools: PowertoolsLogger, source: NodeJS.ProcessEnv = process.env, metrics?: MetricsSink): AgentDeps {
  const clock = { now: () => new Date() };
  const ids = createIdGenerator({ now: () => clock.now(), random: (n) => randomBytes(n) });
  const stores = createDynamoDbStores({ doc: createDynamoDbClients({ region: env.region }).doc, tableName: env.tableName }, { clock });
  const bus = source[RUNTIME_ENV.eventBus];
  const queueUrl = source[RUNTIME_ENV.commandQueueUrl];
  const workflowArns = Object.fromEntries(
    Object.entries(source)
      .filter(([k, v]) => k.startsWith(RUNTIME_ENV.workflowPrefix) && v)
      .map(([k, v]) => [k.slice(RUNTIME_ENV.workflowPrefix.length).toLowerCase().replace(/_/g, '-'), v as string]),
  );
  const topics = Object.fromEntries(AUDIENCES.flatMap((a) => {
    const arn = source[`${RUNTIME_ENV.topicPrefix}${a.toUpperCase()}`];
    return arn ? [[a, arn]] : [];
  }));
  const logger = new PowertoolsLoggerAdapter(powertools);
  return {
    stores,
    publisher: bus ? new EventBridgePublisher({ client: new EventBridgeClient({ region: env.region }), eventBusName: bus }) : notGranted('publishing events'),
    commands: queueUrl ? new SqsCommandQueue({ client: new SQSClient({ region: env.region }), queueUrl }) : notGranted('the gateway command queue'),
    workflows: Object.keys(workflowArns).length > 0 ? new SfnWorkflowRunner({ client: new SFNClient({ region: env.region }), stateMachineArns: workflowArns }) : notGranted('starting workflows'),
    notifier: Object.keys(topics).length > 0 ? new SnsNotifier({ client: new SNSClient({ region: env.region }), topics, logger }) : notGranted('notifications'),
    clock,
    newId: () => ids.eventId(),
    logger,
    metrics: metrics ?? notGranted('metrics (only the agent Lambda flushes them)'),
    settings: AgentSettingsSchema.parse(JSON.parse(source[RUNTIME_ENV.agentSettings] ?? 'null')),
  };
}
