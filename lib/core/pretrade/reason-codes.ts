import type { TradingStateDenial } from '../trading-state/transitions.js';

/**
 * Every reason a pre-trade check can give, as stable codes: they survive the workflow, the event
 * (`OrderDenied.reasonCode`), the audit log and the API, where a message's wording may change.
 * `RISK.*` come from `risk-rules.ts`, `COMPLIANCE.*` from `compliance-rules.ts`, `TRADING_STATE.*`
 * from the trading-state machine (the same codes the bridge's final gate uses).
 */
export const RiskReason = {
  MAX_ORDER_QUANTITY: 'RISK.MAX_ORDER_QUANTITY',
  MAX_ORDER_NOTIONAL: 'RISK.MAX_ORDER_NOTIONAL',
  /** No last/mid price to collar a limit against, or to value a market order at: fail closed. */
  NO_REFERENCE_PRICE: 'RISK.NO_REFERENCE_PRICE',
  PRICE_COLLAR: 'RISK.PRICE_COLLAR',
  MAX_POSITION_NOTIONAL: 'RISK.MAX_POSITION_NOTIONAL',
  MAX_GROSS_EXPOSURE: 'RISK.MAX_GROSS_EXPOSURE',
  MAX_NET_EXPOSURE: 'RISK.MAX_NET_EXPOSURE',
  INSUFFICIENT_BUYING_POWER: 'RISK.INSUFFICIENT_BUYING_POWER',
  /** Leverage after the order above the critical level (runbook: 1.8×). */
  LEVERAGE_CRITICAL: 'RISK.LEVERAGE_CRITICAL',
  /** Net liquidation ≤ 0: leverage is undefined, only reducing orders pass. */
  NO_NET_LIQUIDATION: 'RISK.NO_NET_LIQUIDATION',
  DAILY_LOSS_LIMIT: 'RISK.DAILY_LOSS_LIMIT',
  /** VaR utilisation after the order above the critical level (runbook: 90 %). */
  VAR_CRITICAL: 'RISK.VAR_CRITICAL',
  MESSAGE_RATE: 'RISK.MESSAGE_RATE',
  MAX_ACTIVE_ORDERS: 'RISK.MAX_ACTIVE_ORDERS',
  DUPLICATE_CLIENT_ORDER_ID: 'RISK.DUPLICATE_CLIENT_ORDER_ID',
  DUPLICATE_ORDER: 'RISK.DUPLICATE_ORDER',
} as const;
export type RiskReason = (typeof RiskReason)[keyof typeof RiskReason];

export const ComplianceReason = {
  RESTRICTED_INSTRUMENT: 'COMPLIANCE.RESTRICTED_INSTRUMENT',
  SHORT_SALE_DISABLED: 'COMPLIANCE.SHORT_SALE_DISABLED',
  /** On the hard-to-borrow / no-short list. */
  SHORT_SALE_RESTRICTED: 'COMPLIANCE.SHORT_SALE_RESTRICTED',
  LOCATE_REQUIRED: 'COMPLIANCE.LOCATE_REQUIRED',
  ORDER_TO_TRADE_RATIO: 'COMPLIANCE.ORDER_TO_TRADE_RATIO',
  WASH_TRADE: 'COMPLIANCE.WASH_TRADE',
  LAYERING: 'COMPLIANCE.LAYERING',
  BLACKOUT_WINDOW: 'COMPLIANCE.BLACKOUT_WINDOW',
} as const;
export type ComplianceReason = (typeof ComplianceReason)[keyof typeof ComplianceReason];

/** Returned next to the denials; a warning never denies. */
export const PretradeWarning = {
  LEVERAGE: 'RISK.LEVERAGE_WARNING',
  VAR_UTILIZATION: 'RISK.VAR_WARNING',
  /** The context carries no current VaR (the risk agent has not run): the VaR rule was skipped. */
  VAR_UNAVAILABLE: 'RISK.VAR_UNAVAILABLE',
  /** Layering pattern below the deny threshold. */
  LAYERING: 'COMPLIANCE.LAYERING_WARNING',
  HIGH_CANCEL_RATIO: 'COMPLIANCE.HIGH_CANCEL_RATIO',
} as const;
export type PretradeWarning = (typeof PretradeWarning)[keyof typeof PretradeWarning];

export type TradingStateReason = (typeof TradingStateDenial)[keyof typeof TradingStateDenial];
export type DenialCode = RiskReason | ComplianceReason | TradingStateReason;

/**
 * Denials a reducing order never gets (property-tested): they guard against more exposure, and an
 * order that only shrinks a position toward zero cannot add any.
 */
export const EXPOSURE_REASONS: ReadonlySet<DenialCode> = new Set<DenialCode>([
  RiskReason.MAX_POSITION_NOTIONAL,
  RiskReason.MAX_GROSS_EXPOSURE,
  RiskReason.MAX_NET_EXPOSURE,
  RiskReason.INSUFFICIENT_BUYING_POWER,
  RiskReason.LEVERAGE_CRITICAL,
  RiskReason.NO_NET_LIQUIDATION,
  RiskReason.DAILY_LOSS_LIMIT,
  RiskReason.VAR_CRITICAL,
]);

/** One failing rule or one warning: a stable code and a message that names the numbers. */
export interface PretradeReason<C extends string = string> {
  readonly code: C;
  readonly message: string;
}
