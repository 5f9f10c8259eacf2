import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import { BrokerService } from './broker-service.js';
import { GatewayCommandQueue } from './command-queue.js';
import { logRetention } from './log-retention.js';
import { NotificationTopics } from './notification-topics.js';
import { OpsApi, type ApiRouteRow } from './ops-api.js';
import { OperatorDirectory } from './operator-directory.js';
import { KeyMetricAlarms } from './key-metric-alarms.js';
import { USER_ROLES } from '../core/auth/roles.js';
import { AgentFunctions, type AgentRow } from './agent-functions.js';
import { Workflows } from './workflows.js';
import { Schedules } from './schedules.js';
import type { WorkflowSpec } from '../catalog/workflows.js';
import { pretradePolicyFromConfig } from '../app/pretrade/policy.js';
import { agentSettingsFromConfig } from '../app/agent-settings.js';
import { unlockSettingsFromConfig } from '../app/unlock/unlock-settings.js';
import { StatefulRefs } from './stateful-refs.js';
import { TradingEventBus, type CatalogEventName } from './trading-event-bus.js';

/** The catalogs the service is built from — the same ones the local runtime reads. */
export interface ServiceCatalogs {
  readonly eventCatalog: ReadonlyArray<CatalogEventName>;
  readonly routes: ReadonlyArray<ApiRouteRow>;
  readonly agents: ReadonlyArray<AgentRow>;
  readonly workflows: ReadonlyArray<WorkflowSpec>;
}

/** Where the code to bundle lives (absolute paths). */
export interface ServiceSources {
  /** Repository root, where the ASL files are. */
  readonly repoRoot: string;
  readonly apiEntry: string;
  readonly agentEntry: string;
  readonly taskEntry: string;
  /** package-lock.json: pins esbuild's view of the project. */
  readonly depsLockFilePath: string;
}

export interface ServiceStackProps extends StackProps {
  readonly config: AppConfig;
  readonly catalogs: ServiceCatalogs;
  readonly sources: ServiceSources;
  /** Tag of the bridge / ib-sim images. */
  readonly imageTag: string;
}

/**
 * The stateless side in the primary region: bus, command queue, broker task, ops API and
 * notification topics, wired to the stateful stack's resources (imported by name, see
 * StatefulRefs) through their bind methods.
 * Seams for later issues: bus.addConsumer (agents), OpsApiProps.authorizer (controls),
 * topics.topicFor (Key Metrics alarms), Route 53 failover (DR issue).
 */
export class ServiceStack extends Stack {
  readonly bus: TradingEventBus;
  readonly commands: GatewayCommandQueue;
  readonly broker: BrokerService;
  readonly api: OpsApi;
  readonly operators: OperatorDirectory;
  readonly keyMetrics: KeyMetricAlarms;
  readonly agents: AgentFunctions;
  readonly workflows: Workflows;
  readonly schedules: Schedules;
  readonly topics: NotificationTopics;
  readonly stateful: StatefulRefs;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;
    const env = config.env;
    const appLogs = logRetention(config.retention.appLogsDays);
    this.stateful = new StatefulRefs(this, 'Stateful', { envName: env });

    this.bus = new TradingEventBus(this, 'Bus', { busName: `tradeops-${env}`, catalog: props.catalogs.eventCatalog, logRetention: appLogs });
    this.commands = new GatewayCommandQueue(this, 'Commands', { queueName: `tradeops-${env}-gateway-commands` });
    this.topics = new NotificationTopics(this, 'Notifications', {
      namePrefix: `tradeops-${env}`,
      topics: config.notifications.topics,
      contacts: config.contacts,
      subscribeContactEmails: config.notifications.subscribeContactEmails,
    });

    const dailyRestart = config.broker.maintenanceWindows.find((w) => w.name === 'daily-restart');
    this.broker = new BrokerService(this, 'Broker', {
      envName: env,
      brokerKind: config.broker.kind,
      tradingMode: config.account.mode,
      brokerPort: config.broker.port,
      readOnlyApi: config.broker.readOnlyApi,
      ...(dailyRestart === undefined ? {} : { dailyRestartAt: dailyRestart.at }),
      gatewayRepository: this.stateful.gatewayRepository,
      ibSimRepository: this.stateful.ibSimRepository,
      imageTag: props.imageTag,
      ibGatewayImage: config.aws.images.ibGateway,
      logRetention: appLogs,
      natGateways: env === 'prod' ? 2 : 1,
    });
    this.stateful.bindStateTable(this.broker.bridge, 'readWrite');
    this.bus.bindPublisher(this.broker.bridge);
    this.commands.bindConsumer(this.broker.bridge);
    this.stateful.bindBuckets(this.broker.bridge);
    this.topics.bindPublisher(this.broker.bridge);

