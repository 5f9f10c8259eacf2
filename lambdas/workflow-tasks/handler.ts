import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { WORKFLOW_TASK_HANDLERS } from '../../lib/app/workflow-tasks.js';
import { PretradePolicySchema } from '../../lib/app/pretrade/policy.js';
import { riskViewFrom } from '../../lib/app/risk-wiring.js';
import { RUNTIME_ENV } from '../../lib/config/runtime-env.js';
import { createDynamoDbClients, createDynamoDbStores } from '../../lib/adapters/dynamodb/index.js';
import { HEARTBEAT_STALE_AFTER_MS, readLambdaEnv } from '../shared/aws-env.js';
import { awsUnlockDeps } from '../shared/aws-unlock-deps.js';

/*
 * The AWS composition root of every workflow Task state: Step Functions → this Lambda → the same
 * handler the local runner binds to the state's name. `TRADEOPS_TASK` says which one; the firm's
 * pre-trade policy arrives in `TRADEOPS_PRETRADE_POLICY`, serialised from config at synth.
 */
const env = readLambdaEnv();
const taskName = process.env[RUNTIME_ENV.task] ?? '';
const factory = WORKFLOW_TASK_HANDLERS[taskName];
if (!factory) throw new Error(`${RUNTIME_ENV.task}="${taskName}" is not a catalogued workflow task`);
const policyJson = process.env[RUNTIME_ENV.pretradePolicy] ?? 'null';
const policy = PretradePolicySchema.parse(JSON.parse(policyJson));
const clock = { now: () => new Date() };
const stores = createDynamoDbStores({ doc: createDynamoDbClients({ region: env.AWS_REGION }).doc, tableName: env[RUNTIME_ENV.stateTable] }, { clock });
// lifecycle (issue 4): the startup's ValidateConfig re-checks the settings serialised from config at synth.
const validateConfig = async () => {
  const r = PretradePolicySchema.safeParse(JSON.parse(policyJson));
  return r.success
    ? { ok: true as const, summary: `settings serialised at synth for ${env[RUNTIME_ENV.env]} (${env[RUNTIME_ENV.accountMode]}) parse`, findings: { env: env[RUNTIME_ENV.env], accountMode: env[RUNTIME_ENV.accountMode] } }
    : { ok: false as const, summary: `the pre-trade policy serialised at synth is invalid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
};
const logger = new Logger({ serviceName: `tradeops-task-${taskName}` });
// The unlock workflow's tasks (issue 4) get the unlock settings bound; the others do not need them.
const unlock = awsUnlockDeps({ region: env.AWS_REGION, stores }, logger);
// The risk agent's latest VaR and marginals; before its first cycle the VaR rule warns RISK.VAR_UNAVAILABLE.
const task = factory({ stores, riskView: riskViewFrom(stores.risk), policy, clock, unlock, validateConfig, brokerStaleAfterMs: HEARTBEAT_STALE_AFTER_MS });

export const handler = middy(async (input: unknown) => task(input)).use(injectLambdaContext(logger, { clearState: true }));
