import { describe, expect, it } from 'vitest';
import { utcDaysBetween } from '../../../lib/adapters/dynamodb/compliance-alert-store.js';
import { complianceStoresContract } from '../contracts/compliance-stores.contract.js';
import { dynaliteBackend } from '../contracts/backends.js';

// The ports' contracts against dynalite (the same cases run against memory in test/adapters/memory).
complianceStoresContract(dynaliteBackend);

describe('DynamoDB surveillance key layout', () => {
  it('partitions observations by UTC day: a range spans every day it touches', () => {
    expect(utcDaysBetween('2026-11-26T23:59:00.000Z', '2026-11-28T00:00:00.000Z')).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
  });
});
