/**
 * The CDK app: `npx cdk synth` (every environment) or `npx cdk deploy -c env=prod`.
 * The ONLY place that reads CDK context: `-c env=<name>[,<name>…]` (default: every config in
 * config/), `-c imageTag=<tag>` (bridge / ib-sim image tag in ECR; default from config) and
 * `-c configDir=<dir>` (default: the repository's config/).
 * A bad config stops synth with the file and each field named.
 */
import { App } from 'aws-cdk-lib';
import { ROUTES } from '../lib/api/routes.js';
import { AGENTS } from '../lib/catalog/agents.js';
import { WORKFLOWS } from '../lib/catalog/workflows.js';
import { ConfigError, DEFAULT_CONFIG_DIR, listConfigEnvs, loadConfig } from '../lib/config/load.js';
import type { AppConfig } from '../lib/config/schema.js';
import { EVENT_CATALOG } from '../lib/core/events/catalog.js';
import { addTradeOpsStages } from '../lib/infra/app.js';
import { applyNag } from '../lib/infra/nag.js';

const app = new App();
const envContext: unknown = app.node.tryGetContext('env');
const imageTag: unknown = app.node.tryGetContext('imageTag');
const configDirContext: unknown = app.node.tryGetContext('configDir');
const dir = configDirContext === undefined ? DEFAULT_CONFIG_DIR : String(configDirContext);

const envs = envContext === undefined || envContext === 'all' ? listConfigEnvs(dir) : String(envContext).split(',').map((e) => e.trim());
let configs: AppConfig[];
try {
  configs = envs.map((env) => loadConfig(env, { dir }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Configuration error, nothing synthesised:\n${error.message}\n`);
  process.exit(1);
}

addTradeOpsStages(app, { configs, eventCatalog: EVENT_CATALOG, routes: ROUTES, agents: AGENTS, workflows: WORKFLOWS, ...(imageTag === undefined ? {} : { imageTag: String(imageTag) }) });
applyNag(app);
app.synth();
