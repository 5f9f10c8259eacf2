import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../lib/api/routes.js';
import { AGENTS } from '../../lib/catalog/agents.js';
import { WORKFLOWS } from '../../lib/catalog/workflows.js';
import { ENV_NAMES } from '../../lib/config/schema.js';
import { EVENT_CATALOG } from '../../lib/core/events/catalog.js';
import { synthesiseApp } from './synth-app.js';
import { loadConfig } from '../../lib/config/load.js';
import { USER_ROLES } from '../../lib/core/auth/roles.js';

// One synthesis for the whole file (every environment, with bundling): about 20-40 s on 2 cores.
const synth = synthesiseApp();

describe('the CDK app', () => {
  it('synthesises a stage per environment with stateful stacks in the primary and DR regions', () => {
    for (const env of ENV_NAMES) {
      const stage = synth.stages[env];
      expect(stage.stateful.region).toBe('us-east-1');
      expect(stage.statefulDr.region).toBe('us-east-2');
      expect(stage.service.region).toBe('us-east-1');
    }
    expect(synth.stages.prod.stateful.account).toBe('222222222222');
  });

  it('leaves no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(synth.nagFindings).toEqual([]);
  });
});

describe('data (stateful stacks)', () => {
  it('creates the state table as an on-demand global table with PITR, TTL, its two GSIs and a DR replica', () => {
    synth.template('prod', 'stateful').hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'tradeops-prod-state',
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      // gsi1: working orders and a day's orders by createdAt; gsi2: a day's orders by last write (pre-trade's last second)
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }),
        Match.objectLike({ IndexName: 'gsi2', KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }, { AttributeName: 'gsi2sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }),
      ],
      Replicas: Match.arrayWith([
        Match.objectLike({ Region: 'us-east-2', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true }),
        Match.objectLike({ Region: 'us-east-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true }),
      ]),
    });
  });

  it('retains the table in prod and lets it go elsewhere', () => {
    expect(synth.template('prod', 'stateful').findResources('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' })).toHaveProperty('StateTable');
    expect(synth.template('paper', 'stateful').findResources('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' })).toHaveProperty('StateTable');
  });

  it.each(['stateful', 'statefulDr'] as const)('locks the %s audit bucket in COMPLIANCE mode for 7 years with a Glacier transition at 90 days', (stack) => {
    synth.template('prod', stack).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] })]) },
    });
  });

  it('expires backups per the runbook schedule (positions 30 days, config 90 days)', () => {
    synth.template('paper', 'stateful').hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'positions/', ExpirationInDays: 30 }),
          Match.objectLike({ Prefix: 'config/', ExpirationInDays: 90 }),
        ]),
      },
    });
  });

  it('encrypts, blocks public access and logs access on every bucket', () => {
    for (const stack of ['stateful', 'statefulDr'] as const) {
      const buckets = Object.entries(synth.template('prod', stack).findResources('AWS::S3::Bucket'));
      expect(buckets).toHaveLength(3);
      for (const [id, bucket] of buckets) {
        const p = bucket.Properties as Record<string, unknown>;
        expect(p.BucketEncryption, id).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
        expect(p.PublicAccessBlockConfiguration, id).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
        if (id !== 'AccessLogBucket') expect(p.LoggingConfiguration, id).toMatchObject({ DestinationBucketName: { Ref: 'AccessLogBucket' } });
      }
    }
  });

  it('denies every request without TLS on every bucket', () => {
    const policies = Object.values(synth.template('prod', 'stateful').findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
    synth.template('prod', 'stateful').hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('replicates the primary backup and audit buckets to the DR region', () => {
    const buckets = synth.template('prod', 'stateful').findResources('AWS::S3::Bucket');
    const destination = (id: string): string => JSON.stringify((buckets[id]?.Properties as { ReplicationConfiguration?: unknown }).ReplicationConfiguration ?? null);

    expect(destination('AuditBucket')).toContain(':s3:::tradeops-prod-audit-222222222222-us-east-2');
    expect(destination('BackupBucket')).toContain(':s3:::tradeops-prod-backup-222222222222-us-east-2');
    expect(destination('AccessLogBucket')).toBe('null');
    expect(Object.keys(synth.template('prod', 'statefulDr').findResources('AWS::S3::Bucket', { Properties: { BucketName: 'tradeops-prod-audit-222222222222-us-east-2' } }))).toEqual(['AuditBucket']);
  });

  it('keeps the stateful logical ids stable', () => {
    const ids = (stack: 'stateful' | 'statefulDr', type: string): string[] => Object.keys(synth.template('prod', stack).findResources(type)).sort();

    expect(ids('stateful', 'AWS::DynamoDB::GlobalTable')).toEqual(['StateTable']);
    expect(ids('stateful', 'AWS::S3::Bucket')).toEqual(['AccessLogBucket', 'AuditBucket', 'BackupBucket']);
    expect(ids('statefulDr', 'AWS::S3::Bucket')).toEqual(['AccessLogBucket', 'AuditBucket', 'BackupBucket']);
    expect(ids('stateful', 'AWS::ECR::Repository')).toEqual(['GatewayRepository', 'IbSimRepository']);
  });
});

describe('command queue', () => {
  it('is FIFO with explicit deduplication ids, encrypted, with a FIFO dead-letter queue', () => {
    const t = synth.template('prod', 'service');
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'tradeops-prod-gateway-commands.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'tradeops-prod-gateway-commands-dlq.fifo', FifoQueue: true, SqsManagedSseEnabled: true });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('event bus', () => {
  it('archives and logs every catalog source, and has one consumer rule per catalogued agent', () => {
    const t = synth.template('prod', 'service');
    const sources = [...new Set(EVENT_CATALOG.map((e) => e.source))].sort();

    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'tradeops-prod' });
    t.hasResourceProperties('AWS::Events::Archive', { EventPattern: { source: sources }, RetentionDays: 90 });
    t.resourceCountIs('AWS::Events::Rule', 1 + AGENTS.length);
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: sources, 'detail-type': [...new Set(EVENT_CATALOG.map((e) => e.detailType))].sort() } });
  });
});

