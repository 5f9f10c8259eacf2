import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES, DROPPABLE_WHEN_STALE, isDroppableWhenStale } from '../../../lib/core/events/catalog.js';
import { AUDITED_DETAIL_TYPES, AGENTS } from '../../../lib/catalog/agents.js';

/**
 * Every catalogued event, classified by hand: adding an event type fails this test until someone
 * decides whether a stale copy of it may be dropped. Only market data and liveness beats may.
 */
const DECIDED: Record<string, 'droppable' | 'never'> = {
  BrokerConnectionChanged: 'never',
  BrokerNotice: 'never',
  OrderSubmitted: 'never',
  OrderDenied: 'never',
  OrderRejected: 'never',
  OrderStatusReport: 'never',
  FillReport: 'never',
  CommissionReport: 'never',
  PositionReport: 'never',
  AccountSummaryReport: 'never',
  MarketSnapshotReport: 'droppable',
  GatewayHeartbeat: 'droppable',
  // Market data: the closes are in the price-history store; the event only says they changed.
  PriceHistoryReport: 'droppable',
  TradingStateChanged: 'never',
  RiskCycleRequested: 'never',
  SignalReceived: 'never',
  OrderProposed: 'never',
  OrderApproved: 'never',
  ExecutionQualityUpdated: 'never',
  ComplianceAlertRaised: 'never',
  ComplianceAlertUpdated: 'never',
  BrokerReconciled: 'never',
  GlobalCancelVerified: 'never',
  GlobalCancelIncomplete: 'never',
  // A risk cycle's figures: the next cycle supersedes it, but it is the only sample of VaR between cycles.
  RiskMetricsComputed: 'never',
};

describe('droppable-when-stale event types', () => {
  it('has a decision for every detail type of the catalog, and the catalog follows it', () => {
    expect(Object.keys(DECIDED).sort()).toEqual([...DETAIL_TYPES].sort());
    for (const t of DETAIL_TYPES) expect({ t, droppable: isDroppableWhenStale(t) }).toEqual({ t, droppable: DECIDED[t] === 'droppable' });
  });

  it('never includes an audited event, nor anything about orders, fills, positions or trading state', () => {
    for (const t of DROPPABLE_WHEN_STALE) {
      expect(AUDITED_DETAIL_TYPES as readonly string[]).not.toContain(t);
      expect(t).not.toMatch(/Order|Fill|Commission|Position|TradingState|Signal|Compliance|Account/);
    }
  });

  it('never includes what the audit recorder consumes', () => {
    const audit = AGENTS.find((a) => a.name === 'audit-recorder')!;
    for (const t of audit.consumes) expect(isDroppableWhenStale(t)).toBe(false);
  });

  it('is false for anything not in the catalog', () => {
    expect(isDroppableWhenStale('NotAnEvent')).toBe(false);
  });
});
