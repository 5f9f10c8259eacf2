/**
 * Every Lambda entry file the CDK app bundles (one per composition root). The bundle-size test and
 * the `lambda-bundles` benchmark read this list; lib/infra/app.ts points its constructs at the same files.
 */
export const LAMBDA_ENTRIES = [
  { name: 'api', entry: 'lambdas/api/handler.ts' },
  { name: 'agents', entry: 'lambdas/agents/handler.ts' },
  { name: 'workflow-tasks', entry: 'lambdas/workflow-tasks/handler.ts' },
] as const;

/** Issue 3's budget: a bundle over this costs cold start (figures.md: 1.5 MB ≈ 1 s vs 260 KB ≈ 100 ms). */
export const LAMBDA_BUNDLE_BUDGET_BYTES = 1_000_000;
