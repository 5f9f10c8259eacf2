/**
 * The agent catalog: every agent, what it consumes, and its entry point. The local runtime
 * subscribes each agent's handler to the in-process bus with these detail types, and the CDK app
 * makes one Lambda (lambdas/agents/handler.ts, told which agent it is by `TRADEOPS_AGENT`) and one
 * EventBridge rule per entry. An agent not listed here does not run.
 *
 * An agent not built yet is not listed, so /health never claims it.
 */
export interface AgentSpec {
  readonly name: string;
  readonly description: string;
  /** Detail types of the event catalog this agent consumes. */
  readonly consumes: ReadonlyArray<string>;
  /** What it may touch beyond reading state: the CDK grants exactly these (least privilege). */
  readonly needs: ReadonlyArray<AgentNeed>;
  /**
   * Events the in-process bus delivers to it at once (local runtime). The audit recorder batches
   * what arrives together into one chain step, so it wants many in flight. In AWS each EventBridge
   * delivery is its own invocation. @default 4
   */
  readonly concurrency?: number;
  /**
   * Whether an order waits for this agent. `order-path`: the CIO (a signal becomes a checked order)
   * and the broker watch (halts on a lost broker). `background`: record keeping and analysis of
   * what already happened. In AWS each agent is its own Lambda and this changes nothing; in the
   * local runtime's single process a background agent's deliveries start one per event-loop turn
   * (the bus rule's `background` priority), so its work does not queue ahead of an order's.
   */
  readonly lane: 'order-path' | 'background';
}

/** Capabilities an agent can be granted; each maps to one bind method in lib/infra. */
export type AgentNeed = 'state:write' | 'publish' | 'commands' | 'workflow:pretrade' | 'notify';

/** Events that record a change of state and therefore go into the audit chain. */
export const AUDITED_DETAIL_TYPES = [
  'BrokerConnectionChanged',
  'OrderSubmitted',
  'OrderDenied',
  'OrderRejected',
  'OrderStatusReport',
  'FillReport',
  'CommissionReport',
  'TradingStateChanged',
  'SignalReceived',
  'OrderProposed',
  'OrderApproved',
  'ComplianceAlertRaised',
  'ComplianceAlertUpdated',
  // broker resilience (issue 4)
  'BrokerReconciled',
  // kill switch: the bridge's verified global cancel
  'GlobalCancelVerified',
  'GlobalCancelIncomplete',
] as const;

export const AGENTS: ReadonlyArray<AgentSpec> = [
  {
    name: 'audit-recorder',
    lane: 'background',
    description: 'Writes every state-changing event into the hash-chained audit log',
    consumes: AUDITED_DETAIL_TYPES,
    needs: ['state:write'],
    concurrency: 64,
  },
  {
    name: 'execution-agent',
    lane: 'background',
    description: 'Tracks every order from proposal to fill and measures execution quality (fill rate, slippage vs arrival, time to fill)',
    consumes: ['OrderProposed', 'OrderSubmitted', 'OrderStatusReport', 'FillReport', 'CommissionReport', 'OrderRejected', 'OrderDenied'],
    needs: ['state:write', 'publish'],
  },
  {
    name: 'surveillance-agent',
    lane: 'background',
    description: 'Post-trade surveillance (MAR Art 16): wash trades, spoofing/layering, order-to-trade ratio, restricted and blackout names',
    consumes: ['OrderSubmitted', 'OrderStatusReport', 'OrderRejected', 'FillReport'],
    needs: ['state:write', 'publish'],
  },
  {
    name: 'risk-agent',
    lane: 'background',
    description: 'Portfolio VaR (historical and parametric, with components), exposure, leverage, P&L, drawdown; risk alerts; var_critical → reduce positions through the pre-trade checks',
    consumes: ['FillReport', 'PositionReport', 'PriceHistoryReport', 'RiskCycleRequested'],
    needs: ['state:write', 'notify', 'publish', 'commands', 'workflow:pretrade'],
  },
  {
    name: 'metrics-agent',
    lane: 'background',
    description: 'Key Metrics (VaR utilisation, leverage, broker connected, bus latency, fill rate, slippage) to CloudWatch and the dashboard',
    consumes: ['GatewayHeartbeat', 'ExecutionQualityUpdated', 'RiskMetricsComputed'],
    needs: ['state:write'],
  },
  {
    name: 'cio-agent',
    lane: 'order-path',
    description: 'Nets signals across strategies, sizes and proposes orders, and puts each through the pre-trade checks',
    consumes: ['SignalReceived'],
    needs: ['state:write', 'publish', 'commands', 'workflow:pretrade'],
  },
  // broker resilience (issue 4)
  {
    name: 'broker-watch',
    lane: 'order-path',
    description: 'Runbook alert broker_disconnect: halts trading when the broker is lost (pages oncall outside maintenance windows) and lifts its own halt once the bridge has reconciled and is aligned',
    consumes: ['BrokerConnectionChanged', 'BrokerReconciled'],
    needs: ['state:write', 'publish', 'notify'],
    // One at a time: its decisions read and conditionally write the one trading-state record.
    concurrency: 1,
  },
];
