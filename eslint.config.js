// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layer boundaries (ARCHITECTURE.md): the core is pure, nothing at runtime imports CDK. */
const CORE_FORBIDDEN = [
  { group: ['@aws-sdk/*', '@middy/*', '@aws-lambda-powertools/*', '@stoqey/ib', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'lib/core is pure domain code: no AWS SDK, middy, broker client or CDK.' },
  { group: ['**/adapters/**', '**/infra/**', '**/local/**', '**/api/**', '**/fargate/**', '**/lambdas/**', 'node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process'], message: 'lib/core may not import adapters, infra, runtimes or I/O modules.' },
];
const RUNTIME_FORBIDDEN = [
  { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', '**/infra/**'], message: 'Nothing at runtime imports CDK (lib/infra is for synth only).' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.data/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly', AbortController: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['lib/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: CORE_FORBIDDEN }] } },
  { files: ['lib/adapters/**/*.ts', 'lib/api/**/*.ts', 'lib/local/**/*.ts', 'lib/ports/**/*.ts', 'lib/config/**/*.ts', 'lambdas/**/*.ts', 'fargate/**/*.ts', 'bin/local.ts', 'bin/tradeops.ts'], rules: { 'no-restricted-imports': ['error', { patterns: RUNTIME_FORBIDDEN }] } },
);