describe('schedules', () => {
  it('schedules the risk cycle every 15 minutes of market hours in New York, onto the bus, as a catalog event', () => {
    const t = synth.template('prod', 'service');
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'tradeops-prod-risk-cycle',
      ScheduleExpression: 'cron(0/15 9-16 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      Target: Match.objectLike({ EventBridgeParameters: { DetailType: 'RiskCycleRequested', Source: 'tradeops.system' }, Input: Match.stringLikeRegexp('<aws.scheduler.execution-id>') }),
    });
    // Only built targets get a bus schedule: checklists and backups arrive with their issues.
    expect(Object.values(t.findResources('AWS::Scheduler::Schedule')).filter((r) => JSON.stringify(r).includes('EventBridgeParameters'))).toHaveLength(1);
  });
});

describe('workflows', () => {
  it('deploys each catalogued workflow from its ASL file, logged and traced, with one task Lambda per Task state', () => {
    const t = synth.template('prod', 'service');
    for (const wf of WORKFLOWS) {
      t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `tradeops-prod-${wf.name}`,
        StateMachineType: wf.type,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      });
      for (const task of wf.tasks) {
        t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TRADEOPS_TASK: task, TRADEOPS_PRETRADE_POLICY: Match.stringLikeRegexp('"maxOrderQuantity"') }) } });
      }
    }
  });

  it('substitutes every task ARN into the definition, leaving no placeholder', () => {
    const t = synth.template('prod', 'service');
    const machine = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString?: unknown; DefinitionSubstitutions?: Record<string, unknown> } };
    expect(Object.keys(machine.Properties.DefinitionSubstitutions ?? {}).sort()).toEqual(['ComplianceCheckFunctionArn', 'RiskCheckFunctionArn']);
  });
});

