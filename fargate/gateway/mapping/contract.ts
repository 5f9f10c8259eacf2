import type { Contract } from '@stoqey/ib';
import { SecType } from '@stoqey/ib';
import type { Instrument } from '../../../lib/core/instruments/instrument.js';
import type { Symbol } from '../../../lib/core/shared/ids.js';
import { SymbolSchema } from '../../../lib/core/shared/ids.js';
import { MappingError } from './errors.js';

/** Our security types → IB's. IB has no ETF type: an ETF trades as a stock. */
const SEC_TYPE_TO_IB: Readonly<Record<Instrument['secType'], SecType>> = {
  STK: SecType.STK,
  ETF: SecType.STK,
};

/**
 * The IB contract for an instrument of our universe.
 * @example
 * instrumentToContract({ symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', conId: 265598, ... })
 * // { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' }
 */
export function instrumentToContract(instrument: Instrument): Contract {
  const contract: Contract = {
    symbol: instrument.symbol,
    secType: SEC_TYPE_TO_IB[instrument.secType],
    exchange: instrument.exchange,
    currency: instrument.currency,
  };
  if (instrument.conId !== undefined) contract.conId = instrument.conId;
  if (instrument.primaryExchange !== undefined) contract.primaryExch = instrument.primaryExchange;
  return contract;
}

/** Our symbol for an IB contract (stocks: the ticker; IB may send `BRK B` for `BRK.B`). */
export function contractSymbol(contract: Contract): Symbol {
  const raw = (contract.symbol ?? contract.localSymbol ?? '').trim().toUpperCase();
  const parsed = SymbolSchema.safeParse(raw);
  if (!parsed.success) throw new MappingError('MAPPING.BAD_SYMBOL', `contract has no usable symbol: ${JSON.stringify(contract.symbol)}`, { conId: contract.conId });
  return parsed.data;
}
