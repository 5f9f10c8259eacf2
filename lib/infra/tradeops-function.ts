import { Duration, Validations, aws_lambda as lambda, aws_lambda_nodejs as nodejs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';

export interface TradeOpsFunctionProps {
  readonly envName: EnvName;
  /** Entry file (absolute). */
  readonly entry: string;
  /** package-lock.json of the repository (absolute). */
  readonly depsLockFilePath: string;
  readonly logRetention: logs.RetentionDays;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 s */
  readonly timeout?: Duration;
  readonly description?: string;
}

/**
 * Every Lambda of ours, built the same way: nodejs22.x on arm64, bundled by local esbuild (no
 * Docker) as minified ESM with the AWS SDK left to the runtime, JSON logs with a fixed retention.
 */
export class TradeOpsFunction extends Construct {
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: TradeOpsFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      depsLockFilePath: props.depsLockFilePath,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.description === undefined ? {} : { description: props.description }),
      environment: { [RUNTIME_ENV.env]: props.envName, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // ESM bundles still meet CommonJS dependencies that call require().
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        // Provided by the nodejs22.x runtime; bundling the SDK would only add cold-start weight.
        externalModules: ['@aws-sdk/*'],
      },
    });
    Validations.of(this.function.role ?? this.function).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWS-managed basic execution policy: CloudWatch Logs writes only, kept current by AWS.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x on purpose: the project targets Node 22 (engines, toolchain, esbuild target); it moves to the next LTS with the project.',
    });
  }
}
