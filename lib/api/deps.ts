import type { Clock } from '../core/shared/clock.js';
import type { ComponentHealth } from '../core/health/health.js';
import type { AccountStore, FillStore, HealthStore, OrderStore, PositionStore, QuoteStore, TradingStateStore, AuditLog } from '../ports/stores.js';

/** A live check of one infrastructure component (a cheap round trip, not "port open"). */
export type HealthProbe = () => Promise<Omit<ComponentHealth, 'component' | 'observedAt'>>;

/**
 * What the API's handlers need, wired by one composition root per runtime
 * (bin/local.ts locally, lambdas/api/handler.ts in AWS). Handlers never know which.
 */
export interface ApiDeps {
  clock: Clock;
  env: string;
  accountMode: 'paper' | 'live';
  stores: {
    tradingState: TradingStateStore;
    orders: OrderStore;
    fills: FillStore;
    positions: PositionStore;
    accounts: AccountStore;
    quotes: QuoteStore;
    health: HealthStore;
    audit: AuditLog;
  };
  /** Infrastructure probes by component name: event_bus, state_store, blob_store. */
  probes: Readonly<Record<string, HealthProbe>>;
  /** Agents expected to heartbeat into the health store (from the agent catalog). */
  agents: ReadonlyArray<{ name: string; description: string }>;
  /** A heartbeat older than this is reported `down`. */
  heartbeatStaleAfterMs: number;
}
