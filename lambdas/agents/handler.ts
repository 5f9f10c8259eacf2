import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../lib/core/metrics/key-metrics.js';
import { PowertoolsMetricsSink } from '../../lib/adapters/metrics/powertools-metrics-sink.js';
import type { EventBridgeEvent } from 'aws-lambda';
import { AGENT_HANDLERS } from '../../lib/app/agents.js';
import { RUNTIME_ENV } from '../../lib/config/runtime-env.js';
import { parseEvent } from '../../lib/core/events/catalog.js';
import { readLambdaEnv } from '../shared/aws-env.js';
import { awsAgentDeps } from '../shared/aws-agent-deps.js';
import { agentIdempotency } from '../shared/idempotency.js';

/*
 * The AWS composition root of every catalogued agent: EventBridge rule → this Lambda → the same
 * handler the local agent host subscribes to the in-process bus. `TRADEOPS_AGENT` says which one.
 */
const env = readLambdaEnv();
const agentName = process.env[RUNTIME_ENV.agent] ?? '';
const factory = AGENT_HANDLERS[agentName];
if (!factory) throw new Error(`${RUNTIME_ENV.agent}="${agentName}" is not a catalogued agent`);
const logger = new Logger({ serviceName: `tradeops-agent-${agentName}` });
// One namespace and the dimensions service + env: the alarms in lib/infra look for exactly these.
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE, defaultDimensions: { env: env[RUNTIME_ENV.env] } });
const agent = factory(awsAgentDeps({ region: env.AWS_REGION, tableName: env[RUNTIME_ENV.stateTable] }, logger, process.env, new PowertoolsMetricsSink(metrics)));

/** Returns what it handled: the idempotency record's result, which a redelivery is answered with. */
async function consume(event: EventBridgeEvent<string, unknown>): Promise<{ eventId: string; detailType: string }> {
  // A malformed event throws a ValidationError naming the field: the rule retries, then dead-letters it.
  const envelope = parseEvent(event);
  logger.appendKeys({ correlationId: envelope.correlationId, eventId: envelope.eventId });
  await agent(envelope);
  return { eventId: envelope.eventId, detailType: envelope.detailType };
}

export const handler = middy(consume)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(agentIdempotency({ agent: agentName, tableName: env[RUNTIME_ENV.stateTable] }));
