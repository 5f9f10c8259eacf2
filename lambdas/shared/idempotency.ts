import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { TABLES } from '../../lib/catalog/tables.js';

/**
 * Powertools idempotency for an EventBridge-triggered agent: a redelivered event (same EventBridge
 * `id`: a retry after a timeout, or the at-least-once duplicate) is answered from the record
 * instead of running the agent again. The agents are idempotent by design as well (clientOrderId,
 * execId, derived ids): this layer saves the work and the writes, it is not what makes a replay
 * safe.
 *
 * The wrapped handler must return a value (the record's stored result): middy ends a redelivery
 * early only when the idempotency layer has a non-undefined result to answer with.
 *
 * Records live in the single state table under `IDEMPOTENCY#<agent>` / `<hash of the event id>`,
 * expiring with the table's TTL after the rule's maximum event age (1 hour), so a retry within the
 * retry policy always finds its record.
 */
export function agentIdempotency(options: { agent: string; tableName: string; client?: DynamoDBClient }) {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: `IDEMPOTENCY#${options.agent}`,
    expiryAttr: TABLES.state.ttlAttribute,
    ...(options.client === undefined ? {} : { awsSdkV3Client: options.client }),
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: 3600, throwOnNoIdempotencyKey: true });
  return makeHandlerIdempotent({ persistenceStore, config });
}
