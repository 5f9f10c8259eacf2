import type { CommissionReport, Contract, Execution } from '@stoqey/ib';
import type { Fill } from '../../../lib/core/fills/fill.js';
import { FillSchema } from '../../../lib/core/fills/fill.js';
import type { DecimalString } from '../../../lib/core/money/decimal-string.js';
import type { ClientOrderId, CorrelationId, ExecId } from '../../../lib/core/shared/ids.js';
import { ClientOrderIdSchema, ExecIdSchema } from '../../../lib/core/shared/ids.js';
import { contractSymbol } from './contract.js';
import { doubleToDecimal, wholeQuantity } from './decimal.js';
import { MappingError } from './errors.js';
import { ibSideToSide } from './order.js';
import { ibTimeToIso } from './time.js';

/** What the bridge knows about an execution's order beyond the message itself. */
export interface ExecutionContext {
  readonly clientOrderId?: ClientOrderId | undefined;
  readonly correlationId?: CorrelationId | undefined;
  /** The gateway's time zone for exec times without a zone. */
  readonly timeZone: string;
}

/**
 * An IB execution (execDetails) → our Fill. The clientOrderId comes from the order store when
 * known, else from `orderRef` (we put the clientOrderId there when placing).
 * @example
 * executionToFill(contract, { execId: '0000e0d5.00000001.01.01', orderId: 1001, side: 'BOT', shares: 10, price: 187.2, time: '20261126  09:30:05', acctNumber: 'DU1' }, { timeZone: 'America/New_York' })
 */
export function executionToFill(contract: Contract, execution: Execution, ctx: ExecutionContext): Fill {
  if (execution.execId === undefined || execution.execId === '') throw new MappingError('MAPPING.MISSING_EXEC_ID', 'execution without execId');
  if (execution.orderId === undefined) throw new MappingError('MAPPING.MISSING_ORDER_ID', `execution ${execution.execId} without orderId`);
  if (execution.acctNumber === undefined || execution.acctNumber === '') throw new MappingError('MAPPING.MISSING_ACCOUNT', `execution ${execution.execId} without account`);
  const fromRef = ClientOrderIdSchema.safeParse(execution.orderRef);
  const clientOrderId = ctx.clientOrderId ?? (fromRef.success ? fromRef.data : undefined);
  const candidate = {
    execId: execution.execId,
    clientOrderId,
    brokerOrderId: String(execution.orderId),
    account: execution.acctNumber,
    symbol: contractSymbol(contract),
    side: ibSideToSide(execution.side),
    quantity: wholeQuantity(execution.shares, 'shares'),
    price: doubleToDecimal(execution.price, 'price'),
    currency: contract.currency ?? 'USD',
    venue: execution.exchange || undefined,
    executedAt: ibTimeToIso(execution.time ?? '', ctx.timeZone),
    correlationId: ctx.correlationId,
  };
  const parsed = FillSchema.safeParse(candidate);
  if (!parsed.success) throw new MappingError('MAPPING.INVALID_FILL', `execution ${execution.execId} does not map to a fill: ${parsed.error.message}`, { execId: execution.execId });
  return parsed.data;
}

/** A commission report → the execId it belongs to and the commission as a decimal string. */
export function commissionOf(report: CommissionReport): { execId: ExecId; commission: DecimalString; currency: string | undefined } {
  const execId = ExecIdSchema.safeParse(report.execId);
  if (!execId.success) throw new MappingError('MAPPING.MISSING_EXEC_ID', 'commission report without execId');
  return { execId: execId.data, commission: doubleToDecimal(report.commission, 'commission'), currency: report.currency || undefined };
}
