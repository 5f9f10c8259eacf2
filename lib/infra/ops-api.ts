import type { Duration, aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import { Validations, aws_apigateway as apigateway, aws_apigatewayv2 as apigw, aws_apigatewayv2_integrations as integrations, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';
import { TradeOpsFunction } from './tradeops-function.js';

/** What the API needs from a row of the route table (lib/api/routes.ts). */
export interface ApiRouteRow {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** `public`, one role or several (lib/core/auth/roles.ts). */
  readonly role: string | readonly string[];
}

export interface OpsApiProps {
  readonly envName: EnvName;
  readonly routes: ReadonlyArray<ApiRouteRow>;
  /** The one Lambda's entry file (absolute). */
  readonly entry: string;
  /** package-lock.json of the repository (absolute); pins esbuild's view of the project. */
  readonly depsLockFilePath: string;
  /** App log retention (runbook: 30 days). */
  readonly logRetention: logs.RetentionDays;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 s */
  readonly timeout?: Duration;
  /** Steady-state request rate limit of the stage. @default 50 */
  readonly throttleRateLimit?: number;
  /** The JWT authorizer (Cognito) that goes on every non-public route. */
  readonly authorizer: apigw.IHttpRouteAuthorizer;
}

/**
 * The ops API on AWS: an HTTP API with one route per row of the route table, all integrated with
 * ONE Lambda that dispatches by route key (the same table the local server on :8080 serves). One
 * function keeps one cold start and one bundle; the table, not the function count, is the unit.
 *
 * Bundled by local esbuild (no Docker) as minified ESM for nodejs22.x on arm64.
 * Every route but the public health probes carries the JWT authorizer; the Lambda then checks the
 * route's roles against the token's groups (the same dispatcher as locally).
 */
export class OpsApi extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly routes: ReadonlyMap<string, apigw.HttpRoute>;

  constructor(scope: Construct, id: string, props: OpsApiProps) {
    super(scope, id);
    validateRoutes(props.routes);

    this.function = new TradeOpsFunction(this, 'Handler', {
      envName: props.envName,
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      logRetention: props.logRetention,
      ...(props.memorySize === undefined ? {} : { memorySize: props.memorySize }),
      ...(props.timeout === undefined ? {} : { timeout: props.timeout }),
      description: 'TradeOps ops API: dispatches the route table',
    }).function;

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `tradeops-${props.envName}-ops`,
      description: 'TradeOps ops API (route table: lib/api/routes.ts)',
      createDefaultStage: false,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 50, burstLimit: (props.throttleRateLimit ?? 50) * 2 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: apigateway.AccessLogFormat.jsonWithStandardFields() },
    });

    const integration = new integrations.HttpLambdaIntegration('Dispatch', this.function);
    const routes = new Map<string, apigw.HttpRoute>();
    for (const row of props.routes) {
      const authorizer = row.role === 'public' ? undefined : props.authorizer;
      const [route] = this.httpApi.addRoutes({ path: row.path, methods: [apigw.HttpMethod[row.method]], integration, ...(authorizer === undefined ? {} : { authorizer }) });
      if (route === undefined) throw new Error(`OpsApi: no route created for ${row.id}`);
      routes.set(row.id, route);
      if (authorizer !== undefined) continue;
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: `${row.method} ${row.path} is public by design (role public in the route table: health probes for Route 53 and load balancers).` });
    }
    this.routes = routes;
  }
}

function validateRoutes(routes: ReadonlyArray<ApiRouteRow>): void {
  if (routes.length === 0) throw new Error('OpsApi: the route table is empty');
  const keys = new Set<string>();
  for (const r of routes) {
    if (!/^\/[A-Za-z0-9_\-/{}.+]*$/.test(r.path)) throw new Error(`OpsApi: route ${r.id} has an invalid path "${r.path}"`);
    const key = `${r.method} ${r.path}`;
    if (keys.has(key)) throw new Error(`OpsApi: duplicate route ${key}`);
    keys.add(key);
  }
}
