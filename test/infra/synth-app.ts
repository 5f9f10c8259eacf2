import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ROUTES } from '../../lib/api/routes.js';
import { AGENTS } from '../../lib/catalog/agents.js';
import { WORKFLOWS } from '../../lib/catalog/workflows.js';
import { ENV_NAMES, type EnvName } from '../../lib/config/schema.js';
import { loadConfig } from '../../lib/config/load.js';
import { EVENT_CATALOG } from '../../lib/core/events/catalog.js';
import { addTradeOpsStages } from '../../lib/infra/app.js';
import type { TradeOpsStage } from '../../lib/infra/stage.js';

/**
 * Synthesises the whole app (every shipped environment) once per test file, in-process and
 * offline, exactly as bin/app.ts builds it. Synth with esbuild bundling takes seconds: every
 * test of a file shares this result.
 */
export interface SynthesisedApp {
  readonly app: App;
  readonly stages: Readonly<Record<EnvName, TradeOpsStage>>;
  template(env: EnvName, stack: 'stateful' | 'statefulDr' | 'service'): Template;
  /** Unacknowledged cdk-nag AwsSolutions findings, as "severity rule path" lines. */
  readonly nagFindings: readonly string[];
}

let cached: SynthesisedApp | undefined;

export function synthesiseApp(): SynthesisedApp {
  if (cached !== undefined) return cached;
  // The built-in CloudFormation template validation costs about 20 s here on 2 cores; `cdk synth`
  // (bin/app.ts) keeps it on, the assertions below and cdk-nag cover what the tests rely on.
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'tradeops-cdk-')), builtinCloudFormationValidation: false });
  const stageList = addTradeOpsStages(app, { configs: ENV_NAMES.map((env) => loadConfig(env)), eventCatalog: EVENT_CATALOG, routes: ROUTES, agents: AGENTS, workflows: WORKFLOWS });
  app.synth();
  const stages = Object.fromEntries(stageList.map((s, i) => [ENV_NAMES[i], s])) as Record<EnvName, TradeOpsStage>;
  const templates = new Map<Stack, Template>();
  const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(app);
  cached = {
    app,
    stages,
    template(env, stack) {
      const s = stages[env][stack];
      let t = templates.get(s);
      if (t === undefined) {
        t = Template.fromStack(s);
        templates.set(s, t);
      }
      return t;
    },
    nagFindings: report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`)),
  };
  return cached;
}