// two-person unlock (issue 4)
describe('the unlock workflow', () => {
  it('lets the API start it and complete its task tokens, and its tasks write state, publish and notify', () => {
    const t = synth.template('prod', 'service');
    const apiPolicy = JSON.stringify(Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ApiHandlerFunctionServiceRoleDefaultPolicy'))?.[1]);
    for (const action of ['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'sns:Publish']) expect(apiPolicy).toContain(action);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TRADEOPS_TASK: 'ExecuteUnlock', TRADEOPS_UNLOCK_SETTINGS: Match.stringLikeRegexp('"approvalsRequired":1'), TRADEOPS_EVENT_BUS: Match.anyValue() }) } });
    const taskPolicy = JSON.stringify(Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('WorkflowsunlockExecuteUnlock'))?.[1]);
    for (const action of ['dynamodb:PutItem', 'events:PutEvents', 'states:SendTaskSuccess']) expect(taskPolicy).toContain(action);
  });
});

describe('agents', () => {
  it('runs each catalogued agent as a Lambda behind a rule for exactly its detail types, with retries and a DLQ', () => {
    const t = synth.template('prod', 'service');
    for (const agent of AGENTS) {
      t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Environment: { Variables: Match.objectLike({ TRADEOPS_AGENT: agent.name, TRADEOPS_STATE_TABLE: 'tradeops-prod-state' }) } });
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'detail-type': [...agent.consumes].sort() },
        Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }) })],
      });
    }
  });

  it('lets the audit recorder append to the state table', () => {
    const t = synth.template('prod', 'service');
    const policy = JSON.stringify(Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('Agentsauditrecorder'))?.[1]);
    for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem']) expect(policy).toContain(action);
  });
});

describe('ops API', () => {
  it('bundles arm64 nodejs22.x Lambdas (the API, one per agent, one per workflow task) with app-log retention', () => {
    const t = synth.template('prod', 'service');
    t.resourceCountIs('AWS::Lambda::Function', 1 + AGENTS.length + WORKFLOWS.reduce((n, w) => n + w.tasks.length, 0));
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lets the Lambda read and write state and publish to the bus (signals, compliance actions), and only probe the blob store', () => {
    const t = synth.template('prod', 'service');
    const fnPolicy = JSON.stringify(Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ApiHandlerFunctionServiceRoleDefaultPolicy'))?.[1]);

    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'events:PutEvents', 'events:DescribeEventBus', 's3:ListBucket']) expect(fnPolicy).toContain(action);
    for (const action of ['s3:GetObject', 's3:DeleteObject', 'dynamodb:DeleteTable', 'sqs:PurgeQueue', 'lambda:InvokeFunction']) expect(fnPolicy).not.toContain(action);
    // Issue 4: the API may put only under eventbus/ (clear_stale archive) and sessions/ (archive_session) of the backup bucket; startup/shutdown start their STANDARD workflows.
    const statements = (JSON.parse(fnPolicy ?? '{}') as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties.PolicyDocument.Statement;
    const puts = statements.filter((st) => [st.Action].flat().includes('s3:PutObject'));
    const prefixes = puts.flatMap((p) => [...JSON.stringify(p.Resource).matchAll(/\/(\w+)\/\*/g)].map((m) => m[1]));
    expect(prefixes.sort()).toEqual(['eventbus', 'sessions']);
    expect(statements.some((st) => [st.Action].flat().includes('states:StartExecution'))).toBe(true);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TRADEOPS_ENV: 'prod', TRADEOPS_ACCOUNT_MODE: 'paper', TRADEOPS_STATE_TABLE: 'tradeops-prod-state' }) } });
  });

  it('lets the Lambda operate the event bus: read and clear the consumers’ DLQ, archive under eventbus/, restart agents (issue 4)', () => {
    const t = synth.template('prod', 'service');
    const policy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ApiHandlerFunctionServiceRoleDefaultPolicy'))?.[1] as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } };
    const statements = policy.Properties.PolicyDocument.Statement;
    const withAction = (a: string) => statements.filter((st) => [st.Action].flat().includes(a));

    // PutObject for the clear_stale archive only under eventbus/ (the other put is archive_session's, under sessions/).
    expect(withAction('s3:PutObject').filter((st) => JSON.stringify(st.Resource).includes('/eventbus/*')).length).toBeGreaterThan(0);
    expect(withAction('sqs:DeleteMessage')).toHaveLength(1);
    expect(withAction('lambda:UpdateFunctionConfiguration')).toHaveLength(1);
    expect([withAction('lambda:UpdateFunctionConfiguration')[0]!.Resource].flat()).toHaveLength(AGENTS.length);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TRADEOPS_BUS_DLQ_URL: Match.anyValue(), TRADEOPS_AGENT_FUNCTIONS: Match.anyValue() }) } });
  });

  it('creates exactly one route per route-table entry', () => {
    const routes = Object.values(synth.template('prod', 'service').findResources('AWS::ApiGatewayV2::Route')).map((r) => (r.Properties as { RouteKey: string }).RouteKey);

    expect(routes.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('puts the Cognito JWT authorizer on every route but the public health probes', () => {
    const t = synth.template('prod', 'service');
    const authorizers = t.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.values(authorizers).map((a) => (a.Properties as { AuthorizerType: string }).AuthorizerType)).toEqual(['JWT']);
    for (const route of Object.values(t.findResources('AWS::ApiGatewayV2::Route'))) {
      const p = route.Properties as { RouteKey: string; AuthorizationType?: string };
      const row = ROUTES.find((r) => `${r.method} ${r.path}` === p.RouteKey);
      expect(p.AuthorizationType ?? 'NONE', p.RouteKey).toBe(row?.role === 'public' ? 'NONE' : 'JWT');
    }
  });

  it('keeps operators in a Cognito pool: groups are the roles, MFA required, no self sign-up, kept in prod', () => {
    const t = synth.template('prod', 'service');
    t.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, UserPoolTier: 'PLUS' });
    expect(Object.values(t.findResources('AWS::Cognito::UserPool')).map((p) => p.DeletionPolicy)).toEqual(['Retain']);
    const groups = Object.values(t.findResources('AWS::Cognito::UserPoolGroup')).map((g) => (g.Properties as { GroupName: string }).GroupName);
    expect(groups.sort()).toEqual([...USER_ROLES].sort());
  });
});

