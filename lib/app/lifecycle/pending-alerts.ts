import type { ComplianceAlertStore } from '../../ports/compliance-alerts.js';
import { isActive, type RiskStore } from '../../ports/risk.js';

/** One open alert as the operator reviews it. */
export interface PendingAlert {
  source: 'compliance' | 'risk';
  id: string;
  severity: string;
  status: string;
  summary: string;
  raisedAt: string;
  critical: boolean;
}

export interface PendingAlertsReview {
  compliance: PendingAlert[];
  risk: PendingAlert[];
  /** Open alerts that block READY and make `review-pending-alerts` exit 1. */
  critical: PendingAlert[];
}

/** Compliance alerts a person still has to act on (runbook Step D: "pending compliance alerts"). */
const OPEN_COMPLIANCE = ['new', 'under_review', 'escalated'] as const;

/**
 * The runbook's "review any pending compliance alerts" and the pre-market "address any CRITICAL
 * alerts": compliance alerts not closed, and risk alerts still active. A CRITICAL one (compliance
 * severity CRITICAL, or a risk alert of severity CRITICAL such as VaR or daily loss) is blocking:
 * the startup does not declare READY over it and the CLI exits 1. Anything else is listed, not
 * blocking — a compliance officer reviews it during the day, trading need not wait.
 */
export async function reviewPendingAlerts(deps: { complianceAlerts: Pick<ComplianceAlertStore, 'list'>; risk: Pick<RiskStore, 'listAlerts'> }): Promise<PendingAlertsReview> {
  const [byStatus, risk] = await Promise.all([Promise.all(OPEN_COMPLIANCE.map((status) => deps.complianceAlerts.list({ status }))), deps.risk.listAlerts()]);
  const compliance = byStatus.flat().map(
    (a): PendingAlert => ({ source: 'compliance', id: a.alertId, severity: a.severity, status: a.status, summary: `${a.type} ${a.symbol}: ${a.summary}`, raisedAt: a.raisedAt, critical: a.severity === 'CRITICAL' }),
  );
  const riskOpen = risk.filter(isActive).map((a): PendingAlert => ({ source: 'risk', id: a.name, severity: a.severity, status: 'active', summary: a.message, raisedAt: a.raisedAt, critical: a.severity === 'CRITICAL' }));
  return { compliance, risk: riskOpen, critical: [...compliance, ...riskOpen].filter((a) => a.critical) };
}
