import { randomBytes } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { EventBridgePublisher } from '../../lib/adapters/bus/eventbridge-publisher.js';
import { SnsNotifier } from '../../lib/adapters/notify/sns-notifier.js';
import { PowertoolsLoggerAdapter } from '../../lib/adapters/log/powertools-logger.js';
import { SfnTaskTokens } from '../../lib/adapters/workflows/sfn-task-tokens.js';
import { SfnWorkflowRunner } from '../../lib/adapters/workflows/sfn-workflow-runner.js';
import { UNLOCK_WORKFLOW, type UnlockDeps } from '../../lib/app/unlock/unlock-deps.js';
import { UnlockSettingsSchema } from '../../lib/app/unlock/unlock-settings.js';
import { RUNTIME_ENV } from '../../lib/config/runtime-env.js';
import { AUDIENCES } from '../../lib/config/schema.js';
import type { UnlockRequestId } from '../../lib/core/controls/unlock-request.js';
import { createIdGenerator } from '../../lib/core/shared/ids-gen.js';
import type { StateStores } from '../../lib/ports/state-stores.js';
import { HEARTBEAT_STALE_AFTER_MS } from './aws-env.js';

/**
 * The AWS wiring of the two-person unlock (issue 4), for the API Lambda and the unlock workflow's
 * task Lambdas, from what the CDK bind methods set: the settings from config, the event bus, the
 * SNS topics, and — on the API Lambda only — the unlock state machine's ARN (start it, complete
 * its tokens). `undefined` when the settings are not bound: the unlock routes then answer 503.
 */
export function awsUnlockDeps(env: { region: string; stores: Omit<StateStores, 'surveillanceActivity'> }, powertools: PowertoolsLogger, source: NodeJS.ProcessEnv = process.env): UnlockDeps | undefined {
  const raw = source[RUNTIME_ENV.unlockSettings];
  if (raw === undefined) return undefined;
  const settings = UnlockSettingsSchema.parse(JSON.parse(raw));
  const clock = { now: () => new Date() };
  const ids = createIdGenerator({ now: () => clock.now(), random: (n) => randomBytes(n) });
  const logger = new PowertoolsLoggerAdapter(powertools);
  const bus = source[RUNTIME_ENV.eventBus];
  if (bus === undefined) throw new Error(`${RUNTIME_ENV.eventBus} is required by the unlock (TradingStateChanged)`);
  const topics = Object.fromEntries(AUDIENCES.flatMap((a) => {
    const arn = source[`${RUNTIME_ENV.topicPrefix}${a.toUpperCase()}`];
    return arn ? [[a, arn]] : [];
  }));
  const sfn = new SFNClient({ region: env.region });
  const machine = source[`${RUNTIME_ENV.workflowPrefix}${UNLOCK_WORKFLOW.toUpperCase()}`];
  const s = env.stores;
  return {
    requests: s.unlockRequests, tradingState: s.tradingState, health: s.health, orders: s.orders, risk: s.risk, audit: s.audit,
    incidents: { killSwitch: s.killSwitch, store: s.incidents },
    publisher: new EventBridgePublisher({ client: new EventBridgeClient({ region: env.region }), eventBusName: bus }),
    notifier: new SnsNotifier({ client: new SNSClient({ region: env.region }), topics, logger }),
    clock,
    newEventId: () => ids.eventId(),
    newRequestId: () => `REQ-${ids.next()}` as UnlockRequestId,
    policy: settings.policy,
    recheckSeconds: settings.recheckSeconds,
    brokerStaleAfterMs: HEARTBEAT_STALE_AFTER_MS,
    tokens: new SfnTaskTokens({ client: sfn }),
    workflows: machine === undefined ? undefined : new SfnWorkflowRunner({ client: sfn, stateMachineArns: { [UNLOCK_WORKFLOW]: machine } }),
    logger,
  };
}