    this.keyMetrics = new KeyMetricAlarms(this, 'KeyMetrics', { envName: env, alerts: config.alerts, topics: this.topics, maintenanceWindows: config.broker.maintenanceWindows });
    this.operators = new OperatorDirectory(this, 'Operators', { envName: env, roles: USER_ROLES, retain: env === 'prod' || env === 'paper' });
    this.api = new OpsApi(this, 'Api', {
      envName: env,
      authorizer: this.operators.authorizer,
      routes: props.catalogs.routes,
      entry: props.sources.apiEntry,
      depsLockFilePath: props.sources.depsLockFilePath,
      logRetention: appLogs,
    });
    // Routes read state; POST /api/signals and compliance actions write it and publish to the bus;
    // /health probes the bus and the blob store.
    this.stateful.bindStateTable(this.api.function, 'readWrite');
    this.bus.bindPublisher(this.api.function);
    this.bus.bindHealthProbe(this.api.function);
    this.stateful.bindBlobHealthProbe(this.api.function);
    this.api.function.addEnvironment(RUNTIME_ENV.accountMode, config.account.mode);
    this.broker.bridgeContainer.addEnvironment(RUNTIME_ENV.accountMode, config.account.mode);

    // Pre-trade (and later) workflows: the task Lambdas read current state and apply the policy
    // serialised from this environment's config.
    const policy = JSON.stringify(pretradePolicyFromConfig(config));
    const unlockSettings = JSON.stringify(unlockSettingsFromConfig(config)); // two-person unlock (issue 4)
    this.workflows = new Workflows(this, 'Workflows', {
      envName: env,
      workflows: props.catalogs.workflows,
      root: props.sources.repoRoot,
      taskEntry: props.sources.taskEntry,
      depsLockFilePath: props.sources.depsLockFilePath,
      logRetention: appLogs,
      bind: (fn, wf) => {
        // two-person unlock (issue 4): its tasks write the request and the trading state, publish TradingStateChanged and notify
        const unlock = wf.name === 'unlock';
        // Pre-trade checks only read; the unlock's and the lifecycle's tasks write (requests, trading state, phase, audit).
        this.stateful.bindStateTable(fn, wf.name === 'pretrade' ? 'read' : 'readWrite');
        if (unlock) {
          this.bus.bindPublisher(fn);
          this.topics.bindPublisher(fn);
          fn.addEnvironment(RUNTIME_ENV.unlockSettings, unlockSettings);
          fn.addEnvironment(RUNTIME_ENV.accountMode, config.account.mode);
        }
        fn.addEnvironment(RUNTIME_ENV.pretradePolicy, policy);
      },
    });
    // two-person unlock (issue 4): the request route starts the workflow, the approve route completes its token and notifies
    this.workflows.bindCallbacks(this.api.function, 'unlock');
    this.topics.bindPublisher(this.api.function);
    this.api.function.addEnvironment(RUNTIME_ENV.unlockSettings, unlockSettings);

    this.schedules = new Schedules(this, 'Schedules', { envName: env, schedules: config.schedules, bus: this.bus });

    // POST /api/risk/reduce_position proposes orders through the pre-trade workflow to the gateway queue.
    this.commands.bindProducer(this.api.function);
    this.workflows.bindStarter(this.api.function, 'pretrade');
    // lifecycle (issue 4): POST /api/system/startup|shutdown start the STANDARD workflows; archive_session writes the backup bucket.
    this.workflows.bindAsyncStarter(this.api.function, 'startup');
    this.workflows.bindAsyncStarter(this.api.function, 'shutdown');
    this.stateful.bindBackupWriter(this.api.function, 'sessions', 'one prefix per archived session');
    this.api.function.addEnvironment(RUNTIME_ENV.agentSettings, JSON.stringify(agentSettingsFromConfig(config)));
    // kill switch: the API sends CancelAllOrders (queue producer above) and tells on-call, risk and compliance
    this.topics.bindPublisher(this.api.function);

    // One Lambda per catalogued agent, granted exactly its catalogued needs.
    const agentSettings = JSON.stringify(agentSettingsFromConfig(config));
    this.agents = new AgentFunctions(this, 'Agents', {
      envName: env,
      agents: props.catalogs.agents,
      bus: this.bus,
      entry: props.sources.agentEntry,
      depsLockFilePath: props.sources.depsLockFilePath,
      logRetention: appLogs,
      bind: (fn, needs) => {
        // Every agent writes at least its idempotency records (lambdas/shared/idempotency.ts).
        this.stateful.bindStateTable(fn, 'readWrite');
        if (needs.includes('publish')) this.bus.bindPublisher(fn);
        if (needs.includes('commands')) this.commands.bindProducer(fn);
        if (needs.includes('workflow:pretrade')) this.workflows.bindStarter(fn, 'pretrade');
        if (needs.includes('notify')) this.topics.bindPublisher(fn);
        fn.addEnvironment(RUNTIME_ENV.accountMode, config.account.mode);
        fn.addEnvironment(RUNTIME_ENV.agentSettings, agentSettings);
      },
    });

    // --- event bus operations (issue 4): stats read the consumers' DLQ, clear_stale archives to
    // the backup bucket and deletes stale market data from the DLQ, restart touches an agent's configuration.
    this.bus.bindDeadLetterOperator(this.api.function);
    this.stateful.bindBackupWriter(this.api.function, 'eventbus', 'one archive object per clear_stale');
    this.agents.bindRestarter(this.api.function);
    // --- end event bus operations ---
  }
}
