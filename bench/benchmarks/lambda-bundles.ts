import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_BUNDLE_BUDGET_BYTES, LAMBDA_ENTRIES } from '../../lib/catalog/lambda-entries.js';
import { bundleLambda } from '../lib/bundle.js';
import { OutcomeBuilder, type Benchmark } from '../lib/types.js';

const REPO = new URL('../../', import.meta.url).pathname;

/** The environment the CDK binds on each function, with placeholder values: importing builds clients but calls nothing. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TRADEOPS_ENV: 'paper',
  TRADEOPS_ACCOUNT_MODE: 'paper',
  TRADEOPS_STATE_TABLE: 'tradeops-paper-state',
  TRADEOPS_EVENT_BUS: 'tradeops-paper',
  TRADEOPS_AGENT: 'cio-agent',
  TRADEOPS_TASK: 'RiskCheck',
};

/**
 * `lambda-bundles`: each Lambda entry bundled as the CDK bundles it — size against the 1 MB budget,
 * and cold import time (a fresh Node process importing the bundle: module evaluation and client
 * construction, the INIT work our code adds on top of the runtime's own start).
 */
export const lambdaBundles: Benchmark = {
  name: 'lambda-bundles',
  description: 'Size of each Lambda bundle (budget 1 MB) and its cold import time in a fresh Node 22 process',
  budgetMs: 120_000,
  async run(ctx) {
    const out = new OutcomeBuilder();
    // Inside the repository, so the bundle's external @aws-sdk/* resolve from node_modules as they do from the runtime.
    const dir = join(REPO, 'node_modules', '.cache', 'tradeops-bench-bundles');
    mkdirSync(dir, { recursive: true });
    const { PretradePolicySchema } = await import('../../lib/app/pretrade/policy.js');
    const { pretradePolicyFromConfig } = await import('../../lib/app/pretrade/policy.js');
    const { agentSettingsFromConfig } = await import('../../lib/app/agent-settings.js');
    const { loadConfig } = await import('../../lib/config/index.js');
    const config = loadConfig('paper');
    const env = { ...process.env, ...LAMBDA_ENV, TRADEOPS_PRETRADE_POLICY: JSON.stringify(PretradePolicySchema.parse(pretradePolicyFromConfig(config))), TRADEOPS_AGENT_SETTINGS: JSON.stringify(agentSettingsFromConfig(config)) };
    try {
      for (const { name, entry } of LAMBDA_ENTRIES) {
        ctx.checkpoint();
        const file = join(dir, `${name}.mjs`);
        const { bytes } = await bundleLambda(join(REPO, entry), file);
        out.figure({ name: `${name}: bundle size`, value: Math.round(bytes / 1024), unit: 'KB', goal: `≤ ${LAMBDA_BUNDLE_BUDGET_BYTES / 1000} KB`, met: bytes <= LAMBDA_BUNDLE_BUDGET_BYTES });
        const samples: number[] = [];
        for (let i = 0; i < ctx.iterations(7, 3); i++) {
          ctx.checkpoint();
          const script = `const t=performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now()-t));`;
          const ms = Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, cwd: REPO }).toString());
          if (i > 0) samples.push(ms); // the first run also warms the OS file cache
        }
        out.dist(`${name}: cold import`, samples, 'ms', { headline: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    out.note('Bundled with esbuild as lib/infra/tradeops-function.ts does (ESM, node22, minified, @aws-sdk/* external). Cold import = a fresh `node` importing the bundle with the environment the CDK binds (placeholder ARNs/names; no network call is made at import). The first of each series is excluded (file-cache warm-up).');
    return out.build();
  },
};