describe('Key Metrics alarms', () => {
  const prodAlerts = () => loadConfig('prod').alerts;

  it('has one alarm per alerts.yaml entry, on the metric the metrics agent emits, notifying its audiences', () => {
    const t = synth.template('prod', 'service');
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as { AlarmName: string; MetricName: string; Namespace: string; Dimensions: Array<{ Name: string; Value: string }>; AlarmActions: unknown[]; Threshold: number; ComparisonOperator: string });
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(Object.keys(prodAlerts()).map((n) => `tradeops-prod-${n.replace(/_/g, '-')}`).sort());
    const varCritical = alarms.find((a) => a.AlarmName === 'tradeops-prod-var-critical');
    expect(varCritical).toMatchObject({ Namespace: 'TradeOps', MetricName: 'PortfolioVarUtilization', Threshold: 0.9, ComparisonOperator: 'GreaterThanThreshold' });
    expect(varCritical?.Dimensions).toEqual(expect.arrayContaining([{ Name: 'service', Value: 'tradeops' }, { Name: 'env', Value: 'prod' }]));
    expect(varCritical?.AlarmActions).toHaveLength(2);
    expect(alarms.find((a) => a.AlarmName === 'tradeops-prod-fill-rate-critical')).toMatchObject({ Threshold: 0.9, ComparisonOperator: 'LessThanThreshold' });
  });

  it('treats a silent bridge as disconnected and mutes the broker alarm during the maintenance windows', () => {
    const t = synth.template('prod', 'service');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'tradeops-prod-broker-disconnect', MetricName: 'BrokerConnected', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Period: 60 });
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')).map((r) => r.Properties as { Name: string; ScheduleExpression: string; ScheduleExpressionTimezone: string; Target: { Arn: string; Input: string } });
    const daily = schedules.filter((x) => x.Name.startsWith('tradeops-prod-daily-restart-'));
    expect(daily.map((x) => [x.ScheduleExpression, x.Target.Arn]).sort()).toEqual([
      ['cron(45 23 ? * * *)', 'arn:aws:scheduler:::aws-sdk:cloudwatch:disableAlarmActions'],
      ['cron(55 23 ? * * *)', 'arn:aws:scheduler:::aws-sdk:cloudwatch:enableAlarmActions'],
    ]);
    expect(daily[0]?.ScheduleExpressionTimezone).toBe('America/New_York');
    expect(JSON.parse(daily[0]?.Target.Input ?? '{}')).toEqual({ AlarmNames: ['tradeops-prod-broker-disconnect'] });
  });

  it('encrypts the topics with a rotated customer key that CloudWatch may use', () => {
    const t = synth.template('prod', 'service');
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    for (const topic of Object.values(t.findResources('AWS::SNS::Topic'))) expect(JSON.stringify((topic.Properties as { KmsMasterKeyId: unknown }).KmsMasterKeyId)).toContain('NotificationsKey');
  });

  it('draws the Key Metrics dashboard', () => {
    synth.template('prod', 'service').hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'tradeops-prod-key-metrics' });
  });
});

