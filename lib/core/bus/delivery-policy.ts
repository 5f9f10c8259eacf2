/**
 * How a bus consumer's deliveries are retried before they are dead-lettered: ONE policy, read by
 * the CDK rule of every consumer (lib/infra/trading-event-bus.ts: EventBridge `retryAttempts`,
 * `maxEventAge`, then the DLQ) and by the local bus's agent rules (lib/local/agent-host.ts), so a
 * handler that fails is treated alike in both runtimes.
 *
 * EventBridge's own backoff is exponential with jitter and not configurable; the local bus uses
 * `firstBackoffMs` doubled per attempt, capped at `maxBackoffMs`, so a poison event is
 * dead-lettered within about 16 s locally rather than the minutes EventBridge may take.
 */
export interface ConsumerDeliveryPolicy {
  /** Retries after the first attempt (EventBridge `RetryPolicy.MaximumRetryAttempts`, 0..185). */
  readonly retryAttempts: number;
  /** An event older than this is not retried any more but dead-lettered (EventBridge `MaximumEventAgeInSeconds`). */
  readonly maxEventAgeMs: number;
  readonly firstBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const CONSUMER_DELIVERY_POLICY: ConsumerDeliveryPolicy = Object.freeze({
  retryAttempts: 8,
  maxEventAgeMs: 60 * 60 * 1000,
  firstBackoffMs: 100,
  maxBackoffMs: 5_000,
});

/**
 * The wait before attempt `attempt + 1` after `attempt` failed (1-based).
 * @example backoffMs(CONSUMER_DELIVERY_POLICY, 1) // 100; backoffMs(CONSUMER_DELIVERY_POLICY, 8) // 5000
 */
export function backoffMs(policy: Pick<ConsumerDeliveryPolicy, 'firstBackoffMs' | 'maxBackoffMs'>, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.firstBackoffMs * 2 ** Math.max(0, attempt - 1));
}
