/**
 * The agent Lambdas' Powertools idempotency against a real local DynamoDB (dynalite) with the
 * state table's key layout: a redelivered EventBridge event does not run the agent twice.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentIdempotency } from '../../lambdas/shared/idempotency.js';
import { startLocalTable, type LocalTable } from '../adapters/dynamodb/local-table.js';

const context = { functionName: 'tradeops-test-agent', getRemainingTimeInMillis: () => 30_000, awsRequestId: 'r-1' } as unknown as Context;
const event = (id: string) => ({ id, 'detail-type': 'FillReport', source: 'tradeops.gateway', detail: { n: 1 } });

describe('agent idempotency (Powertools, DynamoDB)', () => {
  let t: LocalTable;
  beforeAll(async () => {
    t = await startLocalTable();
  });
  afterAll(() => t.close());

  it('runs the agent once per EventBridge event id, however often it is delivered', async () => {
    const seen: string[] = [];
    const handler = middy(async (e: { id: string }) => {
      seen.push(e.id);
      return { handled: e.id };
    }).use(agentIdempotency({ agent: 'execution-agent', tableName: t.tableName, client: t.clients.client }));
    expect(await handler(event('ev-1'), context)).toEqual({ handled: 'ev-1' });
    expect(await handler(event('ev-1'), context)).toEqual({ handled: 'ev-1' });
    await handler(event('ev-2'), context);
    expect(seen).toEqual(['ev-1', 'ev-2']);
    const stored = await t.doc.send(new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY#execution-agent' } }));
    expect(stored.Items).toHaveLength(2);
    expect(stored.Items?.every((i) => typeof i['expiresAt'] === 'number')).toBe(true);
  });

  it('lets a failed delivery be retried: the agent runs again after an error', async () => {
    let calls = 0;
    const handler = middy(async () => {
      calls += 1;
      if (calls === 1) throw new Error('store unavailable');
      return { handled: true };
    }).use(agentIdempotency({ agent: 'risk-agent', tableName: t.tableName, client: t.clients.client }));
    await expect(handler(event('ev-3'), context)).rejects.toThrow('store unavailable');
    await handler(event('ev-3'), context);
    expect(calls).toBe(2);
  });
});
