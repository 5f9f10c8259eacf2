import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../lib/api/routes.js';
import { AGENTS } from '../../lib/catalog/agents.js';
import { WORKFLOWS } from '../../lib/catalog/workflows.js';
import { ENV_NAMES } from '../../lib/config/schema.js';
import { EVENT_CATALOG } from '../../lib/core/events/catalog.js';
import { synthesiseApp } from './synth-app.js';

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
  it('creates the state table as an on-demand global table with PITR, TTL and a DR replica', () => {
    synth.template('prod', 'stateful').hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'tradeops-prod-state',
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
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
    // Only built targets get a schedule: checklists and backups arrive with their issues.
    expect(Object.keys(t.findResources('AWS::Scheduler::Schedule'))).toHaveLength(1);
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
    for (const action of ['s3:GetObject', 's3:DeleteObject', 'dynamodb:DeleteTable']) expect(fnPolicy).not.toContain(action);
    // Lifecycle (issue 4): archive_session may put under sessions/ of the backup bucket, nothing else; startup/shutdown start their STANDARD workflows.
    const statements = (JSON.parse(fnPolicy ?? '{}') as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties.PolicyDocument.Statement;
    const puts = statements.filter((st) => [st.Action].flat().includes('s3:PutObject'));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0]?.Resource)).toMatch(/tradeops-prod-backup-[^"]*\/sessions\/\*/);
    expect(statements.some((st) => [st.Action].flat().includes('states:StartExecution'))).toBe(true);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TRADEOPS_ENV: 'prod', TRADEOPS_ACCOUNT_MODE: 'paper', TRADEOPS_STATE_TABLE: 'tradeops-prod-state' }) } });
  });

  it('creates exactly one route per route-table entry', () => {
    const routes = Object.values(synth.template('prod', 'service').findResources('AWS::ApiGatewayV2::Route')).map((r) => (r.Properties as { RouteKey: string }).RouteKey);

    expect(routes.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
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
