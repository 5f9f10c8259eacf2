import type { aws_ecr as ecr} from 'aws-cdk-lib';
import { Duration, Validations, aws_ec2 as ec2, aws_ecs as ecs, aws_logs as logs, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import { containerTarget, type BindTarget } from './binding.js';
import { ibCredentialsSecretName } from './names.js';

/** The bridge image's health command: "logged in and the API answers", not "port open". */
export const DEFAULT_BRIDGE_HEALTH_COMMAND: readonly string[] = ['CMD', 'node', 'fargate/gateway/healthcheck.js'];

export interface BrokerServiceProps {
  readonly envName: EnvName;
  /** `ib`: IB Gateway (IBC) beside the bridge; `sim`: the ib-sim container instead. */
  readonly brokerKind: 'ib' | 'sim';
  /** IB Gateway's TRADING_MODE. */
  readonly tradingMode: 'paper' | 'live';
  /** The API port the bridge dials on the task's localhost (4002 paper, 4001 live). */
  readonly brokerPort: number;
  /** IBC ReadOnlyApi: the gateway refuses orders. @default true */
  readonly readOnlyApi?: boolean;
  /** IBC AutoRestartTime as "HH:MM" (exchange time): the daily restart that keeps the login. @default '23:45' */
  readonly dailyRestartAt?: string;
  readonly gatewayRepository: ecr.IRepository;
  readonly ibSimRepository: ecr.IRepository;
  /** Tag of the bridge / ib-sim images in ECR. */
  readonly imageTag: string;
  /** The IBC-automated IB Gateway image. */
  readonly ibGatewayImage: string;
  readonly logRetention: logs.RetentionDays;
  /** NAT gateways (one per AZ for resilience in prod). @default 1 */
  readonly natGateways?: number;
  /** @default DEFAULT_BRIDGE_HEALTH_COMMAND */
  readonly bridgeHealthCommand?: readonly string[];
  /** @default 1024 (1 vCPU) */
  readonly cpu?: number;
  /** IB Gateway is a Java app: give it room. @default 4096 */
  readonly memoryLimitMiB?: number;
}

/**
 * The broker side on AWS: one Fargate task with the broker (IB Gateway under IBC, or ib-sim)
 * and the bridge (`fargate/gateway`) sharing the task's localhost. The IB API socket is plain,
 * unauthenticated TCP, so it never leaves the task: no port mappings, no load balancer, and a
 * security group with no ingress rule at all.
 *
 * Network: private subnets with NAT. IB's servers are on the internet (IB offers no
 * PrivateLink) and the gateway image comes from a public registry, so egress is needed anyway;
 * gateway endpoints keep DynamoDB and S3 traffic off the NAT for free.
 *
 * Exactly one task (max 100 %, min 0 % during deployments): two gateways logged in with the same
 * user would knock each other off, and two bridges would double-apply commands.
 */
export class BrokerService extends Construct {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly securityGroup: ec2.SecurityGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly brokerContainer: ecs.ContainerDefinition;
  readonly bridgeContainer: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  /** Binding target for the bridge: resources bind their env var and grant through it. */
  readonly bridge: BindTarget;

  constructor(scope: Construct, id: string, props: BrokerServiceProps) {
    super(scope, id);
    if (!Number.isInteger(props.brokerPort) || props.brokerPort < 1 || props.brokerPort > 65535) throw new Error(`BrokerService: invalid brokerPort ${props.brokerPort}`);
    const dailyRestartAt = props.dailyRestartAt ?? '23:45';
    const ibcRestartTime = toIbcTime(dailyRestartAt);
    if (props.tradingMode === 'live' && props.brokerKind !== 'ib') throw new Error('BrokerService: live trading needs brokerKind ib');
    const natGateways = props.natGateways ?? 1;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.REJECT });

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'Broker task: no ingress (the IB API stays inside the task); egress to IB and AWS',
      allowAllOutbound: true,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 1024,
      memoryLimitMiB: props.memoryLimitMiB ?? 4096,
      // IB Gateway ships an x86-64 JRE; the bridge image is built for the same platform.
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    const logging = (prefix: string): ecs.LogDriver => ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: prefix });

    if (props.brokerKind === 'ib') {
      const credentials = secretsmanager.Secret.fromSecretNameV2(this, 'IbCredentials', ibCredentialsSecretName(props.envName));
      this.brokerContainer = this.taskDefinition.addContainer('IbGateway', {
        containerName: 'ib-gateway',
        image: ecs.ContainerImage.fromRegistry(props.ibGatewayImage),
        essential: true,
        logging: logging('ib-gateway'),
        // Settings of ib-gateway-docker / IBC; 2FA itself is never automated (weekly, by a person).
        environment: {
          TRADING_MODE: props.tradingMode,
          READ_ONLY_API: (props.readOnlyApi ?? true) ? 'yes' : 'no',
          AUTO_RESTART_TIME: ibcRestartTime,
          TWOFA_TIMEOUT_ACTION: 'restart',
          RELOGIN_AFTER_TWOFA_TIMEOUT: 'yes',
          EXISTING_SESSION_DETECTED_ACTION: 'primary',
          TIME_ZONE: 'America/New_York',
          TZ: 'America/New_York',
        },
        secrets: {
          TWS_USERID: ecs.Secret.fromSecretsManager(credentials, 'username'),
          TWS_PASSWORD: ecs.Secret.fromSecretsManager(credentials, 'password'),
        },
      });
    } else {
      this.brokerContainer = this.taskDefinition.addContainer('IbSim', {
        containerName: 'ib-sim',
        image: ecs.ContainerImage.fromEcrRepository(props.ibSimRepository, props.imageTag),
        essential: true,
        logging: logging('ib-sim'),
        environment: { [RUNTIME_ENV.env]: props.envName, IB_SIM_HOST: '127.0.0.1', IB_SIM_PORT: String(props.brokerPort) },
      });
    }

    this.bridgeContainer = this.taskDefinition.addContainer('Bridge', {
      containerName: 'bridge',
      image: ecs.ContainerImage.fromEcrRepository(props.gatewayRepository, props.imageTag),
      essential: true,
      logging: logging('bridge'),
      stopTimeout: Duration.seconds(30), // SIGTERM → finish in-flight commands, disconnect cleanly
      environment: { [RUNTIME_ENV.env]: props.envName, TRADEOPS_BROKER_HOST: '127.0.0.1', TRADEOPS_BROKER_PORT: String(props.brokerPort) },
      healthCheck: {
        command: [...(props.bridgeHealthCommand ?? DEFAULT_BRIDGE_HEALTH_COMMAND)],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(10),
        retries: 3,
        // IBC login plus the first reconciliation can take minutes.
        startPeriod: Duration.seconds(180),
      },
    });
    this.bridgeContainer.addContainerDependencies({ container: this.brokerContainer, condition: ecs.ContainerDependencyCondition.START });
    this.bridge = containerTarget(this.bridgeContainer);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      circuitBreaker: { rollback: true },
      enableExecuteCommand: false,
    });

    const executionPolicy = this.taskDefinition.obtainExecutionRole().node.tryFindChild('DefaultPolicy');
    if (executionPolicy !== undefined) {
      Validations.of(executionPolicy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ecr:GetAuthorizationToken has no resource-level permissions; it only yields a registry login token.' });
    }
    Validations.of(this.taskDefinition).acknowledge({ id: 'AwsSolutions-ECS2', reason: 'Only non-secret settings are plain environment variables (mode, host, port, resource names); IB credentials come from Secrets Manager.' });
  }
}

/** "23:45" → "11:45 PM", the format of IBC's AutoRestartTime. @internal */
export function toIbcTime(hhmm: string): string {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (m === null) throw new Error(`BrokerService: dailyRestartAt must be "HH:MM", got "${hhmm}"`);
  const h = Number(m[1]);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${String(h12).padStart(2, '0')}:${m[2]} ${h < 12 ? 'AM' : 'PM'}`;
}