describe('broker service', () => {
  it('runs IB Gateway with credentials from Secrets Manager and exposes no port', () => {
    const t = synth.template('prod', 'service');
    const taskDefs = Object.values(t.findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefs).toHaveLength(1);
    const containers = (taskDefs[0]?.Properties as { ContainerDefinitions: Array<Record<string, unknown>> }).ContainerDefinitions;

    expect(containers.map((c) => c.Name).sort()).toEqual(['bridge', 'ib-gateway']);
    for (const c of containers) expect(c.PortMappings, String(c.Name)).toBeUndefined();
    const gateway = containers.find((c) => c.Name === 'ib-gateway') as { Secrets: Array<{ Name: string; ValueFrom: unknown }>; Environment: Array<{ Name: string; Value: string }> };
    expect(gateway.Secrets.map((s) => s.Name).sort()).toEqual(['TWS_PASSWORD', 'TWS_USERID']);
    expect(JSON.stringify(gateway.Secrets)).toContain(':secret:tradeops/prod/ib-credentials');
    expect(JSON.stringify(gateway.Environment)).not.toMatch(/PASSWORD|USERID/);
    expect(gateway.Environment).toEqual(expect.arrayContaining([{ Name: 'TRADING_MODE', Value: 'paper' }, { Name: 'READ_ONLY_API', Value: 'yes' }]));
    const bridge = containers.find((c) => c.Name === 'bridge') as { HealthCheck: { Command: string[] } };
    expect(bridge.HealthCheck.Command[0]).toBe('CMD');
  });

  it('keeps the task private: no public IP, no ingress rule, one task at a time', () => {
    const t = synth.template('prod', 'service');
    t.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 1,
      DeploymentConfiguration: Match.objectLike({ MaximumPercent: 100, MinimumHealthyPercent: 0 }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    for (const sg of Object.values(t.findResources('AWS::EC2::SecurityGroup'))) {
      expect((sg.Properties as { SecurityGroupIngress?: unknown }).SecurityGroupIngress).toBeUndefined();
    }
  });

  it('runs the ib-sim container instead of IB Gateway in the sim environment', () => {
    const taskDef = Object.values(synth.template('sim', 'service').findResources('AWS::ECS::TaskDefinition'))[0];
    const containers = (taskDef?.Properties as { ContainerDefinitions: Array<{ Name: string; Secrets?: unknown }> }).ContainerDefinitions;

    expect(containers.map((c) => c.Name).sort()).toEqual(['bridge', 'ib-sim']);
    expect(containers.every((c) => c.Secrets === undefined)).toBe(true);
  });

  it('grants the bridge the table, bus, queue and buckets through its task role', () => {
    const policies = synth.template('prod', 'service').findResources('AWS::IAM::Policy');
    const taskPolicy = Object.entries(policies).find(([id]) => id.startsWith('BrokerTaskTaskRoleDefaultPolicy'));
    const text = JSON.stringify(taskPolicy?.[1]);

    for (const action of ['dynamodb:PutItem', 'events:PutEvents', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 's3:PutObject', 'sns:Publish']) expect(text).toContain(action);
    expect(text).not.toContain('"s3:*"');
  });
});

describe('notifications', () => {
  it('creates a topic per audience and subscribes contact emails only in prod', () => {
    synth.template('prod', 'service').resourceCountIs('AWS::SNS::Topic', 4);
    synth.template('prod', 'service').resourceCountIs('AWS::SNS::Subscription', 4);
    synth.template('paper', 'service').resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('snapshot', () => {
  it('matches the prod stateful template', () => {
    expect(synth.template('prod', 'stateful').toJSON()).toMatchSnapshot();
  });
});
