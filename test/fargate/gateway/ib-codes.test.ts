import { describe, expect, it } from 'vitest';
import { classifyCode } from '../../../fargate/gateway/ib-codes.js';

describe('classifyCode', () => {
  it.each([
    [1100, 'connectivityLost'],
    [2110, 'connectivityLost'],
    [1300, 'sessionEnded'],
    [326, 'sessionEnded'],
    [1101, 'restored'],
    [1102, 'restored'],
    [2103, 'farmDown'],
    [2104, 'farmOk'],
    [201, 'orderReject'],
    [202, 'orderCancelled'],
    [10147, 'cancelReject'],
    [354, 'marketDataDead'],
    [100, 'pacing'],
    [2158, 'farmOk'],
    [399, 'informational'],
    [9999, 'other'],
  ])('classifies %i as %s', (code, expected) => {
    expect(classifyCode(code)).toBe(expected);
  });
});
