/**
 * Human notification (SNS topics per audience in AWS; log line + local outbox file locally).
 * Addresses are configuration, never code: the runbook's emails are examples.
 */
export type Audience = 'oncall' | 'risk_manager' | 'compliance' | 'management';
export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';

export interface Notification {
  audience: ReadonlyArray<Audience>;
  severity: Severity;
  subject: string;
  message: string;
  correlationId?: string;
  data?: Record<string, unknown>;
}

export interface Notifier {
  notify(n: Notification): Promise<void>;
}
