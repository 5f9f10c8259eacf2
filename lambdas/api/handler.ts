import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Client, HeadBucketCommand } from '@aws-sdk/client-s3';
import { EventBridgeClient, DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Dispatcher, type ApiRequest } from '../../lib/api/dispatch.js';
import { ROUTES } from '../../lib/api/routes.js';
import type { ApiDeps } from '../../lib/api/deps.js';
import { AGENTS } from '../../lib/catalog/agents.js';
import { RUNTIME_ENV } from '../../lib/config/runtime-env.js';
import { createDynamoDbClients } from '../../lib/adapters/dynamodb/index.js';
import { PowertoolsLoggerAdapter } from '../../lib/adapters/log/powertools-logger.js';
import { HEARTBEAT_STALE_AFTER_MS, readLambdaEnv } from '../shared/aws-env.js';
import { awsAgentDeps } from '../shared/aws-agent-deps.js';
import { proposeOrdersFor } from '../../lib/app/risk-wiring.js';
import { authenticationOf } from './authentication.js';
import { awsUnlockDeps } from '../shared/aws-unlock-deps.js'; // two-person unlock (issue 4)
// event bus operations (issue 4)
import { SQSClient } from '@aws-sdk/client-sqs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { EventBridgeBusOperations } from '../../lib/adapters/bus/eventbridge-bus-operations.js';
// lifecycle (issue 4)
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflowRunner } from '../../lib/adapters/workflows/sfn-workflow-runner.js';
import { S3BlobStore } from '../../lib/adapters/s3/s3-blob-store.js';

/*
 * The AWS composition root of the ops API: API Gateway HTTP API → this one Lambda → the same
 * route table and handlers `npm start` serves on :8080. Clients are built once per container.
 */
const env = readLambdaEnv();
const region = env.AWS_REGION;
const clock = { now: () => new Date() };
const powertools = new Logger({ serviceName: 'tradeops-api' });
const logger = new PowertoolsLoggerAdapter(powertools);
const { doc } = createDynamoDbClients({ region });
const ref = { doc, tableName: env[RUNTIME_ENV.stateTable] };
const s3 = new S3Client({ region });
const eventBridge = new EventBridgeClient({ region });
const backupBucket = env[RUNTIME_ENV.backupBucket];
const busName = env[RUNTIME_ENV.eventBus];

// The same dependencies the agents get: reduce_position proposes through the pre-trade path, and
// the risk limits come from the settings serialised from config at synth.
const agentDeps = awsAgentDeps({ region, tableName: ref.tableName }, powertools);
const stores = agentDeps.stores;

const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await f();
  return Math.round((performance.now() - t) * 100) / 100;
};

const deps: ApiDeps = {
  clock,
  publisher: agentDeps.publisher,
  newId: agentDeps.newId,
  riskPolicy: agentDeps.settings.risk.policy,
  keyMetricAlerts: agentDeps.settings.alerts,
  proposeOrders: proposeOrdersFor(agentDeps),
  // The SQS FIFO command queue: Reconcile (broker resilience), CancelAllOrders / CancelOrder (kill switch)
  commands: agentDeps.commands,
  env: env[RUNTIME_ENV.env],
  accountMode: env[RUNTIME_ENV.accountMode],
  stores,
  probes: {
    state_store: async () => ({ status: 'ok', detail: { kind: 'dynamodb', roundTripMs: await timed(() => stores.tradingState.get()) } }),
    ...(backupBucket ? { blob_store: async () => ({ status: 'ok' as const, detail: { kind: 's3', roundTripMs: await timed(() => s3.send(new HeadBucketCommand({ Bucket: backupBucket }))) } }) } : {}),
    ...(busName ? { event_bus: async () => ({ status: 'ok' as const, detail: { kind: 'eventbridge', roundTripMs: await timed(() => eventBridge.send(new DescribeEventBusCommand({ Name: busName }))) } }) } : {}),
  },
  agents: AGENTS.map((a) => ({ name: a.name, description: a.description })),
  heartbeatStaleAfterMs: HEARTBEAT_STALE_AFTER_MS,
  unlock: awsUnlockDeps({ region, stores }, powertools), // two-person unlock (issue 4)
  // lifecycle (issue 4): the startup and shutdown state machines (STANDARD, StartExecution) and the backup bucket.
  ...(backupBucket
    ? {
        lifecycle: {
          starter: new SfnWorkflowRunner({
            client: new SFNClient({ region }),
            stateMachineArns: Object.fromEntries(['startup', 'shutdown'].flatMap((w) => {
              const arn = process.env[`${RUNTIME_ENV.workflowPrefix}${w.toUpperCase()}`];
              return arn ? [[w, arn]] : [];
            })),
          }),
          archive: new S3BlobStore({ client: s3, bucket: backupBucket }),
          pollSeconds: 5,
          defaultDrainTimeoutS: 300,
        },
      }
    : {}),
  // kill switch: notices to the SNS topics (its cancels go through `commands` above)
  notifier: agentDeps.notifier,
};
// --- event bus operations (issue 4): the consumers' DLQ, the agent functions, the backup bucket for archives ---
const agentFunctionsJson = env[RUNTIME_ENV.agentFunctions];
const agentFunctions = agentFunctionsJson === undefined ? undefined : z.record(z.string(), z.string().min(1)).parse(JSON.parse(agentFunctionsJson));
deps.busOperations = new EventBridgeBusOperations({
  consumers: AGENTS.map((a) => ({ name: a.name, detailTypes: a.consumes })),
  sqs: new SQSClient({ region }),
  lambda: new LambdaClient({ region }),
  deadLetterQueueUrl: env[RUNTIME_ENV.busDeadLetterQueueUrl],
  agentFunctions,
  // Without a backup bucket nothing can be archived, so nothing may be cleared: every put fails, clear_stale answers 503.
  archive: new S3BlobStore({ client: s3, bucket: backupBucket ?? 'unbound-backup-bucket' }),
  archiveLocation: `s3://${backupBucket ?? '(no backup bucket bound)'}`,
  clock,
  newId: agentDeps.newId,
});
// --- end event bus operations ---
const dispatcher = new Dispatcher(ROUTES);

/** API Gateway v2 event → the transport-neutral request the dispatcher takes. */
export function toApiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  const query: Record<string, string | string[]> = {};
  // HTTP API joins repeated parameters with commas; only the raw string keeps them apart.
  const params = new URLSearchParams(event.rawQueryString ?? '');
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    query[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  const rawBody = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return { method: event.requestContext.http.method, path: event.rawPath, query, rawBody, auth: authenticationOf(event) };
}

async function dispatch(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const correlationId = event.headers?.['x-correlation-id'] ?? event.requestContext.requestId;
  const res = await dispatcher.handle(toApiRequest(event), { deps, correlationId, logger: logger.child({ correlationId }) });
  return { statusCode: res.status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-correlation-id': correlationId, ...res.headers }, body: JSON.stringify(res.body) };
}

export const handler = middy(dispatch).use(injectLambdaContext(powertools, { clearState: true }));
