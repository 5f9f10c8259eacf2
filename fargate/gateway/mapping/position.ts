import type { Contract } from '@stoqey/ib';
import type { Position } from '../../../lib/core/positions/position.js';
import { PositionSchema } from '../../../lib/core/positions/position.js';
import { contractSymbol } from './contract.js';
import { doubleToDecimal, wholeQuantity } from './decimal.js';
import { MappingError } from './errors.js';

/**
 * An IB `position` message → our Position. IB's position stream carries quantity and average cost
 * only; market value and P&L are computed downstream from quotes and fills, so `realizedPnl` is
 * '0' here and the P&L service owns the real figure.
 * @example
 * ibPositionToPosition('DU1', { symbol: 'AAPL', currency: 'USD' }, 100, 187.25, '2026-11-26T14:30:00.000Z')
 */
export function ibPositionToPosition(account: string, contract: Contract, quantity: number, avgCost: number | undefined, at: string): Position {
  const parsed = PositionSchema.safeParse({
    account,
    symbol: contractSymbol(contract),
    quantity: wholeQuantity(quantity, 'position'),
    avgCost: doubleToDecimal(avgCost ?? 0, 'avgCost'),
    currency: contract.currency ?? 'USD',
    realizedPnl: '0',
    updatedAt: at,
  });
  if (!parsed.success) throw new MappingError('MAPPING.INVALID_POSITION', `position ${account}/${String(contract.symbol)} does not map: ${parsed.error.message}`);
  return parsed.data;
}
