import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import type { AppConfig } from '../config/schema.js';
import { LAMBDA_ENTRIES } from '../catalog/lambda-entries.js';
import { TradeOpsStage, stageId } from './stage.js';
import type { ServiceCatalogs } from './service-stack.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The API Lambda's entry and the lock file, from the repository root (not the cwd). */
const entryOf = (name: (typeof LAMBDA_ENTRIES)[number]['name']): string => `${REPO_ROOT}${LAMBDA_ENTRIES.find((e) => e.name === name)!.entry}`;
export const API_ENTRY = entryOf('api');
export const AGENT_ENTRY = entryOf('agents');
export const TASK_ENTRY = entryOf('workflow-tasks');
export const DEPS_LOCK_FILE = `${REPO_ROOT}package-lock.json`;

/**
 * Feature flags the constructs rely on, set here rather than only in cdk.json so that the tests
 * (which build the App themselves) synthesise exactly what `cdk synth` does.
 */
export const FEATURE_FLAGS: Readonly<Record<string, boolean>> = {
  // Access-log delivery through a bucket policy, not the legacy LogDeliveryWrite ACL (ACLs stay disabled).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // One replication role per bucket must not share the legacy fixed name `CDKReplicationRole`.
  '@aws-cdk/aws-s3:setUniqueReplicationRoleName': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:enableAdditionalMetadataCollection': false,
};

/** The catalogs (events, routes, agents: one Lambda and rule each, workflows: one state machine each) plus the configs. */
export interface TradeOpsAppInputs extends ServiceCatalogs {
  /** One validated config per environment to synthesise. */
  readonly configs: ReadonlyArray<AppConfig>;
  /** Overrides every config's `aws.images.tag`. @default each config's tag */
  readonly imageTag?: string;
}

/**
 * Adds one stage per environment to the app. Takes plain values: bin/app.ts reads the context
 * and the config files, tests pass their own.
 * @example addTradeOpsStages(new App(), { configs: [loadConfig('prod')], eventCatalog: EVENT_CATALOG, routes: ROUTES, agents: AGENTS, workflows: WORKFLOWS })
 */
export function addTradeOpsStages(app: App, inputs: TradeOpsAppInputs): TradeOpsStage[] {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const envs = inputs.configs.map((c) => c.env);
  if (new Set(envs).size !== envs.length) throw new Error(`addTradeOpsStages: duplicate environments ${envs.join(', ')}`);
  return inputs.configs.map(
    (config) =>
      new TradeOpsStage(app, stageId(config.env), {
        config,
        catalogs: { eventCatalog: inputs.eventCatalog, routes: inputs.routes, agents: inputs.agents, workflows: inputs.workflows },
        sources: { repoRoot: REPO_ROOT, apiEntry: API_ENTRY, agentEntry: AGENT_ENTRY, taskEntry: TASK_ENTRY, depsLockFilePath: DEPS_LOCK_FILE },
        ...(inputs.imageTag === undefined ? {} : { imageTag: inputs.imageTag }),
      }),
  );
}
