import { describe, expect, it } from 'vitest';
import { IB_ORDER_STATUS_MAP, IbOrderStatus, mapIbOrderStatus } from '../../../lib/core/orders/broker-status.js';
import { ValidationError } from '../../../lib/core/shared/errors.js';

describe('mapIbOrderStatus', () => {
  it.each([
    ['ApiPending', 0, 'SUBMITTED'],
    ['PendingSubmit', 0, 'SUBMITTED'],
    ['PreSubmitted', 0, 'ACCEPTED'],
    ['PreSubmitted', 5, 'PARTIALLY_FILLED'],
    ['Submitted', 0, 'ACCEPTED'],
    ['Submitted', 40, 'PARTIALLY_FILLED'],
    ['PendingCancel', 40, 'PENDING_CANCEL'],
    ['ApiCancelled', 0, 'CANCELLED'],
    ['Cancelled', 40, 'CANCELLED'],
    ['Filled', 100, 'FILLED'],
    ['Inactive', 0, 'REJECTED'],
  ] as const)('maps %s with %i filled to %s', (ib, filled, ours) => {
    expect(mapIbOrderStatus(ib, { filled })).toBe(ours);
  });

  it('covers every IB status in the table', () => {
    expect(Object.keys(IB_ORDER_STATUS_MAP).sort()).toEqual(Object.keys(IbOrderStatus).sort());
  });

  it('refuses an unknown status with a code instead of guessing', () => {
    expect(() => mapIbOrderStatus('Unknown')).toThrow(ValidationError);
    expect(() => mapIbOrderStatus('submitted')).toThrow(expect.objectContaining({ code: 'ORDER.UNKNOWN_BROKER_STATUS' }));
  });
});
